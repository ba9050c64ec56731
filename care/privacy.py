"""A copy of everything stored about a person (/export), and erasing all of it (/forget).

Both find the person's rows from the schema (``storage.privacy``), so a table added later is
exported and erased too. Each is one transaction; /forget then empties the write-ahead log, so
the words a person typed are gone from the database file and its WAL alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from care.people import Refusal, presser
from care.reminders import audit_own
from storage import privacy
from storage.db import write_transaction
from storage.patients import Patient
from storage.privacy import LEFT_OUT, Person

UTC = ZoneInfo("UTC")


def person(patient: Patient) -> Person:
    return Person(telegram_id=patient.telegram_id, chat_id=patient.chat_id, patient_id=patient.id)


@dataclass(frozen=True)
class Export:
    """Everything stored about one patient, to be sent to their own chat."""

    chat_id: int
    zone: ZoneInfo  # the patient's zone (UTC while onboarding has not set one)
    made_at: datetime
    tables: dict[str, list[dict[str, Any]]]  # table → rows; instants as aware datetimes
    left_out: tuple[tuple[str, str, str], ...]  # (table, column, reason code)


def anything_stored(db: Database, telegram_id: int) -> bool:
    """True when there is a patient row for ``telegram_id`` (before asking to delete it)."""
    return presser(db, telegram_id) is not None


def export_data(db: Database, telegram_id: int, now: datetime) -> Export | Refusal:
    """/export: every row about the presser, this export's own audit entry included."""
    with write_transaction(db):
        patient = presser(db, telegram_id)
        if patient is None:
            return Refusal.NEED_START
        audit_own(db, patient, "data.exported", now)
        tables = privacy.export_rows(db, person(patient))
    zone = patient.zone if patient.zone_name is not None else UTC
    left_out = tuple((table, column, why) for (table, column), why in LEFT_OUT.items())
    return Export(patient.chat_id, zone, now, tables, left_out)


@dataclass(frozen=True)
class Forgotten:
    patient_id: int  # for withdrawing messages already prepared for them
    deleted: dict[str, int]  # rows deleted per table
    scrubbed: bool  # False: another connection kept the write-ahead log from being emptied


def forget(db: Database, telegram_id: int, now: datetime) -> Forgotten | Refusal:
    """/forget, confirmed: no row anywhere names the presser any more; the audit log keeps only
    an anonymous "an erasure happened" entry with the (UTC) day."""
    with write_transaction(db):
        patient = presser(db, telegram_id)
        if patient is None:
            return Refusal.NEED_START
        deleted = privacy.erase(db, person(patient), now.astimezone(UTC).date())
    return Forgotten(patient.id, deleted, privacy.scrub(db))
