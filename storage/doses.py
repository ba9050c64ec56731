"""Dose events: one row per patient per dose day, and what was answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlite_utils import Database

from storage.db import write_transaction
from storage.rows import epoch, first, from_epoch, iso, select


@dataclass(frozen=True)
class DoseEvent:
    id: int
    patient_id: int
    dose_day: date
    scheduled_at: datetime
    dose_mg: Decimal
    status: str
    missed_reason: str | None
    reminder_late: bool
    answered_at: str | None

    @property
    def open(self) -> bool:
        return self.status == "pending"


def _event(row: dict[str, Any]) -> DoseEvent:
    return DoseEvent(
        id=row["id"],
        patient_id=row["patient_id"],
        dose_day=date.fromisoformat(row["dose_day"]),
        scheduled_at=from_epoch(row["scheduled_at"]),
        dose_mg=Decimal(row["dose_mg"]),
        status=row["status"],
        missed_reason=row["missed_reason"],
        reminder_late=bool(row["reminder_late"]),
        answered_at=row["answered_at"],
    )


def by_id(db: Database, event_id: int) -> DoseEvent | None:
    row = first(db, "dose_events", "id = ?", [event_id])
    return _event(row) if row else None


def for_day(db: Database, patient_id: int, dose_day: date) -> DoseEvent | None:
    row = first(
        db, "dose_events", "patient_id = ? AND dose_day = ?", [patient_id, dose_day.isoformat()]
    )
    return _event(row) if row else None


def ensure(
    db: Database, patient_id: int, dose_day: date, scheduled_at: datetime, dose: Decimal
) -> DoseEvent:
    """Tonight's event, created on first use; an existing one keeps its dose."""
    with write_transaction(db):
        db.execute(
            "INSERT INTO dose_events (patient_id, dose_day, scheduled_at, dose_mg) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (patient_id, dose_day) DO NOTHING",
            [patient_id, dose_day.isoformat(), epoch(scheduled_at), str(dose)],
        )
    event = for_day(db, patient_id, dose_day)
    assert event is not None
    return event


def answer(db: Database, event_id: int, status: str, now: datetime) -> bool:
    """Record taken/late/skipped if still open; False when the night was already answered/closed."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE dose_events SET status = ?, answered_at = ? "
            "WHERE id = ? AND status = 'pending'",
            [status, iso(now), event_id],
        )
    return cursor.rowcount == 1


def mark_reminder_late(db: Database, event_id: int) -> None:
    with write_transaction(db):
        db.execute("UPDATE dose_events SET reminder_late = 1 WHERE id = ?", [event_id])


def close_missed(db: Database, event_id: int, reason: str) -> bool:
    """Count an unanswered night as missed; False if it had been answered meanwhile."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE dose_events SET status = 'missed', missed_reason = ? "
            "WHERE id = ? AND status = 'pending'",
            [reason, event_id],
        )
    return cursor.rowcount == 1


def nights_taken(db: Database, patient_id: int, dose: Decimal, since: date) -> int:
    """Nights at ``dose`` from ``since`` on which the dose was taken (on time or late)."""
    row = db.execute(
        "SELECT COUNT(*) FROM dose_events WHERE patient_id = ? AND dose_mg = ? "
        "AND dose_day >= ? AND status IN ('taken', 'late')",
        [patient_id, str(dose), since.isoformat()],
    ).fetchone()
    return int(row[0])


def was_missed(db: Database, patient_id: int, dose_day: date) -> bool:
    event = for_day(db, patient_id, dose_day - timedelta(days=1))
    return event is not None and event.status == "missed"


def recent(db: Database, patient_id: int, limit: int = 14) -> list[DoseEvent]:
    rows = select(
        db, "dose_events", "patient_id = ?", [patient_id], order_by="dose_day DESC", limit=limit
    )
    return [_event(row) for row in rows]


def close_open_before(db: Database, patient_id: int, day: date, reason: str) -> int:
    """Count every still-open night before ``day`` as missed (used when pausing)."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE dose_events SET status = 'missed', missed_reason = ? "
            "WHERE patient_id = ? AND dose_day < ? AND status = 'pending'",
            [reason, patient_id, day.isoformat()],
        )
    return cursor.rowcount
