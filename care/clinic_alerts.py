"""Alerts to the clinic: what a patient reported that staff should hear of now, not only find
under "needs attention" (RELIABILITY S18: severe side effects → an admin alert).

What is told: an urgent sign the patient wrote of (an allergic reaction, liver trouble), words
that may mean a crisis (thoughts of suicide or self-harm), an opioid the patient says they take
now (their reminders pause), and a side effect rated severe at a check-in. Never the patient's
words: a reason code and, for a severe report, which effects. Each reason goes out at most once
a day per patient (twice "I have hives" is one alert); every alert is audited as the system's
(``clinic.alerted``, the reason as the detail), which is also what the once-a-day rule reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlite_utils import Database

from care.admin import alias
from care.people import Refusal
from storage import audit, patients, staff
from storage.db import write_transaction
from storage.rows import iso
from titration.side_effects import Effect

ONCE_PER = timedelta(hours=24)
ACTION = "clinic.alerted"


class AlertReason(StrEnum):
    CRISIS = "crisis"
    ALLERGY = "allergy"
    LIVER = "liver"
    OPIOID = "opioid"
    SEVERE = "severe"


@dataclass(frozen=True)
class ClinicAlert:
    """Whom to tell (each admin's Telegram id and language) about which patient and why."""

    admins: tuple[tuple[int, str], ...]
    patient_id: int
    alias: str
    reasons: tuple[AlertReason, ...]  # most urgent first
    effects: tuple[Effect, ...] = ()  # for SEVERE: which effects


def to_clinic(
    db: Database,
    telegram_id: int,
    reasons: tuple[AlertReason, ...],
    now: datetime,
    effects: tuple[Effect, ...] = (),
) -> ClinicAlert | None:
    """The alert to send for what the patient ``telegram_id`` just reported, or None (not a
    patient, no admin, or every reason already told today). Audited here."""
    with write_transaction(db):
        patient = patients.by_telegram_id(db, telegram_id)
        admins = staff.admins_with_language(db)
        if patient is None or not admins:
            return None
        told = {
            entry["detail"]
            for entry in audit.entries(db, patient.id)
            if entry["action"] == ACTION and entry["at"] >= iso(now - ONCE_PER)
        }
        new = tuple(r for r in AlertReason if r in reasons and r.value not in told)
        for reason in new:
            audit.record(
                db,
                now=now,
                actor_telegram_id=None,
                actor_role="system",
                action=ACTION,
                target_patient_id=patient.id,
                detail=reason.value,
            )
    if not new:
        return None
    return ClinicAlert(tuple(admins), patient.id, alias(patient.id), new, effects)


def remember_language(db: Database, telegram_id: int, language: str) -> Refusal | None:
    """An admin opened /admin: their alerts come in the language their app shows."""
    with write_transaction(db):
        if not staff.is_admin(db, telegram_id):
            return Refusal.NOT_ADMIN
        staff.set_language(db, telegram_id, language)
    return None
