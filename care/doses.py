"""Tonight's dose and the plan's next step: [Taken] / [Snooze] / [Skip], and [Step up] / [Stay].

Each answer is one transaction: the ownership check, the state check and the change cannot be
split by another press or by the wake-up claiming tonight's reminder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from sqlite_utils import Database

from care.people import Refusal, enrolled, presser, presser_dose
from care.supply import SupplyNote, count_taken
from storage import audit, checkins, doses, patients, rules, tasks
from storage.db import write_transaction
from storage.patients import Patient
from titration import plan as plan_rules
from titration.clinic_rules import nudge_delay
from titration.reminders import SNOOZE_FOR, TaskKind, answered_status
from titration.side_effects import Effect


class DoseAction(StrEnum):
    TAKEN = "taken"
    SNOOZE = "snooze"
    SKIP = "skip"


class DoseOutcome(StrEnum):
    TAKEN = "taken"
    SKIPPED = "skipped"
    SNOOZED = "snoozed"
    ALREADY = "already"  # the night was answered or closed before this press
    SNOOZE_USED = "snooze_used"  # one snooze a night


@dataclass(frozen=True)
class StepOffer:
    """A step-up proposed now, already marked as offered."""

    current_mg: Decimal
    nights_taken: int
    next_mg: Decimal


@dataclass(frozen=True)
class DoseAnswer:
    outcome: DoseOutcome
    patient: Patient
    event_id: int
    dose_mg: Decimal
    status: str  # the night's status after the press ("pending" while snoozed)
    at: datetime  # when it was taken, or when the snoozed reminder comes again
    offer: StepOffer | None = None
    supply: SupplyNote | None = None  # a supply notice the dose taken calls for (/supply)


def answer_dose(
    db: Database, telegram_id: int, event_id: int, action: DoseAction, now: datetime
) -> DoseAnswer | Refusal:
    """A press on tonight's reminder, by the person behind ``telegram_id``."""
    with write_transaction(db):
        found = presser_dose(db, telegram_id, event_id)
        if isinstance(found, Refusal):
            return found
        patient, event = found

        def answered(outcome: DoseOutcome, status: str, at: datetime = now) -> DoseAnswer:
            return DoseAnswer(outcome, patient, event_id, event.dose_mg, status, at)

        if action is DoseAction.SNOOZE:
            if not event.open:
                return answered(DoseOutcome.ALREADY, event.status)
            earlier = tasks.find(db, patient.id, event.dose_day, TaskKind.SNOOZE)
            if earlier is not None and earlier.state not in ("pending", "cancelled"):
                return answered(DoseOutcome.SNOOZE_USED, event.status)
            again = now + SNOOZE_FOR
            tasks.schedule(db, patient.id, TaskKind.SNOOZE, event.dose_day, again)
            return answered(DoseOutcome.SNOOZED, event.status, again)
        status = (
            answered_status(event.scheduled_at, now, _nudge_after(db, patient.id))
            if action is DoseAction.TAKEN
            else "skipped"
        )
        if not doses.answer(db, event.id, status, now):
            current = doses.by_id(db, event.id)
            return answered(DoseOutcome.ALREADY, current.status if current else "missed")
        if action is DoseAction.SKIP:
            return answered(DoseOutcome.SKIPPED, status)
        offer = offer_step_if_due(db, patient, now)
        note = count_taken(db, patient, event, now)
        return DoseAnswer(
            DoseOutcome.TAKEN, patient, event_id, event.dose_mg, status, now, offer, note
        )


@dataclass(frozen=True)
class OpenDose:
    """A dose whose reminder has come and which is not answered yet."""

    event_id: int
    dose_mg: Decimal
    morning: bool


def open_dose(db: Database, telegram_id: int, now: datetime) -> OpenDose | None:
    """The presser's newest dose still open after its reminder came ("I took it" in words can
    then be logged with one tap); None when there is none (or no plan has started)."""
    with write_transaction(db):
        patient = presser(db, telegram_id)
        if patient is None or not enrolled(patient):
            return None
        for event in doses.recent(db, patient.id, limit=2):
            if event.open and event.scheduled_at <= now:
                return OpenDose(event.id, event.dose_mg, patient.morning_time is not None)
        return None


def _nudge_after(db: Database, patient_id: int) -> timedelta:
    """When the night's nudge goes out: the plan's template's delay, else the clinic's rule."""
    plan = patients.plan_of(db, patient_id)
    return nudge_delay(rules.current(db), plan.nudge_minutes if plan else None)


