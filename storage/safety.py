"""Safety events: a patient said they take an opioid now (reminders paused until they confirm).

Written by ``care.safety``; read by anyone who looks after the patient (the clinic, caregivers)
through ``events``. Rows name the patient, so /export and /forget cover them (``storage.privacy``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlite_utils import Database

from storage.db import write_transaction
from storage.rows import iso, select


class EventKind(StrEnum):
    OPIOID_TAKEN = "opioid_taken"


@dataclass(frozen=True)
class SafetyEvent:
    id: int
    patient_id: int
    kind: EventKind
    substance: str | None  # the generic's code ("tramadol"), if one was named
    reported_at: datetime
    resolved_at: datetime | None  # the patient confirmed on /resume that they may go on


def _event(row: dict[str, Any]) -> SafetyEvent:
    resolved = row["resolved_at"]
    return SafetyEvent(
        id=row["id"],
        patient_id=row["patient_id"],
        kind=EventKind(row["kind"]),
        substance=row["substance"],
        reported_at=datetime.fromisoformat(row["reported_at"]),
        resolved_at=datetime.fromisoformat(resolved) if resolved is not None else None,
    )


def record(
    db: Database, patient_id: int, kind: EventKind, substance: str | None, now: datetime
) -> SafetyEvent:
    """Append one event (unresolved)."""
    with write_transaction(db):
        cursor = db.execute(
            "INSERT INTO safety_events (patient_id, kind, substance, reported_at)"
            " VALUES (?, ?, ?, ?)",
            [patient_id, kind.value, substance, iso(now)],
        )
        return _event(select(db, "safety_events", "id = ?", [cursor.lastrowid])[0])


def events(
    db: Database, patient_id: int, *, since: datetime | None = None, open_only: bool = False
) -> list[SafetyEvent]:
    """The patient's safety events, oldest first: reported at or after ``since``, and only the
    unresolved ones with ``open_only``."""
    where = "patient_id = ?"
    args: list[object] = [patient_id]
    if since is not None:
        where += " AND reported_at >= ?"
        args.append(iso(since))
    if open_only:
        where += " AND resolved_at IS NULL"
    return [_event(row) for row in select(db, "safety_events", where, args, order_by="id")]


def resolve_open(db: Database, patient_id: int, now: datetime) -> int:
    """Mark every unresolved event of the patient resolved; how many there were."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE safety_events SET resolved_at = ? WHERE patient_id = ? AND resolved_at IS NULL",
            [iso(now), patient_id],
        )
        return cursor.rowcount
