"""The boundary every caregiver view passes: may this person see this patient, in this scope?

Every caregiver command, button and scheduled message about a patient asks ``viewable_link``
first, inside its own transaction, and records what was shown with ``audit_view`` in the same
transaction (never health values in the detail). A link is viewable only while it is active,
only by the caregiver it names, and only for what its scope shares.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from care.people import Refusal
from storage import audit, caregivers, patients
from storage.caregivers import Caregiver, Link
from storage.db import write_transaction
from titration.caregiving import Scope

ROLE = "caregiver"  # the audit log's actor_role for everything a caregiver does


@dataclass(frozen=True)
class Recipient:
    """Someone else to tell what happened, in their own language."""

    chat_id: int
    language: str
    name: str  # the name of the *other* person, as this recipient knows them


def caregiver_presser(db: Database, telegram_id: int) -> Caregiver | Refusal:
    """The presser's caregiver row (their role as a caregiver, apart from any patient row)."""
    found = caregivers.by_telegram_id(db, telegram_id)
    return found if found is not None else Refusal.NOT_CAREGIVER


def followed_names(db: Database, telegram_id: int) -> tuple[str, ...] | None:
    """The first names of the patients the presser follows now (active links), or None when
    they are nobody's caregiver. Names only: what the caregiver already knows."""
    caregiver = caregivers.by_telegram_id(db, telegram_id)
    if caregiver is None:
        return None
    links = caregivers.live_links_of_caregiver(db, caregiver.id)
    return tuple(link.patient_name for link in links if link.active)


def caregiver_only(db: Database, telegram_id: int) -> tuple[str, ...] | None:
    """``followed_names`` for someone with no patient row; None for anyone else (a patient, or
    a stranger). A patient's command from such a person is explained, not refused."""
    with write_transaction(db):
        if patients.by_telegram_id(db, telegram_id) is not None:
            return None
        return followed_names(db, telegram_id)


def viewable_link(
    db: Database, telegram_id: int, link_id: int, needs: Scope = Scope.ADHERENCE
) -> Link | Refusal:
    """The link when the caregiver behind ``telegram_id`` may see its patient's data of
    ``needs`` (``Scope.FULL``: side effects, suggestions, benefits) now; else why not.

    NOT_CAREGIVER: no caregiver row; NOT_YOURS: the link is someone else's (or does not exist:
    a forged id says nothing about other people's links); SHARING_ENDED: not active (removed,
    left, refused, or not yet allowed); OUT_OF_SCOPE: the patient shares less than ``needs``.
    """
    caregiver = caregiver_presser(db, telegram_id)
    if isinstance(caregiver, Refusal):
        return caregiver
    link = caregivers.link(db, link_id)
    if link is None or link.caregiver_id != caregiver.id:
        return Refusal.NOT_YOURS
    if not link.active:
        return Refusal.SHARING_ENDED
    if needs is Scope.FULL and not link.scope.shows_effects:
        return Refusal.OUT_OF_SCOPE
    return link


def audit_view(db: Database, telegram_id: int, link: Link, what: str, now: datetime) -> None:
    """Append: the caregiver saw ``what`` (a short code such as ``summary`` or ``patients``) of
    the link's patient. Never health values."""
    audit.record(
        db,
        now=now,
        actor_telegram_id=telegram_id,
        actor_role=ROLE,
        action="caregiver.viewed",
        target_patient_id=link.patient_id,
        detail=f"link={link.id} view={what}",
    )


def audit_link(
    db: Database, telegram_id: int, role: str, action: str, link: Link, now: datetime
) -> None:
    """Append a change to a link, by the patient or the caregiver (``role``)."""
    audit.record(
        db,
        now=now,
        actor_telegram_id=telegram_id,
        actor_role=role,
        action=action,
        target_patient_id=link.patient_id,
        detail=f"link={link.id} scope={link.scope.value}",
    )
