"""A caregiver's [Acknowledge] under an alert, and the alerts raised from a patient's check-in.

Acknowledging is authorised against the presser and the link: the alert must be on an active
link whose caregiver is the presser. The patient is then told who saw it (the caregiver's name).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlite_utils import Database

from care.caregiving import ROLE, caregiver_presser, viewable_link
from care.people import Refusal
from scheduler.caregiving import raise_alert
from storage import audit, care_tasks, patients, safety
from storage.db import write_transaction
from storage.safety import EventKind
from titration.care_summary import CareKind
from titration.caregiving import Scope
from titration.side_effects import Effect

RECORDED = timedelta(days=1)  # an urgent sign written again within this is not recorded again


class AckOutcome(StrEnum):
    ACKNOWLEDGED = "acknowledged"
    ALREADY = "already"  # pressed before: the patient was told then


@dataclass(frozen=True)
class Acknowledged:
    outcome: AckOutcome
    kind: CareKind
    caregiver_name: str
    caregiver_language: str
    patient_name: str  # as the caregiver knows them
    patient_chat_id: int
    patient_language: str


def acknowledge(
    db: Database, telegram_id: int, task_id: int, now: datetime
) -> Acknowledged | Refusal:
    """[Acknowledge] under alert ``task_id``, pressed by ``telegram_id``."""
    with write_transaction(db):
        caregiver = caregiver_presser(db, telegram_id)
        if isinstance(caregiver, Refusal):
            return caregiver
        task = care_tasks.by_id(db, task_id)
        if task is None or task.kind is CareKind.SUMMARY:
            return Refusal.NOT_YOURS
        needs = Scope.FULL if task.kind.needs_full_scope else Scope.ADHERENCE
        link = viewable_link(db, telegram_id, task.link_id, needs)
        if isinstance(link, Refusal):
            return link
        if task.state != "sent":
            return Refusal.STALE
        patient = patients.by_id(db, link.patient_id)
        if patient is None:
            return Refusal.STALE
        first = care_tasks.acknowledge(db, task.id, now)
        if first:
            audit.record(
                db,
                now=now,
                actor_telegram_id=telegram_id,
                actor_role=ROLE,
                action="caregiver.alert_acknowledged",
                target_patient_id=patient.id,
                detail=f"link={link.id} kind={task.kind.value}",
            )
        return Acknowledged(
            AckOutcome.ACKNOWLEDGED if first else AckOutcome.ALREADY,
            task.kind,
            caregiver.name,
            caregiver.language,
            link.patient_name,
            patient.chat_id,
            patient.language,
        )


def after_checkin(
    db: Database,
    patient_id: int,
    severe: tuple[Effect, ...],
    suggested: tuple[Effect, ...],
    day: str,
    now: datetime,
) -> None:
    """Tell caregivers with full scope of a severe report or a suggestion (once per event)."""
    for effect in severe:
        raise_alert(db, patient_id, CareKind.SEVERE, f"{effect.value}:{day}", now)
    for effect in suggested:
        raise_alert(db, patient_id, CareKind.SUGGESTION, f"{effect.value}:{day}", now)


def after_urgent_sign(
    db: Database, telegram_id: int, signs: tuple[str, ...], now: datetime
) -> None:
    """A patient wrote of an urgent sign and was told to seek care now: record it for the
    clinic (a safety event, once a day per sign) and tell caregivers with full scope (the sign's
    code only, never the words). Once per sign and day."""
    with write_transaction(db):
        patient = patients.by_telegram_id(db, telegram_id)
        if patient is None:
            return
        recent = safety.events(db, patient.id, kind=EventKind.URGENT_SIGN, since=now - RECORDED)
        for sign in signs:
            if not any(event.sign == sign for event in recent):
                safety.record(db, patient.id, EventKind.URGENT_SIGN, None, now, sign=sign)
        if patient.zone_name is None:
            return
        day = now.astimezone(patient.zone).date().isoformat()
        for sign in signs:
            raise_alert(db, patient.id, CareKind.URGENT, f"{sign}:{day}", now)
