"""Patients written straight to the database, for tests that need many of them, or fast."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from care.onboarding import start_plan
from scheduler.caregiving import arm_summary
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


def active_link(
    db: Database,
    patient_id: int,
    caregiver_telegram_id: int,
    *,
    now: datetime,
    name: str = "Sam",
    zone: str = "America/New_York",
    language: str = "en",
    scope: str = "adherence",
    patient_name: str = "Ana",
    summaries: str = "weekly",
    missed_alert_after: int | None = 2,
) -> int:
    """A caregiver (made if new) and an active link to the patient, with its first summary
    armed, as the linking flow leaves them; the link's id."""
    with write_transaction(db):
        at = now.isoformat()
        found = db.execute(
            "SELECT id FROM caregivers WHERE telegram_id = ?", [caregiver_telegram_id]
        ).fetchone()
        if found is None:
            cursor = db.execute(
                "INSERT INTO caregivers (telegram_id, chat_id, name, zone_name, language, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [caregiver_telegram_id, caregiver_telegram_id, name, zone, language, at, at],
            )
            caregiver_id = cursor.lastrowid
        else:
            caregiver_id = found[0]
        cursor = db.execute(
            "INSERT INTO care_links (patient_id, caregiver_id, scope, status, patient_name, "
            "summaries, missed_alert_after, created_at, allowed_at) "
            "VALUES (?, ?, ?, 'active', ?, ?, ?, ?, ?)",
            [patient_id, caregiver_id, scope, patient_name, summaries, missed_alert_after, at, at],
        )
        link_id = cursor.lastrowid
        assert link_id is not None
        arm_summary(db, link_id, now)
    return link_id
