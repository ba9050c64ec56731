"""An outside writer holds the database lock longer than busy_timeout (F28/F29) while a patient
taps Taken: the tap is answered at once (the spinner stops), the bot waits at most busy_timeout,
says "couldn't save, try again", the event loop keeps running meanwhile (all SQLite work is on the
database thread), and a retry works."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest

from bot import texts
from storage.db import BUSY_TIMEOUT_MS
from tests.e2e.harness import BotHarness
from tests.faults.locking import Heartbeat, OutsideWriter

pytestmark = pytest.mark.faults
ANA = 1001
BUSY = BUSY_TIMEOUT_MS / 1000
HELD = BUSY + 1.0


@dataclass(frozen=True)
class LockedTap:
    """What a Taken tap during the outside lock led to."""

    answered: float  # seconds from the tap to answerCallbackQuery
    waited: float  # seconds from the tap to "couldn't save"
    max_lag: float
    beats: int
    status_after_release: str
    replies: list[str]
    reminder_id: int
    taken_data: str


async def tap_taken_while_locked(bot: BotHarness) -> LockedTap:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    await bot.advance_to_local("Europe/Berlin", "22:00")
    before = bot.count(ANA)
    reminder = bot.message_with_button(ANA, "Taken")
    taken = next(b["callback_data"] for b in reminder.buttons() if "Taken" in b["text"])
    heartbeat = Heartbeat()
    writer = OutsideWriter(bot.db_path)
    heartbeat.start()
    try:
        writer.lock()
        tapped = time.monotonic()
        query_id = bot.emu.press_button(ANA, "Taken")
        await bot.emu.wait_for(lambda: query_id in bot.emu.callback_answers, what="tap answered")
        answered = time.monotonic() - tapped
        await bot.emu.wait_for_message(ANA, contains="couldn't save", timeout=BUSY + 5)
        waited = time.monotonic() - tapped
        await writer.release_after(HELD)
        await bot.handled()
    finally:
        writer.close()
        await heartbeat.stop()
    (status,) = bot.db("SELECT status FROM dose_events")[0]
    replies = [m.body for m in bot.emu.messages(ANA)[before:]]
    replies += [c.params["text"] for c in bot.emu.calls_to("editMessageText")]
    return LockedTap(
        answered,
        waited,
        heartbeat.max_lag,
        heartbeat.beats,
        status,
        replies,
        reminder.message_id,
        taken,
    )


async def test_locked_database_gives_try_again_without_stalling_the_loop(
    bot: BotHarness,
) -> None:
    outcome = await tap_taken_while_locked(bot)
    # The tap was answered at once, without waiting for the database.
    assert outcome.answered < 1.0, outcome
    # It waited for the lock (busy_timeout), but no longer, then told the person.
    assert BUSY - 0.5 <= outcome.waited <= BUSY + 1.0, outcome
    assert texts.save_failed() in outcome.replies
    # The loop never stalled: SQLite waits happen on the database thread.
    assert outcome.beats > 100 and outcome.max_lag < 0.1, outcome
    # Lock gone: pressing Taken again on the reminder ends with the night recorded once.
    bot.emu.forge_callback(ANA, outcome.reminder_id, outcome.taken_data)
    await bot.handled()
    assert bot.db("SELECT status FROM dose_events") == [("taken",)]
    assert bot.db("PRAGMA integrity_check") == [("ok",)]


@pytest.mark.slow
async def test_locked_database_reply_is_not_contradicted(bot: BotHarness) -> None:
    outcome = await tap_taken_while_locked(bot)
    taken_told = any("taken at" in reply for reply in outcome.replies)
    if outcome.status_after_release == "taken":
        assert texts.save_failed() not in outcome.replies, outcome
    else:
        assert not taken_told and outcome.replies.count(texts.save_failed()) == 1, outcome
