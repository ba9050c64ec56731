"""Linking a caregiver, with consent on both sides: /invite, the caregiver opening the link,
agreeing, choosing their time zone, and the patient's [Allow] / [Refuse].

Nothing is shared before the patient allows it: a link is ``opened`` while the caregiver reads
the invite (and picks a zone), ``awaiting_patient`` once they agreed, ``active`` only after the
patient's [Allow]. Codes that do not fit (unknown, used, expired, malformed) are counted per
person; past ``FAILURES_ALLOWED`` in an hour every code is refused unread, so guessing is slow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlite_utils import Database

from care.caregiving import ROLE, Recipient, audit_link, caregiver_presser
from care.people import Refusal, enrolled_presser, presser
from care.reminders import audit_own
from scheduler.caregiving import arm_summary
from storage import care_invites, caregivers, patients, rules
from storage.caregivers import Caregiver, Link
from storage.db import write_transaction
from titration import invite_codes
from titration.caregiving import LinkStatus, Scope

FAILURES_ALLOWED = 5  # codes that do not fit, per person and hour, before guessing is stopped


class CaregiverStep(StrEnum):
    """The caregiver's open question (the caregiver row's step column)."""

    ZONE = "care_zone"


# /invite ---------------------------------------------------------------------------------------


class InviteOutcome(StrEnum):
    MADE = "made"
    TOO_MANY = "too_many"  # already ``MAX_PENDING`` unused, unexpired invites


@dataclass(frozen=True)
class Invitation:
    outcome: InviteOutcome
    code: str | None = None  # shown once, in the link; only its fingerprint is stored
    scope: Scope | None = None
    expires_at: datetime | None = None
    zone_name: str | None = None  # the patient's, to show the expiry in


def invite(
    db: Database, telegram_id: int, scope: Scope, patient_name: str, now: datetime
) -> Invitation | Refusal:
    """A one-time invite for a caregiver to see ``scope``, valid for 72 hours."""
    with write_transaction(db):
        patient = enrolled_presser(db, telegram_id)
        if isinstance(patient, Refusal):
            return patient
        if care_invites.pending_count(db, patient.id, now) >= invite_codes.MAX_PENDING:
            return Invitation(InviteOutcome.TOO_MANY)
        code = invite_codes.new_code()
        made = care_invites.create(
            db,
            patient_id=patient.id,
            code_sha256=invite_codes.fingerprint(code),
            scope=scope,
            patient_name=patient_name[:64],
            now=now,
            expires_at=now + invite_codes.VALID_FOR,
        )
        audit_own(db, patient, "care.invited", now, detail=f"invite={made.id} scope={scope}")
        return Invitation(InviteOutcome.MADE, code, scope, made.expires_at, patient.zone_name)


# The caregiver opens the link ------------------------------------------------------------------


class OpenOutcome(StrEnum):
    OPENED = "opened"  # show who invited them, what they would see, [I agree] / [No thanks]
    NOT_VALID = "not_valid"  # unknown, used, expired or malformed: one clear refusal
    TOO_MANY_TRIES = "too_many_tries"  # the first code past the limit: say so, once
    IGNORED = "ignored"  # further codes within the hour: no answer at all
    OWN_INVITE = "own_invite"  # the patient opened their own link
    ALREADY_LINKED = "already_linked"  # they follow (or are joining) this patient already


@dataclass(frozen=True)
class Opening:
    outcome: OpenOutcome
    link: Link | None = None
    patient_name: str = ""


def open_invite(
    db: Database, telegram_id: int, code: str, name: str, language: str, now: datetime
) -> Opening:
    """``/start <code>``: a caregiver (``name``, Telegram language ``language``) opens an invite.
    A fitting code is used up at once and binds the invite to this person."""
    with write_transaction(db):
        if care_invites.failures(db, telegram_id, now) >= FAILURES_ALLOWED:
            return _failed(db, telegram_id, now)
        found = None
        if invite_codes.well_formed(code):
            found = care_invites.by_fingerprint(db, invite_codes.fingerprint(code))
        if found is None or not found.open_at(now):
            return _failed(db, telegram_id, now)
        patient = patients.by_id(db, found.patient_id)
        assert patient is not None  # invites go with the patient's rows (ON DELETE CASCADE)
        if patient.telegram_id == telegram_id:
            return Opening(OpenOutcome.OWN_INVITE)
        care_invites.use(db, found.id, now)
        caregiver = caregivers.by_telegram_id(db, telegram_id)
        if caregiver is None:
            caregiver = caregivers.create(
                db,
                telegram_id=telegram_id,
                chat_id=telegram_id,
                name=name[:64],
                language=language,
                now=now,
            )
        if caregivers.unended_link(db, patient.id, caregiver.id) is not None:
            return Opening(OpenOutcome.ALREADY_LINKED, patient_name=found.patient_name)
        link = caregivers.create_link(
            db,
            patient_id=patient.id,
            caregiver_id=caregiver.id,
            invite_id=found.id,
            scope=found.scope,
            patient_name=found.patient_name,
            # The clinic's default (its "caregiver alert defaults" rule); the caregiver may
            # change it for this link later. Links made before a change keep theirs.
            missed_alert_after=rules.current(db).caregiver_alert_after,
            now=now,
        )
        audit_link(db, telegram_id, ROLE, "care.invite_opened", link, now)
        return Opening(OpenOutcome.OPENED, link, found.patient_name)


def _failed(db: Database, telegram_id: int, now: datetime) -> Opening:
    count = care_invites.fail(db, telegram_id, now)
    if count <= FAILURES_ALLOWED:
        return Opening(OpenOutcome.NOT_VALID)
    if count == FAILURES_ALLOWED + 1:
        return Opening(OpenOutcome.TOO_MANY_TRIES)
    return Opening(OpenOutcome.IGNORED)


# Agreeing, the zone, the patient's answer --------------------------------------------------------


class JoinOutcome(StrEnum):
    ASK_ZONE = "ask_zone"  # agreed; their time zone comes next
    ZONE_NOT_FOUND = "zone_not_found"
    PICK_ZONE = "pick_zone"  # several zones fit the typed place (``zones``)
    PATIENT_ASKED = "patient_asked"  # ``asks``: the patients to put [Allow] / [Refuse] to
    DECLINED = "declined"  # [No thanks]: the link is gone, nothing was shared
    NOT_NOW = "not_now"  # no zone question is open


@dataclass(frozen=True)
class PatientAsk:
    """Put [Allow] / [Refuse] for ``link`` to the patient (``to``; ``to.name``: the caregiver)."""

    link: Link
    to: Recipient


@dataclass(frozen=True)
class Joining:
    outcome: JoinOutcome
    zones: tuple[str, ...] = ()
    zone_saved: str | None = None
    asks: tuple[PatientAsk, ...] = ()


def _opened_link(db: Database, caregiver: Caregiver, link_id: int) -> Link | Refusal:
    link = caregivers.link(db, link_id)
    if link is None or link.caregiver_id != caregiver.id:
        return Refusal.NOT_YOURS
    return link if link.status is LinkStatus.OPENED and not link.agreed else Refusal.STALE


def agree(db: Database, telegram_id: int, link_id: int, now: datetime) -> Joining | Refusal:
    """[I agree] under an invite: the zone question, or straight to the patient's answer."""
    with write_transaction(db):
        caregiver = caregiver_presser(db, telegram_id)
        if isinstance(caregiver, Refusal):
            return caregiver
        link = _opened_link(db, caregiver, link_id)
        if isinstance(link, Refusal):
            return link
        caregivers.agree(db, link.id, now)
        audit_link(db, telegram_id, ROLE, "care.agreed", link, now)
        if caregiver.zone_name is None:
            caregivers.update(db, caregiver.id, now, step=CaregiverStep.ZONE.value)
            return Joining(JoinOutcome.ASK_ZONE)
        return Joining(JoinOutcome.PATIENT_ASKED, asks=_ask_patients(db, caregiver, now))


