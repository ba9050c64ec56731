"""Safety events: a patient said they take an opioid now (reminders paused until they confirm),
or wrote of an urgent sign (an allergic reaction, liver trouble) and was told to seek care now.

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
    OPIOID_TAKEN = "opioid_taken"  # holds reminders until resolved (a confirmed /resume)
    URGENT_SIGN = "urgent_sign"  # for the clinic's eyes; holds nothing, never resolved


@dataclass(frozen=True)
class SafetyEvent:
    id: int
    patient_id: int
    kind: EventKind
    substance: str | None  # the generic's code ("tramadol"), if one was named
    reported_at: datetime
    resolved_at: datetime | None  # the patient confirmed on /resume that they may go on
    sign: str | None = None  # an urgent sign's code ("allergy", "liver")


def _event(row: dict[str, Any]) -> SafetyEvent:
    resolved = row["resolved_at"]
    return SafetyEvent(
        id=row["id"],
        patient_id=row["patient_id"],
        kind=EventKind(row["kind"]),
        substance=row["substance"],
        reported_at=datetime.fromisoformat(row["reported_at"]),
        resolved_at=datetime.fromisoformat(resolved) if resolved is not None else None,
        sign=row.get("sign"),
    )


def record(
    db: Database,
    patient_id: int,
    kind: EventKind,
    substance: str | None,
    now: datetime,
    *,
    sign: str | None = None,
) -> SafetyEvent:
    """Append one event (unresolved)."""
    with write_transaction(db):
        cursor = db.execute(
            "INSERT INTO safety_events (patient_id, kind, substance, sign, reported_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [patient_id, kind.value, substance, sign, iso(now)],
        )
        return _event(select(db, "safety_events", "id = ?", [cursor.lastrowid])[0])


def events(
    db: Database,
    patient_id: int,
    *,
    kind: EventKind | None = None,
    since: datetime | None = None,
    open_only: bool = False,
) -> list[SafetyEvent]:
    """The patient's safety events, oldest first: of ``kind`` (any by default), reported at or
    after ``since``, and only the unresolved ones with ``open_only``."""
    where = "patient_id = ?"
    args: list[object] = [patient_id]
    if kind is not None:
        where += " AND kind = ?"
        args.append(kind.value)
    if since is not None:
        where += " AND reported_at >= ?"
        args.append(iso(since))
    if open_only:
        where += " AND resolved_at IS NULL"
    return [_event(row) for row in select(db, "safety_events", where, args, order_by="id")]


def resolve_open(db: Database, patient_id: int, now: datetime) -> int:
    """Mark every unresolved opioid event of the patient resolved; how many there were."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE safety_events SET resolved_at = ? WHERE patient_id = ? AND kind = ?"
            " AND resolved_at IS NULL",
            [iso(now), patient_id, EventKind.OPIOID_TAKEN.value],
        )
        return cursor.rowcount
