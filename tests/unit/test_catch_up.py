"""The scheduler over many nights against a real SQLite file: a date the zone skipped whole, and
nights that pass while the bot is down, each night getting exactly one dose record."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from sqlite_utils import Database

from scheduler.claim import claim_and_prepare
from storage import tasks
from storage.db import Store
from tests.seeding import onboarded_patient


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    store = Store(tmp_path / "ldn.db")
    yield store.db
    store.close()


def run_until(db: Database, until: datetime) -> None:
    """Fire every task due up to ``until`` at its due instant, as the wake-up job does; every
    message is delivered and nobody answers."""
    while (due := tasks.earliest_due(db)) is not None and due <= until:
        for prepared in claim_and_prepare(db, due, 100).ready:
            tasks.finish(db, prepared.task.id, "sent", due)


def back_at(db: Database, now: datetime) -> None:
    """The bot starts at ``now`` after being down: everything due by then is claimed at once."""
    while (due := tasks.earliest_due(db)) is not None and due <= now:
        for prepared in claim_and_prepare(db, now, 100).ready:
            tasks.finish(db, prepared.task.id, "sent", now)


def reminders(db: Database) -> list[tuple[str, str, datetime]]:
    rows = db.execute(
        "SELECT dose_day, state, due_at FROM due_tasks WHERE kind = 'reminder' ORDER BY dose_day"
    ).fetchall()
    return [(day, state, datetime.fromtimestamp(due, UTC)) for day, state, due in rows]


def nights(db: Database) -> list[tuple[str, str, str | None]]:
    return db.execute(
        "SELECT dose_day, status, missed_reason FROM dose_events ORDER BY dose_day"
    ).fetchall()


def test_apia_skipped_date_gets_no_reminder_and_no_night(db: Database) -> None:
    onboarded_patient(
        db, 1001, zone="Pacific/Apia", bedtime="22:00", now=datetime(2011, 12, 27, 0, tzinfo=UTC)
    )
    run_until(db, datetime(2012, 1, 2, 12, tzinfo=UTC))

    sent = [(day, due) for day, state, due in reminders(db) if state == "sent"]
    assert [day for day, _ in sent] == [
        "2011-12-26",
        "2011-12-27",
        "2011-12-28",
        "2011-12-29",
        "2011-12-31",
        "2012-01-01",
        "2012-01-02",
    ]
    gaps = [later - earlier for (_, earlier), (_, later) in pairwise(sent)]
    # 22:00 every night; 29 Dec to 31 Dec is one day in Apia (not two hours, as at the jump).
    assert gaps == [timedelta(days=1)] * 6
    recorded = [day for day, _status, _reason in nights(db)]
    assert "2011-12-30" not in recorded
    assert recorded == [day for day, _ in sent]
    mornings = db.execute("SELECT dose_day FROM due_tasks WHERE kind = 'checkin'").fetchall()
    assert mornings and ("2011-12-30",) not in mornings  # no morning check-in on it either


def test_every_night_the_bot_was_down_is_recorded_missed_bot_down(db: Database) -> None:
    berlin_22 = datetime(2026, 11, 28, 21, 0, tzinfo=UTC)
    onboarded_patient(
        db, 1001, zone="Europe/Berlin", bedtime="22:00", now=berlin_22 - timedelta(hours=9)
    )
    db.execute("DELETE FROM due_tasks WHERE kind = 'checkin'")  # mornings are not tested here
    run_until(db, berlin_22 + timedelta(hours=1))  # 28 Nov reminded; nobody answers
    # Down from 23:00 on 28 Nov to 12:00 on 2 Dec: bedtimes of 29 Nov … 1 Dec pass unseen.
    back = datetime(2026, 12, 2, 11, 0, tzinfo=UTC)
    back_at(db, back)

    assert nights(db) == [
        ("2026-11-28", "missed", "no_answer"),
        ("2026-11-29", "missed", "not_reminded"),  # its reminder was armed, then expired
        ("2026-11-30", "missed", "bot_down"),
        ("2026-12-01", "missed", "bot_down"),
    ]
    assert [(day, state) for day, state, _ in reminders(db)] == [
        ("2026-11-28", "sent"),
        ("2026-11-29", "not_sent"),
        ("2026-12-02", "pending"),  # tonight, on time; no backlog of old reminders
    ]
    run_until(db, back + timedelta(hours=12))
    assert nights(db)[-1] == ("2026-12-02", "pending", None)


def test_back_within_the_late_window_sends_tonight_late_after_days_down(db: Database) -> None:
    berlin_22 = datetime(2026, 11, 28, 21, 0, tzinfo=UTC)
    onboarded_patient(
        db, 1001, zone="Europe/Berlin", bedtime="22:00", now=berlin_22 - timedelta(hours=9)
    )
    db.execute("DELETE FROM due_tasks WHERE kind = 'checkin'")
    run_until(db, berlin_22)
    # Back at 23:00 on 1 Dec: the 29 Nov reminder expires, 30 Nov passed unseen, and 1 Dec's
    # bedtime an hour ago is still worth a (late) reminder.
    back_at(db, datetime(2026, 12, 1, 22, 0, tzinfo=UTC))

    assert [(day, state) for day, state, _ in reminders(db)] == [
        ("2026-11-28", "sent"),
        ("2026-11-29", "not_sent"),
        ("2026-12-01", "sent"),
        ("2026-12-02", "pending"),
    ]
    assert nights(db) == [
        ("2026-11-28", "missed", "no_answer"),
        ("2026-11-29", "missed", "not_reminded"),
        ("2026-11-30", "missed", "bot_down"),
        ("2026-12-01", "pending", None),  # reminded late; the patient can still answer
    ]
    late = db.execute("SELECT reminder_late FROM dose_events WHERE dose_day = '2026-12-01'")
    assert late.fetchall() == [(1,)]
