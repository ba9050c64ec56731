"""No input crashes a handler: odd digits, damaged callback data, impossible locations, updates
without a sender, and arbitrary text and presses in every conversation state.

"Crashed" means the error handler logged an ERROR (``bot.handlers.errors``); every input must
also be answered (a new message, an edit, or the press's spinner stopped)."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Coroutine
from enum import StrEnum
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.callbacks import AREAS
from care.checkins import CheckinStep
from care.onboarding import OnboardingStep
from care.settings import SettingsStep
from tests.e2e.harness import HANDLER_FLOW, BotHarness, BotOptions
from tests.seeding import consented_patient

pytestmark = pytest.mark.e2e
ANA = 1001
STATES: list[StrEnum] = [*OnboardingStep, *SettingsStep, *CheckinStep]


@pytest.fixture
def bot_options() -> BotOptions:
    return HANDLER_FLOW


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def at_step(bot: BotHarness, user: int, step: StrEnum) -> None:
    """``user`` is a patient whose open question is ``step`` (onboarding, or a settings or
    check-in question once onboarded)."""
    if not bot.db("SELECT 1 FROM patients WHERE telegram_id = ?", [user]):
        if isinstance(step, OnboardingStep):
            assert bot.store is not None
            bot.emu.start_chat(user)
            bot.store.run_sync(consented_patient, user, now=bot.clock.now(), first_step=step.value)
        else:
            bot.seed_patient(user, zone="Europe/Berlin", bedtime="22:00")
    bot.db("UPDATE patients SET onboarding_step = ? WHERE telegram_id = ?", [step.value, user])
    # What the earlier questions would have stored (a later question expects them).
    steps = list(OnboardingStep)
    if isinstance(step, OnboardingStep) and steps.index(step) > steps.index(OnboardingStep.ZONE):
        bot.db("UPDATE patients SET zone = 'Europe/Berlin' WHERE telegram_id = ?", [user])
    if isinstance(step, OnboardingStep) and steps.index(step) > steps.index(OnboardingStep.BEDTIME):
        bot.db("UPDATE patients SET bedtime = '22:00' WHERE telegram_id = ?", [user])
    plan = {"start": "0.5", "step": "0.5", "interval": "7", "target": "4.5"}
    if isinstance(step, OnboardingStep) and steps.index(step) > steps.index(OnboardingStep.PLAN):
        earlier = {
            k: v for k, v in plan.items() if steps.index(OnboardingStep(k)) < steps.index(step)
        }
        draft = json.dumps({"custom": "yes", **earlier})
        bot.db("UPDATE patients SET draft = ? WHERE telegram_id = ?", [draft, user])


async def answered_text(bot: BotHarness, user: int, text: str) -> bool:
    messages = bot.emu.messages(user)
    before, edits = len(messages), sum(len(m.edits) for m in messages)
    update = bot.emu.send_text(user, text)
    await bot.handled(update["update_id"])
    messages = bot.emu.messages(user)
    return len(messages) > before or sum(len(m.edits) for m in messages) > edits


async def answered_press(bot: BotHarness, user: int, data: str) -> bool:
    shown = bot.emu.messages(user)
    message_id = shown[-1].message_id if shown else 1
    query_id = bot.emu.forge_callback(user, message_id, data)
    await bot.handled()
    return query_id in bot.emu.callback_answers


# The cases the probe found -----------------------------------------------------------------


@pytest.mark.parametrize("text", ["²", "₁₄", "1²", "1₄ days"])
async def test_odd_digits_at_the_interval_question(
    bot: BotHarness, caplog: pytest.LogCaptureFixture, text: str
) -> None:
    at_step(bot, ANA, OnboardingStep.INTERVAL)
    assert await answered_text(bot, ANA, text)
    assert errors(caplog) == []
    assert bot.db("SELECT onboarding_step FROM patients") == [("interval",)]


@pytest.mark.parametrize(
    "data",
    [
        "v1:ob:consent:yes!",
        "v1:ben:start:99999999999999999999",
        "v1:dose:sNaN",
        "v1:dose:NaN",
        "v1:dose:Infinity",
        "v1:dose:1e999999",
        "v1:plan:sNaN",
        "v1:step:taken:sNaN",
    ],
)
async def test_callback_data_that_fits_a_route_but_not_its_schema(
    bot: BotHarness, caplog: pytest.LogCaptureFixture, data: str
) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    assert await answered_press(bot, ANA, data)
    assert errors(caplog) == []


@pytest.mark.parametrize(("latitude", "longitude"), [(91, 0), (-91, 10), (0, 181), (90, 180)])
async def test_impossible_locations(
    bot: BotHarness, caplog: pytest.LogCaptureFixture, latitude: float, longitude: float
) -> None:
    at_step(bot, ANA, OnboardingStep.ZONE)
    before = bot.count(ANA)
    update = bot.emu.send_location(ANA, latitude, longitude)
    await bot.handled(update["update_id"])
    assert bot.count(ANA) > before
    assert errors(caplog) == []


@pytest.mark.parametrize(
    "update",
    [
        {"message": {"message_id": 5, "date": 0, "chat": {"id": ANA, "type": "private"}}},
        {
            "message": {
                "message_id": 6,
                "date": 0,
                "chat": {"id": ANA, "type": "private"},
                "text": "I took tramadol",
            }
        },
        {
            "message": {
                "message_id": 7,
                "date": 0,
                "chat": {"id": ANA, "type": "private"},
                "text": "/start",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            }
        },
        {
            "edited_message": {
                "message_id": 8,
                "date": 0,
                "edit_date": 1,
                "chat": {"id": ANA, "type": "private"},
                "text": "rash and swelling",
            }
        },
        {
            "message": {
                "message_id": 9,
                "date": 0,
                "chat": {"id": ANA, "type": "private"},
                "location": {"latitude": 52.5, "longitude": 13.4},
            }
        },
        {"channel_post": {"message_id": 1, "date": 0, "chat": {"id": -5, "type": "channel"}}},
    ],
)
async def test_updates_without_a_sender_are_dropped_quietly(
    bot: BotHarness, caplog: pytest.LogCaptureFixture, update: dict[str, Any]
) -> None:
    at_step(bot, ANA, OnboardingStep.ZONE)
    sent = bot.emu.send_update(update)
    await bot.handled(sent["update_id"])
    assert errors(caplog) == []
    assert bot.emu.calls_to("sendMessage") == []


# Anything, in every state ------------------------------------------------------------------

TEXTS = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=200),
    st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=3),  # "²", "₁₄"
).filter(lambda t: t.strip() != "")
CALLBACK_DATA = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=64),
    st.builds(
        lambda area, rest: f"v1:{area}:{rest}",
        st.sampled_from([area.prefix for area in AREAS]),
        st.text(st.characters(exclude_categories=["Cs"]), max_size=40),
    ),
)


async def test_anything_in_every_state_is_answered_without_an_error(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    loop = asyncio.get_running_loop()

    def run(coro: Coroutine[Any, Any, bool]) -> bool:
        return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout=30)

    failures: list[str] = []

    def check(user: int, step: StrEnum) -> None:
        @settings(
            max_examples=40,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        )
        @given(text=TEXTS, data=CALLBACK_DATA)
        @example(text="²", data="v1:ob:consent:yes!")
        @example(text="₁₄", data="v1:ben:start:99999999999999999999")
        @example(text="1² days", data="v1:dose:sNaN")
        def one(text: str, data: str) -> None:
            known = len(errors(caplog))
            at_step(bot, user, step)
            assert run(answered_text(bot, user, text)), f"no answer to {text!r} at {step}"
            assert errors(caplog)[known:] == [], f"{text!r} at {step}: {errors(caplog)[known:]}"
            at_step(bot, user, step)
            assert run(answered_press(bot, user, data)), f"press {data!r} at {step} unanswered"
            assert errors(caplog)[known:] == [], f"{data!r} at {step}: {errors(caplog)[known:]}"

        try:
            one()
        except AssertionError as failure:
            failures.append(str(failure).splitlines()[0])
            caplog.clear()  # reported here; the next state starts clean

    for index, step in enumerate(STATES):
        await asyncio.to_thread(check, 5000 + index, step)
    assert failures == []
