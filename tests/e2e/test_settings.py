"""/settings (bedtime, travel), /pause and /resume, /today, /export and /forget."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.harness import HANDLER_FLOW, BotHarness, BotOptions, onboard
from tests.emulator import BotApiEmulator

pytestmark = pytest.mark.e2e
ANA = 1001
BEA = 1002
REMINDER = "tonight's LDN"


@pytest.fixture
def bot_options() -> BotOptions:
    return HANDLER_FLOW


def reminder_count(bot: BotHarness) -> int:
    return len(bot.sent_as(ANA, "tonight's LDN"))


async def change_zone(bot: BotHarness, city: str) -> None:
    await bot.say(ANA, "/settings", expect="What would you like to change?")
    await bot.tap(ANA, "Time zone", expect="Which time zone")
    await bot.say(ANA, city, expect="Saved. Next reminder")


async def test_travel_west_before_bedtime_moves_tonight_without_doubling(bot: BotHarness) -> None:
    await onboard(bot, ANA, bedtime="22:00")
    await bot.advance_to_local("Europe/Berlin", "20:00")
    await change_zone(bot, "New York")
    await bot.advance_to_local("Europe/Berlin", "23:00")
    assert reminder_count(bot) == 0  # Berlin's 22:00 no longer applies
    await bot.advance_to_local("America/New_York", "22:00")
    assert reminder_count(bot) == 1
    assert bot.db("SELECT dose_day FROM dose_events") == [("2026-11-28",)]
    await bot.advance(timedelta(hours=23))
    assert reminder_count(bot) == 1
    await bot.advance(timedelta(hours=1))
    assert reminder_count(bot) == 2
    assert bot.db("SELECT dose_day FROM dose_events") == [("2026-11-28",), ("2026-11-29",)]


async def test_travel_after_tonights_reminder_does_not_repeat_it(bot: BotHarness) -> None:
    await onboard(bot, ANA, bedtime="22:00")
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await bot.tap(ANA, "Taken", expect="taken at")
    await change_zone(bot, "New York")  # it is 16:00 the same day in New York
    await bot.advance_to_local("America/New_York", "23:00")
    assert reminder_count(bot) == 1  # the same date, already reminded and taken
    await bot.advance_to_local("America/New_York", "22:00")
    assert reminder_count(bot) == 2


async def test_earlier_bedtime_just_passed_still_reminds_tonight(bot: BotHarness) -> None:
    await onboard(bot, ANA, bedtime="23:00")
    await bot.advance_to_local("Europe/Berlin", "21:30")
    await bot.say(ANA, "/settings", expect="What would you like")
    await bot.tap(ANA, "Bedtime", expect="What time")
    saved = await bot.say(ANA, "21:00", expect="Saved")
    assert "Sat 28 Nov at 21:30" in saved.body
    await bot.settle()
    assert reminder_count(bot) == 1
    await bot.advance_to_local("Europe/Berlin", "23:30")
    assert reminder_count(bot) == 1
    await bot.advance_to_local("Europe/Berlin", "21:00")
    assert reminder_count(bot) == 2
    assert bot.db("SELECT action FROM audit_log WHERE action LIKE 'settings.%'") == [
        ("settings.bedtime",)
    ]


async def test_check_in_time_typed_or_tapped(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.say(ANA, "/settings", expect="What would you like")
    asked = await bot.tap(ANA, "Check-in time", expect="What time should I ask")
    assert "08:30" in [b["text"] for b in asked.buttons()]
    hint = await bot.say(ANA, "whenever", expect="I couldn't read that time")
    assert "08:30" in [b["text"] for b in hint.buttons()]  # the check-in times, not bedtimes
    saved = await bot.tap(ANA, "08:30", expect="Saved. Next reminder")
    assert "Sat 28 Nov at 22:00 (Europe/Berlin)" in saved.body
    assert bot.db("SELECT checkin_time, onboarding_step FROM patients") == [("08:30", None)]
    checkin = bot.db("SELECT dose_day, due_at FROM due_tasks WHERE kind = 'checkin'")
    assert [day for day, _ in checkin] == ["2026-11-29"]
    # Sunday 08:30 in Berlin is 07:30 UTC.
    assert checkin[0][1] == int(datetime(2026, 11, 29, 7, 30, tzinfo=UTC).timestamp())
    assert bot.db("SELECT action FROM audit_log WHERE action LIKE 'settings.%'") == [
        ("settings.checkin_time",)
    ]


async def test_shared_location_changes_the_zone(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.say(ANA, "/settings", expect="What would you like")
    await bot.tap(ANA, "Time zone", expect="Which time zone")
    before = bot.count(ANA)
    update = bot.emu.send_location(ANA, 91.0, 0.0)  # off the map: an answer, no change
    await bot.handled(update["update_id"])
    bot.reply_after(ANA, before, "couldn't tell the time zone from that location")
    assert bot.db("SELECT zone, onboarding_step FROM patients") == [
        ("Europe/Berlin", "settings_zone")
    ]
    before = bot.count(ANA)
    update = bot.emu.send_location(ANA, 35.6895, 139.6917)
    await bot.handled(update["update_id"])
    bot.reply_after(ANA, before, "Asia/Tokyo (UTC+9)")
    saved = bot.reply_after(ANA, before, "Saved. Next reminder")
    assert "(Asia/Tokyo)" in saved.body
    assert bot.db("SELECT zone, onboarding_step FROM patients") == [("Asia/Tokyo", None)]


async def test_cancel_closes_a_settings_question(bot: BotHarness) -> None:
    await onboard(bot, ANA, bedtime="22:00")
    await bot.say(ANA, "/settings", expect="What would you like")
    await bot.tap(ANA, "Bedtime", expect="What time")
    await bot.say(ANA, "/cancel", expect="Nothing is lost")
    # The question is closed: a time typed now is not taken as a new bedtime.
    await bot.say(ANA, "21:00", expect="Send /settings and tap Bedtime")
    assert bot.db("SELECT bedtime, onboarding_step FROM patients") == [("22:00", None)]
    await bot.say(ANA, "/cancel", expect="nothing to cancel")


async def test_language_changes_every_later_message(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.say(ANA, "/settings", expect="What would you like to change?")
    asked = await bot.tap(ANA, "Language", expect="Which language should I write in?")
    assert [b["text"] for b in asked.buttons()] == ["English", "Deutsch"]
    # Typed text is no answer to it: the question is asked again, buttons and all.
    asked = await bot.say(ANA, "German please", expect="Which language should I write in?")
    done = await bot.tap(ANA, "Deutsch", expect="ab jetzt schreibe ich dir auf Deutsch")
    question = next(m for m in bot.emu.messages(ANA) if m.message_id == asked.message_id)
    assert question.body.endswith("→ Deutsch") and question.buttons() == []
    assert done.message_id != asked.message_id  # the confirmation is a new message
    assert bot.db("SELECT language, onboarding_step FROM patients") == [("de", None)]
    # Telegram still says "en"; what she chose decides.
    menu = await bot.say(ANA, "/settings", expect="Was möchtest du ändern?")
    assert "🗣 Sprache" in [b["text"] for b in menu.buttons()]
    await bot.say(ANA, "/pause", expect="Pausiert")
    resumed = await bot.say(ANA, "/resume", expect="Die Erinnerungen sind wieder an")
    assert "Sa., 28. Nov. um 22:00" in resumed.body
    await bot.advance_to_local("Europe/Berlin", "22:00")
    assert len(bot.sent_as(ANA, "Zeit für dein LDN heute Abend: 0,5 mg")) == 1
    # And back.
    await bot.tap(ANA, "Sprache", expect="In welcher Sprache")
    await bot.tap(ANA, "English", expect="from now on I'll write to you in English")
    await bot.say(ANA, "/settings", expect="What would you like to change?")
    assert bot.db("SELECT action, detail FROM audit_log WHERE action = 'settings.language'") == [
        ("settings.language", "de"),
        ("settings.language", "en"),
    ]


async def test_pause_and_resume(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    paused = await bot.say(ANA, "/pause", expect="Paused")
    assert "prescriber" in paused.body
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await bot.advance(timedelta(days=2, hours=1))  # Monday 23:00
    assert reminder_count(bot) == 0
    await bot.say(ANA, "/pause", expect="already paused")
    resumed = await bot.say(ANA, "/resume", expect="back on")
    assert "Tue 1 Dec at 22:00" in resumed.body
    await bot.advance_to_local("Europe/Berlin", "22:00")
    assert reminder_count(bot) == 1
    actions = [row[0] for row in bot.db("SELECT action FROM audit_log")]
    assert actions[-2:] == ["reminders.paused", "reminders.resumed"]


async def test_today_shows_tonight(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    today = await bot.say(ANA, "/today", expect="Tonight")
    assert "0.5 mg" in today.body and "Sat 28 Nov at 22:00" in today.body
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await bot.tap(ANA, "Taken", expect="taken")
    today = await bot.say(ANA, "/today", expect="taken ✅")
    assert "1 of 14 nights taken" in today.body


async def test_export_sends_everything_to_the_patient_only(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await bot.tap(ANA, "Taken", expect="taken")
    await bot.say(ANA, "/export", expect="take to your doctor")
    await bot.tap(ANA, "All my data (JSON)", expect="Send it now?")
    await bot.tap(ANA, "Send", expect="Sent to this chat")
    [document] = [m for m in bot.emu.messages(ANA) if m.document is not None]
    assert document.filename == "ldn-companion-export-2026-11-28.json"
    assert document.document is not None
    data = json.loads(document.document)
    assert data["patients"][0]["telegram_id"] == ANA
    assert [e["status"] for e in data["dose_events"]] == ["taken"]
    assert data["plans"][0]["target_mg"] == "4.5"


async def test_forget_erases_everything_after_confirmation(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.say(ANA, "/forget", expect="can't be undone")
    await bot.tap(ANA, "Keep my data", expect="nothing deleted")
    assert bot.db("SELECT COUNT(*) FROM patients") == [(1,)]
    await bot.say(ANA, "/forget", expect="can't be undone")
    await bot.tap(ANA, "Delete everything", expect="everything is deleted")
    for table in ("patients", "plans", "dose_changes", "dose_events", "due_tasks"):
        assert bot.db(f"SELECT COUNT(*) FROM {table}") == [(0,)], table
    assert bot.db("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1") == [("data.deleted",)]
    await bot.advance_to_local("Europe/Berlin", "22:00")
    assert reminder_count(bot) == 0
    await bot.say(ANA, "/today", expect="/start")


async def test_santiago_midnight_gap_fires_once_at_the_first_valid_instant(
    bot: BotHarness,
) -> None:
    bot.clock.set(datetime(2026, 9, 5, 12, 0, tzinfo=UTC))
    await onboard(bot, ANA, zone="Santiago", bedtime="00:30")
    for _ in range(3 * 24):  # hour by hour, as the evenings pass
        await bot.advance(timedelta(hours=1))
    days = bot.db("SELECT dose_day, scheduled_at FROM dose_events ORDER BY dose_day")
    assert [d for d, _ in days] == ["2026-09-06", "2026-09-07", "2026-09-08"]
    # 2026-09-06 00:30 does not exist in Santiago (clocks jump 00:00 → 01:00): 04:00 UTC.
    assert datetime.fromtimestamp(days[0][1], UTC) == datetime(2026, 9, 6, 4, 0, tzinfo=UTC)
    assert reminder_count(bot) == 3


@pytest.mark.parametrize("stop", ["pause", "forget"])
async def test_a_reminder_already_waiting_to_go_out_is_held_back(
    emu: BotApiEmulator, tmp_path: Path, stop: str
) -> None:
    """Tonight's reminders are prepared and queued; one send hangs at Telegram, so the other
    patient's reminder waits behind it. She pauses (or erases her data) meanwhile: hers must
    not go out."""
    bot = BotHarness(emu, tmp_path / "ldn.db")
    bot.settings = bot.settings.model_copy(update={"send_concurrency": 1})  # one at a time
    await bot.start()
    try:
        for user in (ANA, BEA):
            bot.seed_patient(user, zone="Europe/Berlin", bedtime="22:00")
        released = False
        emu.fail_next(
            "sendMessage", status=200, then_succeed_late=True, held_until=lambda: released
        )
        evening = asyncio.create_task(bot.advance_to_local("Europe/Berlin", "22:00"))
        await emu.wait_for(
            lambda: any(bot.sent_as(user, REMINDER) for user in (ANA, BEA)), what="a reminder"
        )
        first, waiting = (ANA, BEA) if bot.sent_as(ANA, REMINDER) else (BEA, ANA)
        if stop == "pause":
            await bot.say(waiting, "/pause", expect="Paused")
        else:
            await bot.say(waiting, "/forget", expect="can't be undone")
            await bot.tap(waiting, "Delete everything", expect="everything is deleted")
        released = True
        emu.notify()
        await evening
        await bot.settle()
        assert len(bot.sent_as(first, REMINDER)) == 1
        assert bot.sent_as(waiting, REMINDER) == []
        states = bot.db(
            "SELECT d.state FROM due_tasks d JOIN patients p ON p.id = d.patient_id "
            "WHERE p.telegram_id = ? AND d.kind = 'reminder' AND d.dose_day = '2026-11-28'",
            [waiting],
        )
        assert states == ([("cancelled",)] if stop == "pause" else [])
    finally:
        await bot.stop()
