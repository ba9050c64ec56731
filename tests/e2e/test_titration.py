"""Titration end to end: six weeks of nights in seconds, step-ups proposed and answered, /plan."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.e2e.harness import HANDLER_FLOW, BotHarness, BotOptions, onboard

pytestmark = pytest.mark.e2e
ANA = 1001


@pytest.fixture
def bot_options() -> BotOptions:
    return HANDLER_FLOW


async def take_tonight(bot: BotHarness) -> None:
    """Move to tonight's 22:00 Berlin reminder and tap Taken."""
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await bot.advance(timedelta(minutes=5))
    await bot.tap(ANA, "Taken", expect="taken at")


async def test_six_week_titration_with_step_ups(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    doses_seen = []
    for night in range(42):
        await take_tonight(bot)
        doses_seen.append(bot.sent_as(ANA, "Time for tonight")[-1])
        if night in (13, 27):  # the 14th taken night at a dose: the plan's next step is offered
            offer = bot.emu.messages(ANA)[-1]
            assert "Go ahead?" in offer.body, offer.body
            following = "1.0 mg" if night == 13 else "1.5 mg"
            assert f"Step up to {following}" in [b["text"] for b in offer.buttons()]
            await bot.tap(ANA, f"Step up to {following}", expect="your dose is")
        elif night != 41:  # after the 42nd night the third step is offered (checked below)
            assert "Go ahead?" not in bot.emu.messages(ANA)[-1].body
    assert bot.db(
        "SELECT dose_mg, COUNT(*) FROM dose_events GROUP BY dose_mg ORDER BY dose_mg"
    ) == [
        ("0.5", 14),
        ("1.0", 14),
        ("1.5", 14),
    ]
    assert bot.db("SELECT status, COUNT(*) FROM dose_events GROUP BY status") == [("taken", 42)]
    assert [("1.0 mg" in t, "1.5 mg" in t) for t in doses_seen[13:16]] == [
        (False, False),
        (True, False),
        (True, False),
    ]
    assert "1.5 mg" in doses_seen[28] and "Night 1 of 14" in doses_seen[28]
    assert bot.db("SELECT dose_mg, reason FROM dose_changes ORDER BY id") == [
        ("0.5", "plan_start"),
        ("1.0", "step_up"),
        ("1.5", "step_up"),
    ]
    # The third step is offered after the 14th night at 1.5 mg.
    assert "Step up to 2.0 mg" in [b["text"] for b in bot.emu.messages(ANA)[-1].buttons()]
    plan = await bot.say(ANA, "/plan", expect="Dates ahead")
    assert "✓ 0.5 mg · Sat 28 Nov – Fri 11 Dec · 14 nights taken" in plan.body
    assert "▶ 1.5 mg since Sat 26 Dec · 14 nights taken" in plan.body
    assert "· 4.5 mg from about" in plan.body


async def test_staying_holds_the_dose_and_asks_again_a_week_later(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    for _ in range(14):
        await take_tonight(bot)
    await bot.tap(ANA, "Stay at 0.5 mg", expect="I'll ask again in 7 days")
    for night in range(7):
        await take_tonight(bot)
        assert "0.5 mg" in bot.sent_as(ANA, "Time for tonight")[-1]
        offered = "Go ahead?" in bot.emu.messages(ANA)[-1].body
        assert offered is (night == 6)
    assert bot.db("SELECT current_dose_mg, step_offer FROM patients") == [("0.5", "offered")]


async def test_target_reached_means_maintenance(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    bot.db("UPDATE plans SET target_mg = '1.0', interval_days = 3")
    for _ in range(3):
        await take_tonight(bot)
    done = await bot.tap(ANA, "Step up to 1.0 mg", expect="target dose")
    assert "same each night" in done.body
    for _ in range(5):
        await take_tonight(bot)
    last = bot.sent_as(ANA, "Time for tonight")[-1]
    assert "1.0 mg" in last and "target dose" in last
    assert not [m for m in bot.emu.messages(ANA)[-5:] if "Go ahead?" in m.body]
    today = await bot.say(ANA, "/today", expect="target dose")
    assert "taken" in today.body
