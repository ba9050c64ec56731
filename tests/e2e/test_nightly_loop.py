"""The nightly loop: reminder at local bedtime, Taken / Snooze / Skip, nudge, missed, stale taps."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.e2e.harness import BotHarness, onboard

pytestmark = pytest.mark.e2e
ANA, BEN = 1001, 1002


def reminders(bot: BotHarness, user: int) -> list[str]:
    return bot.sent_as(user, "Time for tonight's LDN")


async def test_reminders_fire_at_each_patients_local_bedtime(bot: BotHarness) -> None:
    await onboard(bot, ANA, zone="Berlin", bedtime="22:00")
    await onboard(bot, BEN, zone="New York", bedtime="21:30")
    await bot.advance_to_local("Europe/Berlin", "21:59")
    assert reminders(bot, ANA) == [] and reminders(bot, BEN) == []
    await bot.advance(timedelta(minutes=1))  # 22:00 Berlin = 21:00 UTC
    assert len(reminders(bot, ANA)) == 1 and reminders(bot, BEN) == []
    assert "0.5 mg" in reminders(bot, ANA)[0] and "Night 1 of 14" in reminders(bot, ANA)[0]
    await bot.advance_to_local("America/New_York", "21:30")  # 02:30 UTC
    assert len(reminders(bot, BEN)) == 1
    assert len(reminders(bot, ANA)) == 1
    assert bot.db("SELECT COUNT(*) FROM due_tasks WHERE kind = 'reminder'") == [(4,)]


async def test_taken_is_recorded_once_and_the_button_goes_stale(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.advance_to_local("Europe/Berlin", "22:00")
    reminder = bot.message_with_button(ANA, "Taken")
    await bot.advance(timedelta(minutes=4))
    done = await bot.tap(ANA, "Taken", expect="taken at 22:04")
    # The dose buttons are gone; only the small [Undo] stays (issue 12 item 4).
    assert done.message_id == reminder.message_id
    assert [b["text"] for b in done.buttons()] == ["↩️ Undo"]
    assert bot.db("SELECT status FROM dose_events") == [("taken",)]
    # A replayed press of the same button changes nothing and says so.
    before = await bot.forge(ANA, reminder.message_id, f"v1:dose:skip:{_event_id(bot)}")
    bot.reply_after(ANA, before, "already recorded as taken")
    assert bot.db("SELECT status FROM dose_events") == [("taken",)]
    # No nudge for a dose that was taken.
    await bot.advance(timedelta(hours=3))
    assert not [m for m in bot.emu.messages(ANA) if "Gentle nudge" in m.body]


def _event_id(bot: BotHarness) -> int:
    return int(bot.db("SELECT MAX(id) FROM dose_events")[0][0])


async def test_snooze_reminds_again_after_30_minutes(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.advance_to_local("Europe/Berlin", "22:00")
    snoozed = await bot.tap(ANA, "Snooze", expect="remind you again at 22:30")
    assert [b["text"] for b in snoozed.buttons()] == ["✅ Taken", "Skip tonight"]
    await bot.advance(timedelta(minutes=29))
    assert not [m for m in bot.emu.messages(ANA) if "⏰ Reminder" in m.body]
    await bot.advance(timedelta(minutes=1))
    again = [m for m in bot.emu.messages(ANA) if "⏰ Reminder" in m.body]
    assert len(again) == 1
    await bot.tap(ANA, "Taken", expect="taken at 22:30")
    assert bot.db("SELECT status FROM dose_events") == [("taken",)]


async def test_skip_never_suggests_doubling_up(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.advance_to_local("Europe/Berlin", "22:00")
    skipped = await bot.tap(ANA, "Skip tonight", expect="Skipped")
    assert "don't double up" in skipped.body
    assert bot.db("SELECT status FROM dose_events") == [("skipped",)]


async def test_unanswered_gets_one_nudge_then_counts_as_missed(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await bot.advance(timedelta(hours=2))
    nudges = [m for m in bot.emu.messages(ANA) if "Gentle nudge" in m.body]
    assert len(nudges) == 1 and "skip it" in nudges[0].body
    await bot.advance(timedelta(hours=8))  # 08:00 next morning
    assert bot.db("SELECT status, missed_reason FROM dose_events") == [("missed", "no_answer")]
    # A tap on last night's reminder after the night closed changes nothing.
    await bot.tap(ANA, "Taken", expect="counted as missed")
    assert bot.db("SELECT status FROM dose_events") == [("missed",)]
    # Tonight's reminder mentions it, without suggesting a double dose.
    await bot.advance_to_local("Europe/Berlin", "22:00")
    tonight = reminders(bot, ANA)[-1]
    assert "never double up" in tonight
    assert len(bot.emu.messages(ANA)[-1].buttons()) == 3


async def test_another_patients_dose_cannot_be_pressed(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await onboard(bot, BEN)
    await bot.advance_to_local("Europe/Berlin", "22:00")
    ana_event = bot.db(
        "SELECT e.id FROM dose_events e JOIN patients p ON p.id = e.patient_id "
        "WHERE p.telegram_id = ?",
        [ANA],
    )[0][0]
    ben_reminder = bot.message_with_button(BEN, "Taken")
    before = await bot.forge(BEN, ben_reminder.message_id, f"v1:dose:taken:{ana_event}")
    bot.reply_after(BEN, before, "isn't for you")
    assert bot.db("SELECT status FROM dose_events ORDER BY id") == [("pending",), ("pending",)]


@pytest.mark.parametrize(
    "data",
    ["v1:dose:taken:99999", "v1:dose:explode:1", "garbage", "v1:step:up:45", "v1:zone:pick:Mars/X"],
)
async def test_forged_callback_data_changes_nothing(bot: BotHarness, data: str) -> None:
    await onboard(bot, ANA)
    await bot.advance_to_local("Europe/Berlin", "22:00")
    reminder = bot.message_with_button(ANA, "Taken")
    before = await bot.forge(ANA, reminder.message_id, data)
    reply = bot.reply_after(ANA, before, None)
    assert any(word in reply.body for word in ("isn't valid", "isn't for you", "already been"))
    assert bot.db("SELECT status FROM dose_events") == [("pending",)]
    assert bot.db("SELECT current_dose_mg, step_offer FROM patients") == [("0.5", "none")]
    assert bot.emu.messages(ANA)[before - 1].buttons()[0]["text"] == "✅ Taken"
