"""What follows a safety answer: "Yes, I take that opioid now" pauses reminders and records it;
/resume after that asks the patient to confirm before reminders come back.

The words that raise a sign are read by ``titration.urgent`` (in the bot, as they arrive); here
are only the intentions that change something, each one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlite_utils import Database

from care.people import Refusal, enrolled_presser, presser
from care.reminders import audit_own, rearm
from scheduler.caregiving import raise_alert
from storage import patients, safety, tasks
from storage.db import write_transaction
from storage.patients import Patient
from storage.safety import EventKind
from titration.care_summary import CareKind
from titration.safety_words import OPIOID_NAMES
from titration.screening import StopReason

OPIOID_GENERICS = frozenset(OPIOID_NAMES.values())
OPIOID = EventKind.OPIOID_TAKEN  # the events that hold reminders


class OpioidOutcome(StrEnum):
    PAUSED = "paused"  # reminders were running: paused now, event recorded
    ALREADY_PAUSED = "already_paused"  # they were paused: they stay so, event recorded
    NOT_STARTED = "not_started"  # no reminders running (yet): recorded if the person is a patient


@dataclass(frozen=True)
class OpioidAnswer:
    outcome: OpioidOutcome
    patient_id: int | None  # the patient whose reminders the dispatcher must hold (PAUSED)


def taking_opioid(
    db: Database, telegram_id: int, substance: str | None, now: datetime
) -> OpioidAnswer:
    """[Yes] under "Are you taking it now?": reminders pause until the patient confirms on
    /resume (someone still onboarding stops there, as after the screening's "Yes"; /start asks
    the screening again), and the event is recorded for the people who look after them.
    ``substance`` comes from the button: kept only when it is a known generic's code."""
    with write_transaction(db):
        patient = presser(db, telegram_id)
        if patient is None:
            return OpioidAnswer(OpioidOutcome.NOT_STARTED, None)
        code = substance if substance in OPIOID_GENERICS else None
        open_events = safety.events(db, patient.id, kind=OPIOID, open_only=True)
        if not any(event.substance == code for event in open_events):
            safety.record(db, patient.id, EventKind.OPIOID_TAKEN, code, now)
            audit_own(db, patient, "safety.opioid_reported", now)
            # Caregivers with the full scope are told (the generic's code at most, never words).
            day = now.astimezone(patient.zone).date() if patient.zone_name else now.date()
            raise_alert(db, patient.id, CareKind.OPIOID, f"{code or 'opioid'}:{day}", now)
        if patient.status == "paused":
            return OpioidAnswer(OpioidOutcome.ALREADY_PAUSED, patient.id)
        if patient.status == "onboarding":  # as the screening's "Yes": the plan does not start
            patients.update(
                db,
                patient.id,
                now,
                status="not_started",
                stop_reason=StopReason.OPIOIDS.value,
                onboarding_step=None,
            )
            audit_own(db, patient, "screening.stopped", now, detail="safety")
        if patient.status != "active":
            return OpioidAnswer(OpioidOutcome.NOT_STARTED, patient.id)
        patients.update(db, patient.id, now, status="paused", onboarding_step=None)
        tasks.cancel_pending(db, patient.id)
        audit_own(db, patient, "reminders.paused", now, detail="safety")
        return OpioidAnswer(OpioidOutcome.PAUSED, patient.id)


def needs_confirmation(db: Database, patient: Patient) -> datetime | None:
    """When the patient reported the opioid that still holds their reminders (None: nothing
    holds them). In the caller's transaction."""
    held = safety.events(db, patient.id, kind=OPIOID, open_only=True)
    return held[0].reported_at if held else None


class ResumeOutcome(StrEnum):
    RESUMED = "resumed"
    NOT_PAUSED = "not_paused"  # reminders were running already


@dataclass(frozen=True)
class Resumed:
    outcome: ResumeOutcome
    patient: Patient
    next_reminder: datetime


def confirm_resume(db: Database, telegram_id: int, now: datetime) -> Resumed | Refusal:
    """[Yes, go on] under /resume's question: the prescriber said it is fine and no opioid is
    taken now. The safety events are resolved and reminders come back."""
    with write_transaction(db):
        found = enrolled_presser(db, telegram_id)
        if isinstance(found, Refusal):
            return found
        resolved = safety.resolve_open(db, found.id, now)
        was_paused = found.status == "paused"
        due_at = rearm(db, found, now)
        if resolved:
            audit_own(db, found, "safety.resume_confirmed", now)
        if not was_paused:
            return Resumed(ResumeOutcome.NOT_PAUSED, found, due_at)
        audit_own(db, found, "reminders.resumed", now)
        return Resumed(ResumeOutcome.RESUMED, found, due_at)
