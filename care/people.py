"""Who is asking: the presser's patient row, found one way for every intention, and the refusals
every intention shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlite_utils import Database

from storage import admin_questions, caregivers, doses, patients, staff, updates
from storage.db import write_transaction
from storage.doses import DoseEvent
from storage.patients import Patient

ENROLLED = ("active", "paused")  # reminders set up: running or paused


class Refusal(StrEnum):
    """Why an intention was not carried out; the bot has one polite answer for each."""

    NEED_START = "need_start"  # nobody by that Telegram id: /start first
    NOT_ACTIVE = "not_active"  # known, but no plan running yet
    NOT_YOURS = "not_yours"  # the button names someone else's record
    STALE = "stale"  # the button or question is no longer open
    NO_RECORD = "no_record"  # a button pressed by someone with no patient row: erased by /forget
    NOT_ADMIN = "not_admin"  # an admin command or button from someone who is not (or no longer) one
    NOT_CAREGIVER = "not_caregiver"  # a caregiver command or button from someone who is none
    SHARING_ENDED = "sharing_ended"  # the link was removed, left or never allowed
    OUT_OF_SCOPE = "out_of_scope"  # the patient does not share that with this caregiver


def presser(db: Database, telegram_id: int) -> Patient | None:
    """The patient row of the person behind ``telegram_id``, if they have one."""
    return patients.by_telegram_id(db, telegram_id)


def presser_dose(
    db: Database, telegram_id: int, event_id: int
) -> tuple[Patient, DoseEvent] | Refusal:
    """The presser and their dose event named by a button (Taken, Skip, Undo …); a press for
    someone else's event, or from someone without a record, is refused."""
    patient = presser(db, telegram_id)
    if patient is None:
        return Refusal.NO_RECORD
    event = doses.by_id(db, event_id)
    if event is None or event.patient_id != patient.id:
        return Refusal.NOT_YOURS
    return patient, event


def enrolled(patient: Patient | None) -> bool:
    """True when the patient's plan has started (reminders running or paused)."""
    return (
        patient is not None
        and patient.status in ENROLLED
        and patient.current_dose_mg is not None
        and patient.current_dose_since is not None
    )


def enrolled_presser(db: Database, telegram_id: int) -> Patient | Refusal:
    """The presser's patient when their plan has started, else why not."""
    patient = presser(db, telegram_id)
    if patient is None:
        return Refusal.NEED_START
    return patient if enrolled(patient) else Refusal.NOT_ACTIVE


def admin_presser(db: Database, telegram_id: int) -> int | Refusal:
    """The presser's Telegram id when they are an admin now, else ``Refusal.NOT_ADMIN``: every
    admin command and button asks this, so a revoked admin's next press is refused."""
    return telegram_id if staff.is_admin(db, telegram_id) else Refusal.NOT_ADMIN


@dataclass(frozen=True)
class Arrival:
    """What the gate needs to know about an update before any feature sees it."""

    first_time: bool  # False: Telegram delivered this update before
    language: str | None  # the person's chosen language, if they have a patient or caregiver row
    awaiting: str | None  # the conversation step whose typed answer we wait for


def arrive(db: Database, update_id: int, telegram_id: int | None, now: datetime) -> Arrival:
    """Record the update (once) and look up its sender's language and open question: their
    patient row's first, else their caregiver row's (someone who is both answers the patient's
    open question first; a caregiver question waits until that one is closed). An admin's open
    question about a patient comes before either."""
    with write_transaction(db):
        first = updates.first_time(db, update_id, now)
        if telegram_id is None or not first:
            return Arrival(first, None, None)
        patient = presser(db, telegram_id)
        caregiver = caregivers.by_telegram_id(db, telegram_id)
        # An admin's open question (a typed dose, time, zone) comes before any of their own.
        staff_step = admin_questions.step_of(db, telegram_id)
    language = patient.language if patient is not None else None
    awaiting = patient.onboarding_step if patient is not None else None
    if caregiver is not None:
        language = language or caregiver.language
        awaiting = awaiting or caregiver.step
    return Arrival(first, language, staff_step or awaiting)