def decline(db: Database, telegram_id: int, link_id: int, now: datetime) -> Joining | Refusal:
    """[No thanks] under an invite: the link goes; the patient may invite someone else."""
    with write_transaction(db):
        caregiver = caregiver_presser(db, telegram_id)
        if isinstance(caregiver, Refusal):
            return caregiver
        link = _opened_link(db, caregiver, link_id)
        if isinstance(link, Refusal):
            return link
        audit_link(db, telegram_id, ROLE, "care.declined", link, now)
        caregivers.delete_link(db, link.id)
        return Joining(JoinOutcome.DECLINED)


def cancel_joining(db: Database, telegram_id: int, now: datetime) -> bool:
    """/cancel at the caregiver's zone question: the invitations they agreed to are dropped, as
    if they had said no (nothing was shared); False when no such question is open."""
    with write_transaction(db):
        caregiver = caregivers.by_telegram_id(db, telegram_id)
        if caregiver is None or caregiver.step != CaregiverStep.ZONE:
            return False
        for link in caregivers.agreed_links(db, caregiver.id):
            audit_link(db, telegram_id, ROLE, "care.declined", link, now)
            caregivers.delete_link(db, link.id)
        caregivers.update(db, caregiver.id, now, step=None)
        return True


def zone_typed(
    db: Database, telegram_id: int, zones: Sequence[str], sure: bool, now: datetime
) -> Joining | Refusal:
    """A place typed for the caregiver's zone question, as the bot read it (``zones`` it may
    mean; ``sure``: named exactly, so that one zone). Only a sure answer is saved untapped."""
    if sure and len(zones) == 1:
        return choose_zone(db, telegram_id, zones[0], now)
    with write_transaction(db):
        caregiver = caregiver_presser(db, telegram_id)
        if isinstance(caregiver, Refusal):
            return caregiver
        if caregiver.step != CaregiverStep.ZONE:
            return Joining(JoinOutcome.NOT_NOW)
    outcome = JoinOutcome.PICK_ZONE if zones else JoinOutcome.ZONE_NOT_FOUND
    return Joining(outcome, zones=tuple(zones))


