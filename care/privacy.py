"""A copy of everything stored about a person (/export), and erasing all of it (/forget).

Both find the person's rows from the schema (``storage.privacy``), so a table added later is
exported and erased too. A person may be a patient, a caregiver, or both: both roles' rows are
theirs. Each is one transaction; /forget then empties the write-ahead log, so the words a person
typed are gone from the database file and its WAL alike. Erasing a patient ends their sharing
at once (their links go with them); erasing a caregiver removes them from every patient's list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from care.caregiving import ROLE, Recipient
from care.people import Refusal, presser
from care.reminders import audit_own
from storage import audit, caregivers, patients, privacy
from storage.caregivers import Caregiver
from storage.db import write_transaction
from storage.patients import Patient
from storage.privacy import LEFT_OUT, Person
from titration import timing

UTC = ZoneInfo("UTC")


def person(patient: Patient, caregiver: Caregiver | None = None) -> Person:
    return Person(
        telegram_id=patient.telegram_id,
        chat_id=patient.chat_id,
        patient_id=patient.id,
        caregiver_id=caregiver.id if caregiver is not None else None,
    )


@dataclass(frozen=True)
class _Roles:
    person: Person
    patient: Patient | None
    caregiver: Caregiver | None

    @property
    def chat_id(self) -> int:
        return self.person.chat_id or self.person.telegram_id

    @property
    def zone(self) -> ZoneInfo:
        for zone_name in (
            self.patient.zone_name if self.patient is not None else None,
            self.caregiver.zone_name if self.caregiver is not None else None,
        ):
            if zone_name is not None:
                return timing.zone(zone_name)
        return UTC


def _roles(db: Database, telegram_id: int) -> _Roles | None:
    patient = presser(db, telegram_id)
    caregiver = caregivers.by_telegram_id(db, telegram_id)
    if patient is not None:
        return _Roles(person(patient, caregiver), patient, caregiver)
    if caregiver is not None:
        who = Person(telegram_id, caregiver.chat_id, caregiver_id=caregiver.id)
        return _Roles(who, None, caregiver)
    return None


@dataclass(frozen=True)
class Export:
    """Everything stored about one person, to be sent to their own chat."""

    chat_id: int
    zone: ZoneInfo  # the person's zone (UTC while none is set)
    made_at: datetime
    tables: dict[str, list[dict[str, Any]]]  # table → rows; instants as aware datetimes
    left_out: tuple[tuple[str, str, str], ...]  # (table, column, reason code)


def export_data(db: Database, telegram_id: int, now: datetime) -> Export | Refusal:
    """/export: every row about the presser, this export's own audit entry included."""
    with write_transaction(db):
        found = _roles(db, telegram_id)
        if found is None:
            return Refusal.NEED_START
        if found.patient is not None:
            audit_own(db, found.patient, "data.exported", now)
        else:
            audit.record(
                db, now=now, actor_telegram_id=telegram_id, actor_role=ROLE, action="data.exported"
            )
        tables = privacy.export_rows(db, found.person)
    left_out = tuple((table, column, why) for (table, column), why in LEFT_OUT.items())
    return Export(found.chat_id, found.zone, now, tables, left_out)


def anything_stored(db: Database, telegram_id: int) -> bool:
    """True when there is a patient or caregiver row for ``telegram_id`` (before asking to
    delete it, or offering an export)."""
    return _roles(db, telegram_id) is not None


@dataclass(frozen=True)
class Forgotten:
    patient_id: int | None  # for withdrawing messages already prepared for them (None: no row)
    deleted: dict[str, int]  # rows deleted per table
    scrubbed: bool  # False: another connection kept the write-ahead log from being emptied
    sharing_ended: tuple[Recipient, ...] = ()  # their caregivers (``name``: the patient's)
    stopped_following: tuple[Recipient, ...] = ()  # patients they followed (``name``: theirs)
    caregiver: bool = False  # they had a caregiver row (their chat's own menu goes)


def forget(db: Database, telegram_id: int, now: datetime) -> Forgotten | Refusal:
    """/forget, confirmed: no row anywhere names the presser any more; the audit log keeps only
    an anonymous "an erasure happened" entry with the (UTC) day. The people on the other side of
    their links are returned, to be told only that sharing ended."""
    with write_transaction(db):
        found = _roles(db, telegram_id)
        if found is None:
            return Refusal.NEED_START
        ended, stopped = [], []
        if found.patient is not None:
            for link in caregivers.live_links_of_patient(db, found.patient.id):
                caregiver = caregivers.by_id(db, link.caregiver_id)
                assert caregiver is not None
                ended.append(Recipient(caregiver.chat_id, caregiver.language, link.patient_name))
        if found.caregiver is not None:
            for link in caregivers.live_links_of_caregiver(db, found.caregiver.id):
                patient = patients.by_id(db, link.patient_id)
                assert patient is not None
                name = found.caregiver.name
                stopped.append(Recipient(patient.chat_id, patient.language, name))
        deleted = privacy.erase(db, found.person, now.astimezone(UTC).date())
    patient_id = found.patient.id if found.patient is not None else None
    return Forgotten(
        patient_id,
        deleted,
        privacy.scrub(db),
        tuple(ended),
        tuple(stopped),
        caregiver=found.caregiver is not None,
    )
