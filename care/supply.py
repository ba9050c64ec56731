"""/supply: the LDN on hand, counted down on Taken and back on Undo, and "time to reorder".

Optional (no supply row: not tracked). Each intention is one transaction: the presser, their
supply, the change and the audit entry (never an amount). A dose answer counts in the caller's
transaction (``count_taken``, ``give_back``), so the night and the count cannot disagree.
Units and arithmetic are ``titration.supply``'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from sqlite_utils import Database

from care.people import Refusal, enrolled_presser
from care.reminders import audit_own
from care.views import Place, plan_of
from storage import doses, patients, supplies
from storage.db import write_transaction
from storage.doses import DoseEvent
from storage.patients import Patient
from storage.supplies import Supply
from titration import supply as rules
from titration.supply import AmountError, AmountProblem, Notice, Step, SupplyUnit


class SupplyStep(StrEnum):
    """The /supply question whose typed answer we wait for (the patient row's step column)."""

    COUNT = "supply_count"  # how much is on hand now (start counting, or correct the count)
    REFILL = "supply_refill"  # how much a new pack or bottle holds


class SupplyAction(StrEnum):
    START = "start"
    REFILL = "refill"
    COUNT = "count"
    STOP = "stop"


@dataclass(frozen=True)
class StepAhead:
    day: date
    dose_mg: Decimal


@dataclass(frozen=True)
class SupplyView:
    """What /supply shows. ``supply`` None: not tracked."""

    unit: SupplyUnit  # what the current dose form is counted in
    supply: Supply | None = None
    per_dose: Decimal = Decimal(0)  # what today's dose takes from it
    days: int = 0  # whole doses on hand, day by day
    counts_step: bool = False  # a liquid's days include a step-up ahead (an estimate)
    step_ahead: StepAhead | None = None  # the next step-up, when it comes before it runs out
    form_changed: bool = False  # counted in another unit than the dose form now needs

    @property
    def reorder(self) -> bool:
        return self.supply is not None and self.days <= rules.REORDER_DAYS


@dataclass(frozen=True)
class SupplyNote:
    """A notice after a dose was counted, with the supply as it is now."""

    notice: Notice
    unit: SupplyUnit
    on_hand: Decimal
    days: int


class SupplyOutcome(StrEnum):
    ASK = "ask"  # the question for ``step`` is open now
    SAVED = "saved"  # the count was set or a refill added: ``view``
    RETRY = "retry"  # the typed amount was not accepted (``problem``); the question stays open
    STOPPED = "stopped"  # tracking is off
    NOT_NOW = "not_now"  # no /supply question is open


@dataclass(frozen=True)
class SupplyAnswer:
    outcome: SupplyOutcome
    unit: SupplyUnit
    step: SupplyStep | None = None
    view: SupplyView | None = None
    problem: AmountProblem | None = None


def view(db: Database, telegram_id: int, now: datetime) -> SupplyView | Refusal:
    """/supply: what is on hand and about how long it lasts."""
    with write_transaction(db):
        patient = enrolled_presser(db, telegram_id)
        if isinstance(patient, Refusal):
            return patient
        return _view(db, patient, supplies.of_patient(db, patient.id), now)


def open_question(
    db: Database, telegram_id: int, action: SupplyAction, supply_id: int | None, now: datetime
) -> SupplyAnswer | Refusal:
    """[Start counting] / [I got a new pack] / [Correct the count]: ask the amount."""
    with write_transaction(db):
        found = _own(db, telegram_id, supply_id)
        if isinstance(found, Refusal):
            return found
        patient, supply = found
        refill = action is SupplyAction.REFILL and supply is not None
        step = SupplyStep.REFILL if refill else SupplyStep.COUNT
        patients.update(db, patient.id, now, onboarding_step=step.value)
        return SupplyAnswer(SupplyOutcome.ASK, _unit(patient), step)


def answer_amount(
    db: Database, telegram_id: int, text: str, now: datetime
) -> SupplyAnswer | Refusal:
    """The amount typed at the open /supply question: a count, or what a refill added."""
    with write_transaction(db):
        patient = enrolled_presser(db, telegram_id)
        if isinstance(patient, Refusal):
            return patient
        unit = _unit(patient)
        if patient.onboarding_step not in set(SupplyStep):
            return SupplyAnswer(SupplyOutcome.NOT_NOW, unit)
        step = SupplyStep(patient.onboarding_step)
        supply = supplies.of_patient(db, patient.id)
        refill = step is SupplyStep.REFILL and supply is not None and supply.unit is unit
        try:
            amount = rules.read_amount(text, unit, refill=refill)
        except AmountError as error:
            return SupplyAnswer(SupplyOutcome.RETRY, unit, step, problem=error.problem)
        total = amount + supply.on_hand if refill and supply is not None else amount
        if not rules.within_limits(total, unit):  # a refill on top must still be sensible
            return SupplyAnswer(SupplyOutcome.RETRY, unit, step, problem=AmountProblem.TOO_MUCH)
        if not refill:
            supplies.forget_uses(db, patient.id)  # the count typed is what is there now
        low = _lasts(db, patient, unit, total, now).doses <= rules.REORDER_DAYS
        supply = supplies.put(db, patient.id, unit, total, now, reorder_told=low)
        patient = patients.update(db, patient.id, now, onboarding_step=None)
        audit_own(db, patient, "supply.refilled" if refill else "supply.counted", now)
        return SupplyAnswer(SupplyOutcome.SAVED, unit, view=_view(db, patient, supply, now))


def stop_tracking(
    db: Database, telegram_id: int, supply_id: int, now: datetime
) -> SupplyAnswer | Refusal:
    """[Stop counting]: the supply is forgotten; /supply starts again."""
    with write_transaction(db):
        found = _own(db, telegram_id, supply_id)
        if isinstance(found, Refusal):
            return found
        patient, _supply = found
        supplies.stop(db, patient.id)
        if patient.onboarding_step in set(SupplyStep):
            patient = patients.update(db, patient.id, now, onboarding_step=None)
        audit_own(db, patient, "supply.stopped", now)
        return SupplyAnswer(SupplyOutcome.STOPPED, _unit(patient))


# In the caller's transaction (a dose answer or a correction) -------------------------------


def count_taken(
    db: Database, patient: Patient, event: DoseEvent, now: datetime
) -> SupplyNote | None:
    """A dose recorded as taken: take it from the supply (never below zero) and say what the
    count calls for (about 7 days left, the last of it, an empty count), once each per supply."""
    supply = supplies.of_patient(db, patient.id)
    if supply is None or supply.unit is not _unit(patient):
        return None
    if supplies.used(db, event.id) is not None:
        return None  # counted already
    needed = rules.per_dose(supply.unit, event.dose_mg, patient.mg_per_ml)
    took = rules.take(supply.on_hand, needed)
    left = supply.on_hand - took
    supplies.record_use(db, patient.id, event.id, took)
    days = _lasts(db, patient, supply.unit, left, now).doses
    notice = rules.notice_after(supply.on_hand, left, days, supply.told)
    supplies.count(db, supply, left, rules.told_after(supply.told, notice, left), now)
    return None if notice is None else SupplyNote(notice, supply.unit, left, days)


def give_back(db: Database, patient: Patient, event_id: int, now: datetime) -> None:
    """A dose no longer recorded as taken (undone or corrected): what it took goes back."""
    amount = supplies.used(db, event_id)
    if amount is None:
        return
    supplies.forget_use(db, event_id)
    supply = supplies.of_patient(db, patient.id)
    if supply is None:
        return
    supplies.count(db, supply, supply.on_hand + amount, supply.told, now)


# Inside the transaction ---------------------------------------------------------------------


def _own(
    db: Database, telegram_id: int, supply_id: int | None
) -> tuple[Patient, Supply | None] | Refusal:
    """The presser and their supply; a button naming a supply must name theirs, as it is now."""
    patient = enrolled_presser(db, telegram_id)
    if isinstance(patient, Refusal):
        return patient
    supply = supplies.of_patient(db, patient.id)
    if supply_id is None:
        return patient, supply
    if supply is None or supply.id != supply_id:
        # Someone else's supply (forged), or one since switched off or replaced.
        return Refusal.NOT_YOURS if _anyones(db, supply_id) else Refusal.STALE
    return patient, supply


def _anyones(db: Database, supply_id: int) -> bool:
    return db.execute("SELECT 1 FROM supplies WHERE id = ?", [supply_id]).fetchone() is not None


def _unit(patient: Patient) -> SupplyUnit:
    return rules.unit_for(patient.dose_form)


def _first_open_day(db: Database, patient: Patient, now: datetime) -> date:
    """The first dose day still to take: today, or tomorrow once today's is logged."""
    today = now.astimezone(patient.zone).date()
    event = doses.for_day(db, patient.id, today)
    return today + timedelta(days=1) if event is not None and not event.open else today


def _steps(db: Database, patient: Patient, unit: SupplyUnit, now: datetime) -> list[Step]:
    """What each day's dose takes from the supply, from the first open day: the current dose,
    then (for a liquid) each step the plan has ahead."""
    first = _first_open_day(db, patient, now)
    current = patient.current_dose_mg
    assert current is not None, "an enrolled patient has a dose"
    steps = [Step(first, rules.per_dose(unit, current, patient.mg_per_ml))]
    if unit is SupplyUnit.ML:
        for start, dose in _ahead(db, patient, now):
            steps.append(Step(max(start, first), rules.per_dose(unit, dose, patient.mg_per_ml)))
    return steps


def _ahead(db: Database, patient: Patient, now: datetime) -> list[tuple[date, Decimal]]:
    """The plan's steps ahead (if every dose is taken): start day and dose."""
    plan = plan_of(db, patient, now)
    if plan is None:
        return []
    return [(p.start, p.dose_mg) for place, p in plan.periods if place is Place.AHEAD]


def _lasts(
    db: Database, patient: Patient, unit: SupplyUnit, on_hand: Decimal, now: datetime
) -> rules.Lasts:
    return rules.lasts(on_hand, _first_open_day(db, patient, now), _steps(db, patient, unit, now))


def _view(db: Database, patient: Patient, supply: Supply | None, now: datetime) -> SupplyView:
    unit = _unit(patient)
    if supply is None:
        return SupplyView(unit)
    if supply.unit is not unit:
        return SupplyView(unit, supply, form_changed=True)
    current = patient.current_dose_mg
    assert current is not None
    lasted = _lasts(db, patient, unit, supply.on_hand, now)
    ahead = _ahead(db, patient, now)
    step = None
    if ahead and lasted.last_day is not None and ahead[0][0] <= lasted.last_day:
        step = StepAhead(ahead[0][0], ahead[0][1])
    return SupplyView(
        unit,
        supply,
        rules.per_dose(unit, current, patient.mg_per_ml),
        lasted.doses,
        lasted.counts_step,
        step,
    )
