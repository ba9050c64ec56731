"""Read timeouts with a late 200 (Telegram delivered, the bot never heard): outcome unknown.
Across several patients at once: at most one resend each, then counted as sent; no flood."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import dose_texts
from tests.faults.conftest import MakeBot
from tests.faults.helpers import (
    advance_until,
    reminder_counts,
    seed_evening,
    send_attempts,
    task_states,
)

pytestmark = pytest.mark.faults

USERS = range(5100, 5106)


@pytest.mark.parametrize("late_answers", [len(USERS), 2 * len(USERS)], ids=["once", "twice"])
async def test_late_200s_give_at_most_one_resend_per_patient(
    make_bot: MakeBot, late_answers: int
) -> None:
    bot = await make_bot(read_timeout=0.5)
    seed_evening(bot, USERS)
    # Every first attempt (and with "twice" every resend too) is delivered but answered late.
    bot.emu.fail_next("sendMessage", delay=1.0, then_succeed_late=True, times=late_answers)
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await advance_until(bot, lambda: task_states(bot) == ["sent"] * len(USERS))
    # Both attempts reached the chat: the duplicate carries the same dose id, so it is harmless,
    # and it says it is the same dose.
    assert reminder_counts(bot, USERS) == [2] * len(USERS)
    for user in USERS:
        first, again = bot.sent_as(user, "Time for tonight")
        assert dose_texts.sent_before() not in first and dose_texts.sent_before() in again
    # The late answers are logged by the emulator only once they are finally given.
    await bot.emu.wait_for(lambda: send_attempts(bot.emu) == 2 * len(USERS), what="late answers")
    assert [send_attempts(bot.emu, u) for u in USERS] == [2] * len(USERS)
    # And nothing more however long we wait before the nudge is due.
    await bot.advance(timedelta(minutes=90))
    assert send_attempts(bot.emu) == 2 * len(USERS)
    attempts = "SELECT DISTINCT attempts FROM due_tasks WHERE dose_day = '2026-11-28'"
    attempts += " AND kind = 'reminder'"
    assert bot.db(attempts) == [(2,)]
