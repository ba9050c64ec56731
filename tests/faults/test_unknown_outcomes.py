"""Sends whose outcome the bot cannot know beyond read timeouts (F8): the connection dropped after
Telegram accepted the message, or a garbled success body. Both should count as "outcome unknown"
(at most one resend); neither may put message contents into the logs (F35)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import dose_texts
from tests.e2e.harness import BotHarness
from tests.faults.helpers import REMINDER, advance_until, reminders, task_states
from tests.faults.logscan import HEALTH_STRINGS

pytestmark = pytest.mark.faults
ANA = 1001
# What a cut-off success answer to sendMessage looks like: Telegram echoes the text.
TRUNCATED_OK = (
    '{"ok": true, "result": {"message_id": 7, "text": "🌙 Time for tonight\'s LDN: 0.5 mg'
)


async def due_now(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    await bot.advance_to_local("Europe/Berlin", "22:00")


async def test_dropped_connection_after_acceptance_resends_at_most_once(bot: BotHarness) -> None:
    bot.emu.fail_next("sendMessage", drop_connection=True, apply=True, times=3)
    await due_now(bot)
    await advance_until(bot, lambda: task_states(bot) == ["sent"], step=timedelta(seconds=10))
    assert reminders(bot, ANA) <= 2
    # The copy sent once more says it is the same dose (RELIABILITY F8), not a second one.
    copies = bot.sent_as(ANA, REMINDER)
    assert len(copies) == 2 and dose_texts.sent_before() in copies[-1]


async def test_garbled_success_body_is_not_logged(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    bot.emu.fail_next(
        "sendMessage", status=200, body=TRUNCATED_OK, content_type="application/json", apply=True
    )
    await due_now(bot)
    await bot.advance(timedelta(minutes=5))
    assert reminders(bot, ANA) >= 1
    logged = [r.getMessage() for r in caplog.records]
    # PTB's parse failure is still logged, only without the body.
    assert any("Can not load invalid JSON data" in line for line in logged)
    assert [line for line in logged if any(s in line for s in (*HEALTH_STRINGS, REMINDER))] == []
