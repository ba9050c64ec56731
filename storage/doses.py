"""Dose events: one row per patient per dose day, and what was answered."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlite_utils import Database

from storage.db import write_transaction
from storage.rows import (
    epoch,
    first,
    from_epoch,
    iso,
    placeholders,
    select,
    values,
    values_in_parts,
)


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
    corrected_from: str | None = None  # the status before a correction afterwards

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
        corrected_from=row.get("corrected_from"),
    )


def by_id(db: Database, event_id: int) -> DoseEvent | None:
    row = first(db, "dose_events", "id = ?", [event_id])
    return _event(row) if row else None


def for_day(db: Database, patient_id: int, dose_day: date) -> DoseEvent | None:
    return for_days(db, [(patient_id, dose_day)]).get((patient_id, dose_day))


def for_days(
    db: Database, nights: Collection[tuple[int, date]]
) -> dict[tuple[int, date], DoseEvent]:
    """The events of several (patient id, dose day) nights in one query; missing ones left out."""
    if not nights:
        return {}
    ids = sorted({patient_id for patient_id, _ in nights})
    days = sorted({day.isoformat() for _, day in nights})
    rows = select(
        db,
        "dose_events",
        f"patient_id IN ({placeholders(len(ids))}) AND dose_day IN ({placeholders(len(days))})",
        [*ids, *days],
    )
    found = {(event.patient_id, event.dose_day): event for event in map(_event, rows)}
    return {night: found[night] for night in nights if night in found}


def ensure(
    db: Database, patient_id: int, dose_day: date, scheduled_at: datetime, dose: Decimal
) -> DoseEvent:
    """Tonight's event, created on first use; an existing one keeps its dose."""
    ensure_many(db, [(patient_id, dose_day, scheduled_at, dose)])
    event = for_day(db, patient_id, dose_day)
    assert event is not None
    return event


def ensure_many(db: Database, nights: Sequence[tuple[int, date, datetime, Decimal]]) -> None:
    """Create the events of several nights (patient id, dose day, bedtime, dose), a statement
    per 200, each unless it exists: an existing one keeps its dose."""
    rows = [(pid, day.isoformat(), epoch(at), str(dose)) for pid, day, at, dose in nights]
    with write_transaction(db):
        for marks, params in values_in_parts(rows):
            db.execute(
                "INSERT INTO dose_events (patient_id, dose_day, scheduled_at, dose_mg) "
                f"VALUES {marks} ON CONFLICT (patient_id, dose_day) DO NOTHING",
                params,
            )


def answer(db: Database, event_id: int, status: str, now: datetime) -> bool:
    """Record taken/late/skipped if still open; False when the night was already answered/closed."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE dose_events SET status = ?, answered_at = ? "
            "WHERE id = ? AND status = 'pending'",
            [status, iso(now), event_id],
        )
    return cursor.rowcount == 1


def reopen(db: Database, event_id: int, status: str) -> bool:
    """[Undo]: the answered night (still ``status``) is open again, as if never answered."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE dose_events SET status = 'pending', answered_at = NULL "
            "WHERE id = ? AND status = ?",
            [event_id, status],
        )
    return cursor.rowcount == 1


def correct(db: Database, event_id: int, before: str, after: str, now: datetime) -> bool:
    """A closed night corrected afterwards from ``before`` to ``after`` (False if it changed
    meanwhile). The first correction's ``before`` is kept as ``corrected_from``."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE dose_events SET status = ?, answered_at = ?, corrected_at = ?, "
            "corrected_from = COALESCE(corrected_from, ?), "
            "missed_reason = CASE WHEN ? = 'missed' THEN missed_reason END "
            "WHERE id = ? AND status = ?",
            [after, iso(now), iso(now), before, after, event_id, before],
        )
    return cursor.rowcount == 1


def since_day(db: Database, patient_id: int, first_day: date) -> list[DoseEvent]:
    """The patient's nights from ``first_day`` on, newest first."""
    rows = select(
        db,
        "dose_events",
        "patient_id = ? AND dose_day >= ?",
        [patient_id, first_day.isoformat()],
        order_by="dose_day DESC",
    )
    return [_event(row) for row in rows]


def mark_reminders_late(db: Database, event_ids: Sequence[int]) -> None:
    """These nights' reminders went out late (after a downtime)."""
    if not event_ids:
        return
    with write_transaction(db):
        marks = placeholders(len(event_ids))
        db.execute(f"UPDATE dose_events SET reminder_late = 1 WHERE id IN ({marks})", event_ids)


def close_missed(db: Database, event_id: int, reason: str) -> bool:
    """Count an unanswered night as missed; False if it had been answered meanwhile."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE dose_events SET status = 'missed', missed_reason = ? "
            "WHERE id = ? AND status = 'pending'",
            [reason, event_id],
        )
    return cursor.rowcount == 1


def any_taken(db: Database, patient_id: int) -> bool:
    """Whether ``patient_id`` has taken (on time or late) at least one dose."""
    row = db.execute(
        "SELECT 1 FROM dose_events WHERE patient_id = ? AND status IN ('taken', 'late') LIMIT 1",
        [patient_id],
    ).fetchone()
    return row is not None


def nights_taken(db: Database, patient_id: int, dose: Decimal, since: date) -> int:
    """Nights at ``dose`` from ``since`` on which the dose was taken (on time or late)."""
    return nights_taken_many(db, {patient_id: since}).get((patient_id, str(dose)), 0)


def nights_taken_many(db: Database, since: Mapping[int, date]) -> dict[tuple[int, str], int]:
    """Nights taken (on time or late) from each patient's ``since`` day on, in one query, by
    (patient id, dose as stored): the count for a dose is ``result.get((id, str(dose)), 0)``."""
    if not since:
        return {}
    asked, params = values([(patient_id, day.isoformat()) for patient_id, day in since.items()])
    rows = db.execute(
        f"WITH asked (patient_id, since) AS (VALUES {asked}) "
        "SELECT e.patient_id, e.dose_mg, COUNT(*) FROM asked JOIN dose_events e "
        "ON e.patient_id = asked.patient_id AND e.dose_day >= asked.since "
        "WHERE e.status IN ('taken', 'late') GROUP BY e.patient_id, e.dose_mg",
        params,
    ).fetchall()
    return {(patient_id, dose): int(count) for patient_id, dose, count in rows}


def recent(db: Database, patient_id: int, limit: int = 14) -> list[DoseEvent]:
    rows = select(
        db, "dose_events", "patient_id = ?", [patient_id], order_by="dose_day DESC", limit=limit
    )
    return [_event(row) for row in rows]