def offer_step_if_due(db: Database, patient: Patient, now: datetime) -> StepOffer | None:
    """After a taken dose: whether the plan's next step is due, and if so mark it offered (in the
    caller's transaction, so the check and the mark cannot be split by another press)."""
    plan = patients.plan_of(db, patient.id)
    current, since = patient.current_dose_mg, patient.current_dose_since
    if plan is None or patient.step_offer == "offered" or current is None or since is None:
        return None
    taken = doses.nights_taken(db, patient.id, current, since)
    following = plan_rules.step_to_offer(
        plan,
        current,
        taken,
        held_until_nights=patient.step_offer_after if patient.step_offer == "held" else None,
        side_effect_open=checkins.assessment(db, patient.id).hold_step_up,
    )
    if following is None:
        return None
    patients.update(db, patient.id, now, step_offer="offered")
    return StepOffer(current, taken, following)


class StepChoice(StrEnum):
    UP = "up"
    STAY = "stay"


class StepOutcome(StrEnum):
    STEPPED_UP = "stepped_up"
    STAYED = "stayed"
    HELD = "held"  # a side effect began after the offer: the step waits until it eases
    STALE = "stale"  # answered already, or the plan moved on


@dataclass(frozen=True)
class StepAnswer:
    outcome: StepOutcome
    dose_mg: Decimal = Decimal(0)  # the dose from ``from_day`` (up) or kept (stay)
    from_day: date | None = None
    maintenance: bool = False
    ask_again_in_days: int = 0
    held_for: tuple[Effect, ...] = field(default=())


STAY_WAIT_DAYS = 7  # "not yet" asks again after this many taken nights (or the plan's interval)


def answer_step_offer(
    db: Database, telegram_id: int, choice: StepChoice, dose: Decimal, now: datetime
) -> StepAnswer | Refusal:
    """[Step up to ``dose``] or [Stay at ``dose``]: applies from the first night whose reminder
    has not been prepared yet, decided in the same transaction that changes the dose."""
    with write_transaction(db):
        patient = presser(db, telegram_id)
        if patient is None:
            return Refusal.NO_RECORD
        plan = patients.plan_of(db, patient.id)
        if plan is None or not enrolled(patient):
            return Refusal.NOT_YOURS
        current, since = patient.current_dose_mg, patient.current_dose_since
        assert current is not None and since is not None
        following = plan_rules.next_dose(plan, current)
        expected = following if choice is StepChoice.UP else current
        if patient.step_offer != "offered" or dose != expected:
            return StepAnswer(StepOutcome.STALE)
        if choice is StepChoice.STAY:
            taken = doses.nights_taken(db, patient.id, current, since)
            wait = min(STAY_WAIT_DAYS, plan_rules.nights_at(plan, current))
            patients.update(db, patient.id, now, step_offer="held", step_offer_after=taken + wait)
            _audit(db, patient, "plan.step_stayed", now)
            return StepAnswer(StepOutcome.STAYED, current, ask_again_in_days=wait)
        episode = checkins.assessment(db, patient.id)
        if episode.hold_step_up:
            # Offered before the side effect began: it waits; offered again once it has eased.
            patients.update(db, patient.id, now, step_offer="none")
            return StepAnswer(
                StepOutcome.HELD, current, held_for=tuple(sorted(episode.open_episodes))
            )
        assert following is not None
        from_day = _first_unprepared_night(db, patient, now)
        patients.change_dose(db, patient.id, following, from_day, "step_up", now)
        _audit(db, patient, "plan.stepped_up", now)
        maintenance = plan_rules.in_maintenance(plan, following)
        return StepAnswer(StepOutcome.STEPPED_UP, following, from_day, maintenance)


def _first_unprepared_night(db: Database, patient: Patient, now: datetime) -> date:
    """The first dose day whose reminder still waits to be prepared (its dose not yet fixed)."""
    pending = tasks.pending_reminder(db, patient.id)
    if pending is not None:
        return pending.dose_day
    last = tasks.last_fired_reminder_day(db, patient.id)
    return (last or now.astimezone(patient.zone).date()) + timedelta(days=1)


def _audit(db: Database, patient: Patient, action: str, now: datetime) -> None:
    audit.record(
        db,
        now=now,
        actor_telegram_id=patient.telegram_id,
        actor_role="patient",
        action=action,
        target_patient_id=patient.id,
    )
