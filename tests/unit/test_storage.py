"""Storage against a real SQLite file: pragmas, the instance lock, idempotent due tasks, erasure."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlite_utils import Database

from storage import audit, doses, patients, privacy, tasks, updates
from storage.db import AlreadyRunning, Store
from tests.seeding import consented_patient
from titration.models import DEFAULT_PLAN
from titration.reminders import TaskKind

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
DAY = date(2026, 11, 28)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "ldn.db")
    yield opened
    opened.close()


def _patient(store: Store, telegram_id: int = 42) -> patients.Patient:
    return store.run_sync(consented_patient, telegram_id, now=NOW, first_step="opioids")


def test_pragmas(store: Store) -> None:
    def read(db: object) -> tuple[str, int, int, int]:
        conn = store.db.conn
        return (
            conn.execute("PRAGMA journal_mode").fetchone()[0],
            conn.execute("PRAGMA synchronous").fetchone()[0],
            conn.execute("PRAGMA foreign_keys").fetchone()[0],
            conn.execute("PRAGMA busy_timeout").fetchone()[0],
        )

    assert store.run_sync(read) == ("wal", 2, 1, 5000)


def test_second_process_on_same_database_is_refused(store: Store) -> None:
    with pytest.raises(AlreadyRunning, match="already using"):
        Store(store.path)


def test_schedule_never_rearms_a_fired_task(store: Store) -> None:
    patient = _patient(store)
    due = NOW + timedelta(hours=10)
    store.run_sync(tasks.schedule, patient.id, TaskKind.REMINDER, DAY, due)
    store.run_sync(tasks.schedule, patient.id, TaskKind.REMINDER, DAY, due)  # same key: one row
    claimed = store.run_sync(tasks.claim_due, due, 10)
    assert [(t.kind, t.dose_day, t.attempts) for t in claimed] == [(TaskKind.REMINDER, DAY, 1)]
    store.run_sync(tasks.finish, claimed[0].id, "sent", due, 77)
    store.run_sync(tasks.schedule, patient.id, TaskKind.REMINDER, DAY, due + timedelta(hours=1))
    assert store.run_sync(tasks.claim_due, due + timedelta(days=1), 10) == []
    found = store.run_sync(tasks.find, patient.id, DAY, TaskKind.REMINDER)
    assert found is not None and (found.state, found.message_id) == ("sent", 77)


def test_claim_is_ordered_batched_and_recoverable(store: Store) -> None:
    for n in range(5):
        patient = _patient(store, 100 + n)
        store.run_sync(
            tasks.schedule, patient.id, TaskKind.REMINDER, DAY, NOW - timedelta(minutes=n)
        )
    first = store.run_sync(tasks.claim_due, NOW, 3)
    assert [t.due_at for t in first] == sorted(t.due_at for t in first)
    assert len(first) == 3
    assert store.run_sync(tasks.recover_in_flight) == 3
    assert len(store.run_sync(tasks.claim_due, NOW, 10)) == 5


def test_dose_answer_only_once(store: Store) -> None:
    patient = _patient(store)
    event = store.run_sync(doses.ensure, patient.id, DAY, NOW, Decimal("0.5"))
    again = store.run_sync(doses.ensure, patient.id, DAY, NOW, Decimal("1.0"))
    assert again.id == event.id and again.dose_mg == Decimal("0.5")
    assert store.run_sync(doses.answer, event.id, "taken", NOW) is True
    assert store.run_sync(doses.answer, event.id, "skipped", NOW) is False
    assert store.run_sync(doses.close_missed, event.id, "no_answer") is False
    assert store.run_sync(doses.nights_taken, patient.id, Decimal("0.5"), DAY) == 1


def test_audit_log_is_append_only(store: Store) -> None:
    store.run_sync(audit.record, now=NOW, actor_telegram_id=1, actor_role="admin", action="x")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.run_sync(lambda db: db.execute("UPDATE audit_log SET action = 'y'"))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.run_sync(lambda db: db.execute("DELETE FROM audit_log"))
    assert [e["action"] for e in store.run_sync(audit.entries)] == ["x"]


def _count(db: Database, table: str) -> int:
    return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_delete_erases_every_row_and_survives_reopen(tmp_path: Path) -> None:
    store = Store(tmp_path / "ldn.db")
    patient = _patient(store)
    store.run_sync(patients.save_plan, patient.id, DEFAULT_PLAN, "patient", NOW)
    store.run_sync(patients.change_dose, patient.id, Decimal("0.5"), DAY, "plan_start", NOW)
    store.run_sync(doses.ensure, patient.id, DAY, NOW, Decimal("0.5"))
    store.run_sync(tasks.schedule, patient.id, TaskKind.REMINDER, DAY, NOW)
    store.run_sync(privacy.erase, privacy.Person(42, 42, patient.id), DAY)
    store.close()
    reopened = Store(tmp_path / "ldn.db")
    try:
        counts = {
            table: reopened.run_sync(_count, table)
            for table in ("patients", "plans", "dose_changes", "dose_events", "due_tasks")
        }
        assert counts == dict.fromkeys(counts, 0)
    finally:
        reopened.close()


def test_processed_updates_are_pruned_though_no_id_is_a_multiple_of_1000(store: Store) -> None:
    start = datetime(2026, 12, 1, tzinfo=UTC)
    for n in range(1, 999, 7):  # ids 1..995; a flood's dropped updates are never recorded
        assert store.run_sync(updates.first_time, n, start)
    later = start + updates.KEEP + timedelta(hours=1)
    for n in range(1001, 3000, 7):  # later blocks, skipping every id divisible by 1000
        assert store.run_sync(updates.first_time, n, later)
    rows = store.run_sync(
        lambda db: db.execute(
            "SELECT COUNT(*) FROM processed_updates WHERE update_id < 1000"
        ).fetchone()
    )
    assert rows == (0,)  # before: kept until an id divisible by 1000 came, i.e. for good
