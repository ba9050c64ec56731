"""Restarts and downtime: no reminder lost, none sent twice, late ones marked late."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import dose_texts
from tests.e2e.harness import BotHarness, onboard

pytestmark = pytest.mark.e2e
PATIENTS = {1001: "22:00", 1002: "22:30", 1003: "23:00"}


def reminder_count(bot: BotHarness, user: int) -> int:
    return len(bot.sent_as(user, "tonight's LDN"))


async def test_restart_mid_evening_loses_nothing_and_duplicates_nothing(bot: BotHarness) -> None:
    for user, bedtime in PATIENTS.items():
        await onboard(bot, user, bedtime=bedtime)
    await bot.advance_to_local("Europe/Berlin", "22:10")
    assert [reminder_count(bot, u) for u in PATIENTS] == [1, 0, 0]
    await bot.restart()
    await bot.advance_to_local("Europe/Berlin", "22:40")
    await bot.restart()
    await bot.restart()
    await bot.advance_to_local("Europe/Berlin", "23:30")
    assert [reminder_count(bot, u) for u in PATIENTS] == [1, 1, 1]
    assert bot.app is not None
    # One APScheduler job however many patients and restarts.
    from bot.app import services_of

    assert services_of(bot.app).wakeup.job_count == 1
    # The next evening, everyone again exactly once.
    await bot.advance(timedelta(days=1))
    assert [reminder_count(bot, u) for u in PATIENTS] == [2, 2, 2]


async def test_task_in_flight_at_a_crash_is_sent_after_restart(bot: BotHarness) -> None:
    await onboard(bot, 1001)
    await bot.stop()
    # What a SIGKILL between claiming and sending leaves behind: a task marked in flight.
    await bot.start()
    bot.db("UPDATE due_tasks SET state = 'sending', attempts = 1 WHERE kind = 'reminder'")
    await bot.restart()
    await bot.advance_to_local("Europe/Berlin", "22:00")
    assert reminder_count(bot, 1001) == 1
    assert bot.db(
        "SELECT state FROM due_tasks WHERE kind = 'reminder' AND dose_day = '2026-11-28'"
    ) == [("sent",)]
    # The first try may have reached the phone before the crash: the message says it is one dose.
    assert dose_texts.sent_before() in bot.sent_as(1001, "Time for tonight")[-1]


async def test_reminder_due_while_down_is_sent_late_within_grace(bot: BotHarness) -> None:
    await onboard(bot, 1001)
    await bot.stop()
    bot.clock.advance(timedelta(hours=9, minutes=45))  # 22:45 Berlin, bot was down at 22:00
    await bot.start()
    await bot.settle()
    late = bot.sent_as(1001, "tonight's LDN")
    assert len(late) == 1 and "Sorry this is late" in late[0]
    assert bot.db("SELECT reminder_late, status FROM dose_events") == [(1, "pending")]
    await bot.tap(1001, "Taken", expect="taken at 22:45")


async def test_reminder_past_grace_is_recorded_not_sent(bot: BotHarness) -> None:
    await onboard(bot, 1001)
    await bot.stop()
    bot.clock.advance(timedelta(hours=13))  # 01:00 Berlin: three hours after bedtime
    await bot.start()
    await bot.settle()
    assert reminder_count(bot, 1001) == 0
    assert bot.db("SELECT state FROM due_tasks WHERE kind = 'reminder' ORDER BY dose_day") == [
        ("not_sent",),
        ("pending",),
    ]
    await bot.advance_to_local("Europe/Berlin", "09:00")
    assert bot.db("SELECT status, missed_reason FROM dose_events") == [("missed", "not_reminded")]
    await bot.advance_to_local("Europe/Berlin", "22:00")
    assert reminder_count(bot, 1001) == 1  # the next night is back to normal


async def test_second_instance_on_the_same_database_is_refused(bot: BotHarness) -> None:
    from storage.db import AlreadyRunning, Store

    with pytest.raises(AlreadyRunning, match="already using"):
        Store(bot.db_path)


async def test_down_four_days_every_night_gets_its_record_and_no_backlog(bot: BotHarness) -> None:
    await onboard(bot, 1001)
    await bot.advance_to_local("Europe/Berlin", "22:10")
    assert reminder_count(bot, 1001) == 1
    await bot.tap(1001, "Taken", expect="taken at 22:10")
    await bot.stop()
    bot.clock.advance(timedelta(days=4))  # back at 22:10 four days later
    await bot.start()
    await bot.settle()
    assert bot.db("SELECT dose_day, status, missed_reason FROM dose_events ORDER BY dose_day") == [
        ("2026-11-28", "taken", None),
        ("2026-11-29", "missed", "not_reminded"),
        ("2026-11-30", "missed", "bot_down"),
        ("2026-12-01", "missed", "bot_down"),
        ("2026-12-02", "pending", None),  # tonight: reminded ten minutes late
    ]
    late = bot.sent_as(1001, "tonight's LDN")
    assert len(late) == 2 and "Sorry this is late" in late[-1]  # one, not a backlog
    # One night taken at 0.5 mg: tonight is still the second night at this dose, not the fifth.
    assert "Night 2 of" in late[-1]