def choose_zone(
    db: Database, telegram_id: int, zone: str | None, now: datetime
) -> Joining | Refusal:
    """A zone tapped, typed or found at a shared location (None: none there): saved as the
    caregiver's own, then every patient whose invite they agreed to is asked."""
    with write_transaction(db):
        caregiver = caregiver_presser(db, telegram_id)
        if isinstance(caregiver, Refusal):
            return caregiver
        if caregiver.step != CaregiverStep.ZONE:
            return Joining(JoinOutcome.NOT_NOW)
        if zone is None:
            return Joining(JoinOutcome.ZONE_NOT_FOUND)
        caregiver = caregivers.update(db, caregiver.id, now, zone_name=zone, step=None)
        asks = _ask_patients(db, caregiver, now)
        return Joining(JoinOutcome.PATIENT_ASKED, zone_saved=zone, asks=asks)


def _ask_patients(db: Database, caregiver: Caregiver, now: datetime) -> tuple[PatientAsk, ...]:
    asks = []
    for link in caregivers.agreed_links(db, caregiver.id):
        patient = patients.by_id(db, link.patient_id)
        assert patient is not None
        link = caregivers.set_status(db, link.id, LinkStatus.AWAITING_PATIENT, now)
        asks.append(PatientAsk(link, Recipient(patient.chat_id, patient.language, caregiver.name)))
    return tuple(asks)


class Decision(StrEnum):
    ALLOWED = "allowed"
    REFUSED = "refused"


@dataclass(frozen=True)
class Decided:
    outcome: Decision
    link: Link
    caregiver: Recipient  # to tell, in their language; ``name``: the patient's first name
    caregiver_name: str


def decide(
    db: Database, telegram_id: int, link_id: int, allow: bool, now: datetime
) -> Decided | Refusal:
    """The patient's [Allow] / [Refuse]: only now does anything get shared."""
    with write_transaction(db):
        patient = presser(db, telegram_id)
        link = caregivers.link(db, link_id)
        if patient is None or link is None or link.patient_id != patient.id:
            return Refusal.NOT_YOURS
        if link.status is not LinkStatus.AWAITING_PATIENT:
            return Refusal.STALE
        status = LinkStatus.ACTIVE if allow else LinkStatus.REFUSED
        link = caregivers.set_status(db, link.id, status, now)
        if allow:
            arm_summary(db, link.id, now)  # the first summary (weekly unless changed)
        action = "care.allowed" if allow else "care.refused"
        audit_link(db, telegram_id, "patient", action, link, now)
        caregiver = caregivers.by_id(db, link.caregiver_id)
        assert caregiver is not None
        to = Recipient(caregiver.chat_id, caregiver.language, link.patient_name)
        return Decided(Decision.ALLOWED if allow else Decision.REFUSED, link, to, caregiver.name)
