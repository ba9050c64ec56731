"""Living with links: the patient's /caregivers (see, change what is shared, remove) and the
caregiver's /patients (whom they follow, leave).

The two roles stay apart: a person who is both a patient and a caregiver reaches their own
record through ``care.people.presser`` and the links they follow through their caregiver row;
a link is changed only by the patient it names or left only by the caregiver it names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from care.caregiving import ROLE, Recipient, audit_link, audit_view, caregiver_presser
from care.people import Refusal, presser
from storage import care_invites, caregivers, patients
from storage.caregivers import Link
from storage.db import write_transaction
from storage.patients import Patient
from titration import timing
from titration.caregiving import LinkStatus, Scope

UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class Shared:
    """One of the patient's links, with the caregiver's name."""

    link: Link
    caregiver_name: str


@dataclass(frozen=True)
class Sharing:
    """/caregivers: the patient's live links, and the zone to show their days in."""

    zone: ZoneInfo
    shared: list[Shared]
    invites_open: int = 0  # invitations not opened yet (neither used nor expired)


@dataclass(frozen=True)
class Following:
    """/patients: the caregiver's live links, and their own zone."""

    zone: ZoneInfo
    links: list[Link]


def _patient(db: Database, telegram_id: int) -> Patient | Refusal:
    patient = presser(db, telegram_id)
    return patient if patient is not None else Refusal.NEED_START


def caregivers_of(db: Database, telegram_id: int, now: datetime) -> Sharing | Refusal:
    """/caregivers: the presser's links awaiting their answer or active, oldest first, and how
    many of their invitations wait to be opened."""
    with write_transaction(db):
        patient = _patient(db, telegram_id)
        if isinstance(patient, Refusal):
            return patient
        links = caregivers.live_links_of_patient(db, patient.id)
        zone = patient.zone if patient.zone_name is not None else UTC
        waiting = care_invites.pending_count(db, patient.id, now)
        return Sharing(zone, [_shared(db, link) for link in links], waiting)


def _shared(db: Database, link: Link) -> Shared:
    caregiver = caregivers.by_id(db, link.caregiver_id)
    assert caregiver is not None
    return Shared(link, caregiver.name)


def _own_live_link(db: Database, telegram_id: int, link_id: int) -> tuple[Patient, Link] | Refusal:
    """A press naming a link: someone without a patient row (a caregiver, or a forger) is told
    the button is not theirs, like a patient pressing another patient's link."""
    patient = presser(db, telegram_id)
    link = caregivers.link(db, link_id)
    if patient is None or link is None or link.patient_id != patient.id:
        return Refusal.NOT_YOURS
    if link.status not in (LinkStatus.ACTIVE, LinkStatus.AWAITING_PATIENT):
        return Refusal.STALE
    return patient, link


def shared_link(db: Database, telegram_id: int, link_id: int) -> Shared | Refusal:
    """One of the patient's own live links (before changing or removing it)."""
    with write_transaction(db):
        found = _own_live_link(db, telegram_id, link_id)
        return found if isinstance(found, Refusal) else _shared(db, found[1])


@dataclass(frozen=True)
class Changed:
    """A link changed or ended; ``tell`` is the other person (None: nobody to tell)."""

    link: Link
    tell: Recipient | None
    other_name: str  # the other person's name, for the presser's own confirmation


def change_scope(
    db: Database, telegram_id: int, link_id: int, scope: Scope, now: datetime
) -> Changed | Refusal:
    """The patient shares more or less with one caregiver, from now on."""
    with write_transaction(db):
        found = _own_live_link(db, telegram_id, link_id)
        if isinstance(found, Refusal):
            return found
        _, link = found
        link = caregivers.set_scope(db, link.id, scope)
        audit_link(db, telegram_id, "patient", "care.scope_changed", link, now)
        caregiver = caregivers.by_id(db, link.caregiver_id)
        assert caregiver is not None
        tell = Recipient(caregiver.chat_id, caregiver.language, link.patient_name)
        return Changed(link, tell if link.active else None, caregiver.name)


def remove(db: Database, telegram_id: int, link_id: int, now: datetime) -> Changed | Refusal:
    """The patient ends one caregiver's link: nothing more is shared, from this instant."""
    with write_transaction(db):
        found = _own_live_link(db, telegram_id, link_id)
        if isinstance(found, Refusal):
            return found
        _, link = found
        link = caregivers.set_status(db, link.id, LinkStatus.ENDED, now)
        audit_link(db, telegram_id, "patient", "care.removed", link, now)
        caregiver = caregivers.by_id(db, link.caregiver_id)
        assert caregiver is not None
        tell = Recipient(caregiver.chat_id, caregiver.language, link.patient_name)
        return Changed(link, tell, caregiver.name)


# The caregiver's side ------------------------------------------------------------------------


def followed(db: Database, telegram_id: int, now: datetime) -> Following | Refusal:
    """/patients: the caregiver's links awaiting the patient or active (each view audited)."""
    with write_transaction(db):
        caregiver = caregiver_presser(db, telegram_id)
        if isinstance(caregiver, Refusal):
            return caregiver
        links = caregivers.live_links_of_caregiver(db, caregiver.id)
        for link in links:
            if link.active:
                audit_view(db, telegram_id, link, "patients", now)
        zone = timing.zone(caregiver.zone_name) if caregiver.zone_name is not None else UTC
        return Following(zone, links)


def _followed_link(db: Database, telegram_id: int, link_id: int) -> Link | Refusal:
    caregiver = caregiver_presser(db, telegram_id)
    if isinstance(caregiver, Refusal):
        return caregiver
    link = caregivers.link(db, link_id)
    if link is None or link.caregiver_id != caregiver.id:
        return Refusal.NOT_YOURS
    if link.status not in (LinkStatus.ACTIVE, LinkStatus.AWAITING_PATIENT):
        return Refusal.SHARING_ENDED
    return link


def followed_link(db: Database, telegram_id: int, link_id: int) -> Link | Refusal:
    """One link the caregiver follows (before leaving it)."""
    with write_transaction(db):
        return _followed_link(db, telegram_id, link_id)


def leave(db: Database, telegram_id: int, link_id: int, now: datetime) -> Changed | Refusal:
    """The caregiver stops following one patient; the patient is told."""
    with write_transaction(db):
        link = _followed_link(db, telegram_id, link_id)
        if isinstance(link, Refusal):
            return link
        link = caregivers.set_status(db, link.id, LinkStatus.ENDED, now)
        audit_link(db, telegram_id, ROLE, "care.left", link, now)
        caregiver = caregivers.by_id(db, link.caregiver_id)
        patient = patients.by_id(db, link.patient_id)
        assert caregiver is not None and patient is not None
        tell = Recipient(patient.chat_id, patient.language, caregiver.name)
        return Changed(link, tell, link.patient_name)


@dataclass(frozen=True)
class Roles:
    """Which roles the person holds (for their "/" menu and /help)."""

    patient: bool
    caregiver: bool
    language: str  # the patient row's, else the caregiver row's ("en" for a stranger)


def roles(db: Database, telegram_id: int) -> Roles:
    with write_transaction(db):
        patient = presser(db, telegram_id)
        caregiver = caregivers.by_telegram_id(db, telegram_id)
    language = patient.language if patient else caregiver.language if caregiver else "en"
    return Roles(patient is not None, caregiver is not None, language)
