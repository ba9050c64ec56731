"""Patients written straight to the database, for tests that need many of them, or fast."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from care.onboarding import start_plan
from storage import patients
from storage.db import write_transaction
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
    with write_transaction(db):
        patient = consented_patient(db, telegram_id, now=now)
        patient = patients.update(db, patient.id, now, zone=zone, bedtime=bedtime)
        start_plan(db, patient, DEFAULT_PLAN, now)  # what [Start] under the summary does
    return patient.id
