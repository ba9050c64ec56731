"""Patients written straight to the database, for tests that need many of them, or fast."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from scheduler import due
from storage import patients
from titration.models import DEFAULT_PLAN


def consented_patient(
    db: Database, telegram_id: int, *, now: datetime, first_step: str = "confirm"
) -> patients.Patient:
    """A patient who has just consented, at onboarding step ``first_step``."""
    return patients.create(
        db,
        telegram_id=telegram_id,
        chat_id=telegram_id,
        consent_version="test",
        consent_text_sha256="test",
        first_step=first_step,
        now=now,
    )


def onboarded_patient(
    db: Database, telegram_id: int, *, zone: str, bedtime: str, now: datetime
) -> int:
    """An onboarded patient on the usual plan with reminders armed, as after /start; their id."""
    patient = consented_patient(db, telegram_id, now=now)
    patients.update(db, patient.id, now, zone=zone, bedtime=bedtime)
    due.start_reminders(db, patient.id, DEFAULT_PLAN, now)
    return patient.id
