"""/settings (bedtime, travel), /pause and /resume, /today, /export and /forget."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
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
    await bot.say(ANA, "/export", expect="everything I store")
    document = bot.emu.messages(ANA)[-1]
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
    from datetime import UTC, datetime

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
