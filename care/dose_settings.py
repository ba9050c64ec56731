"""/settings buttons for when the dose is taken (bedtime or morning) and its form (capsule,
tablet or liquid). The typed or tapped answers that follow (a morning time, a concentration) are
``care.settings``' own, like every other settings answer. Each one transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from care.people import Refusal, enrolled_presser
from care.settings import (
    SettingsAnswer,
    SettingsOutcome,
    SettingsStep,
    saved_form,
    switched_dose_time,
)
from storage import patients
from storage.db import write_transaction
from titration.dose_form import DoseForm
from titration.dose_time import DoseTime


def choose_dose_time(
    db: Database, telegram_id: int, chosen: DoseTime, now: datetime
) -> SettingsAnswer | Refusal:
    """[At bedtime]: saved at once; [In the morning]: asks the morning time next."""
    with write_transaction(db):
        found = enrolled_presser(db, telegram_id)
        if isinstance(found, Refusal):
            return found
        if found.onboarding_step != SettingsStep.DOSE_TIME:
            return SettingsAnswer(SettingsOutcome.NOT_NOW, found)
        if chosen is DoseTime.MORNING:
            step = SettingsStep.MORNING_TIME
            patient = patients.update(db, found.id, now, onboarding_step=step.value)
            return SettingsAnswer(SettingsOutcome.ASK, patient, step)
        patient = patients.update(db, found.id, now, dose_time=None)
        return switched_dose_time(db, patient, now)


def choose_form(
    db: Database, telegram_id: int, form: DoseForm, now: datetime
) -> SettingsAnswer | Refusal:
    """[Capsules] / [Tablets]: saved at once; [Liquid]: asks its concentration next."""
    with write_transaction(db):
        found = enrolled_presser(db, telegram_id)
        if isinstance(found, Refusal):
            return found
        if found.onboarding_step != SettingsStep.FORM:
            return SettingsAnswer(SettingsOutcome.NOT_NOW, found)
        if form is DoseForm.LIQUID:
            step = SettingsStep.CONCENTRATION
            patient = patients.update(db, found.id, now, onboarding_step=step.value)
            return SettingsAnswer(SettingsOutcome.ASK, patient, step)
        patient = patients.update(db, found.id, now, dose_form=form.value, mg_per_ml=None)
        return saved_form(db, patient, now)
