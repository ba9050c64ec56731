"""Reminders on and off: pause, resume, re-arm after a settings change, and what happens when a
person blocks or unblocks the bot. Each one transaction; the scheduler arms the rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlite_utils import Database

from care.people import Refusal, enrolled_presser, presser
from scheduler.due import arm_next_checkin, arm_next_reminder, hold_unreachable
from storage import audit, patients, safety, tasks
from storage.db import write_transaction
from storage.patients import Patient
from storage.safety import EventKind


def rearm(
    db: Database, patient: Patient, now: datetime, *, catch_up: timedelta = timedelta(0)
) -> datetime:
    """Reminders on for ``patient`` (in the caller's transaction): the next one's instant."""
    patient = patients.update(db, patient.id, now, status="active", onboarding_step=None)
    arm_next_checkin(db, patient, now)
    return arm_next_reminder(db, patient, now, catch_up=catch_up)[1]


def audit_own(db: Database, patient: Patient, action: str, now: datetime, detail: str = "") -> None:
    """Append: the patient did ``action`` to their own record (``detail`` never health data)."""
    audit.record(
        db,
        now=now,
        actor_telegram_id=patient.telegram_id,
        actor_role="patient",
        action=action,
        target_patient_id=patient.id,
        detail=detail,
    )


class Switch(StrEnum):
    DONE = "done"
    ALREADY = "already"  # paused while paused, resumed while running
    CONFIRM = "confirm"  # paused after an opioid was reported: the patient must confirm first


@dataclass(frozen=True)
class Switched:
    outcome: Switch
    patient: Patient
    next_reminder: datetime | None = None  # after resuming
    held_since: datetime | None = None  # CONFIRM: when the opioid was reported


def pause(db: Database, telegram_id: int, now: datetime) -> Switched | Refusal:
    """/pause: no reminders or check-ins until /resume."""
    with write_transaction(db):
        found = enrolled_presser(db, telegram_id)
        if isinstance(found, Refusal):
            return found
        if found.status == "paused":
            return Switched(Switch.ALREADY, found)
        patient = patients.update(db, found.id, now, status="paused", onboarding_step=None)
        tasks.cancel_pending(db, found.id)
        audit_own(db, found, "reminders.paused", now)
        return Switched(Switch.DONE, patient)


def resume(db: Database, telegram_id: int, now: datetime) -> Switched | Refusal:
    """/resume: reminders back on; the next one's time. Not while an opioid the patient reported
    holds them: then the patient is asked to confirm (``care.safety.confirm_resume``)."""
    with write_transaction(db):
        found = enrolled_presser(db, telegram_id)
        if isinstance(found, Refusal):
            return found
        held = safety.events(db, found.id, kind=EventKind.OPIOID_TAKEN, open_only=True)
        if found.status == "paused" and held:
            return Switched(Switch.CONFIRM, found, held_since=held[0].reported_at)
        due_at = rearm(db, found, now)
        if found.status != "paused":
            return Switched(Switch.ALREADY, found, due_at)
        audit_own(db, found, "reminders.resumed", now)
        return Switched(Switch.DONE, found, due_at)


def blocked(db: Database, telegram_id: int, now: datetime) -> bool:
    """The person blocked the bot: hold their tasks until they come back. False: not a patient."""
    with write_transaction(db):
        patient = presser(db, telegram_id)
        if patient is None:
            return False
        hold_unreachable(db, patient.id, "blocked", now)
        return True


def unblocked(db: Database, telegram_id: int, now: datetime) -> bool:
    """The person unblocked the bot: reachable again, reminders re-armed if they were running.
    True when reminders were re-armed (the wake-up should look again)."""
    with write_transaction(db):
        patient = presser(db, telegram_id)
        if patient is None or patient.reachable:
            return False
        patients.mark_reachable(db, patient.id, now)
        if patient.status != "active":
            return False
        rearm(db, patient, now)
        return True
