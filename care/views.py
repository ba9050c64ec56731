"""What the patient asks to see: /today, /plan and /history (its text and its chart). Read-only,
one call each (one consistent snapshot of the rows), returning values the bot puts into words."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from care.benefits import Summary, summary_as_of
from care.people import Refusal, enrolled_presser, presser
from storage import checkins, doses, patients, tasks
from storage import record as storage_record
from storage.db import write_transaction
from storage.patients import Patient
from titration import plan as plan_rules
from titration.dose_form import DoseForm
from titration.models import DosePeriod, Plan
from titration.record import PatientRecord
from titration.side_effects import Effect

HISTORY_DAYS = 30  # the same days as /history's first chart


@dataclass(frozen=True)
class Tonight:
    dose_mg: Decimal
    status: str  # pending, taken, late, skipped, missed


@dataclass(frozen=True)
class TodayView:
    zone: ZoneInfo
    dose_mg: Decimal  # the current dose
    paused: bool
    tonight: Tonight | None  # tonight's dose, once its reminder is prepared
    next_reminder: datetime | None  # the next reminder waiting to go out (not when paused)
    nights_taken: int | None  # at the current dose (None: no plan)
    interval_days: int | None
    at_target: bool
    morning: bool = False  # the dose is taken in the morning: "today", not "tonight"
    mg_per_ml: Decimal | None = None  # a liquid's concentration: the dose is also said in ml


def today(db: Database, telegram_id: int, now: datetime) -> TodayView | Refusal:
    """/today: tonight's dose and its status, the next reminder, the nights at this dose."""
    with write_transaction(db):
        patient = enrolled_presser(db, telegram_id)
        if isinstance(patient, Refusal):
            return patient
        dose, since = patient.current_dose_mg, patient.current_dose_since
        assert dose is not None and since is not None
        event = doses.for_day(db, patient.id, now.astimezone(patient.zone).date())
        pending = tasks.pending_reminder(db, patient.id) if patient.status != "paused" else None
        plan = patients.plan_of(db, patient.id)
        taken = doses.nights_taken(db, patient.id, dose, since) if plan is not None else None
        return TodayView(
            zone=patient.zone,
            dose_mg=dose,
            paused=patient.status == "paused",
            tonight=Tonight(event.dose_mg, event.status) if event is not None else None,
            next_reminder=pending.due_at if pending is not None else None,
            nights_taken=taken,
            interval_days=plan_rules.nights_at(plan, dose) if plan is not None else None,
            at_target=plan is not None and plan_rules.in_maintenance(plan, dose),
            morning=patient.morning_time is not None,
            mg_per_ml=_liquid(patient),
        )


class Place(StrEnum):
    PAST = "past"
    CURRENT = "current"
    AHEAD = "ahead"  # assumes every dose is taken and each step agreed


@dataclass(frozen=True)
class PlanView:
    plan: Plan
    periods: tuple[tuple[Place, DosePeriod], ...]
    morning: bool = False  # taken in the morning
    mg_per_ml: Decimal | None = None  # a liquid's concentration


def plan(db: Database, telegram_id: int, now: datetime) -> PlanView | Refusal:
    """/plan: the doses so far (nights taken at each) and the steps ahead."""
    with write_transaction(db):
        patient = enrolled_presser(db, telegram_id)
        if isinstance(patient, Refusal):
            return patient
        return plan_of(db, patient, now) or Refusal.NOT_ACTIVE


def plan_of(db: Database, patient: Patient, now: datetime) -> PlanView | None:
    """The plan calendar of ``patient`` (in the caller's transaction); None without a plan. The
    patient's /plan and the clinic's patient page both show this."""
    chosen = patients.plan_of(db, patient.id)
    changes = patients.dose_changes(db, patient.id)
    if chosen is None or not changes:
        return None
    history: list[DosePeriod] = []
    for index, (dose, start, _reason) in enumerate(changes):
        following = changes[index + 1][1] if index + 1 < len(changes) else None
        end = following - timedelta(days=1) if following is not None else None
        history.append(
            DosePeriod(dose, start, end, doses.nights_taken(db, patient.id, dose, start))
        )
    today = now.astimezone(patient.zone).date()
    tonight = doses.for_day(db, patient.id, today)
    settled = tonight is not None and tonight.status != "pending"
    periods = plan_rules.calendar(chosen, history, today, tonight_settled=settled)
    current = len(history) - 1
    placed = tuple(
        (Place.PAST if i < current else Place.CURRENT if i == current else Place.AHEAD, p)
        for i, p in enumerate(periods)
    )
    return PlanView(chosen, placed, patient.morning_time is not None, _liquid(patient))


def _liquid(patient: Patient) -> Decimal | None:
    """A liquid's concentration, or None for capsules and tablets."""
    return patient.mg_per_ml if patient.dose_form is DoseForm.LIQUID else None


@dataclass(frozen=True)
class DoseEffects:
    """The answered check-ins at one dose: how many, and how often each effect was noted."""

    dose_mg: Decimal
    checkins: int
    effects: tuple[tuple[Effect, int], ...]  # most often first


@dataclass(frozen=True)
class HistoryView:
    days: int
    by_dose: tuple[DoseEffects, ...]  # highest dose first
    benefits: Summary | None  # None: no complete rating yet


def history(db: Database, telegram_id: int, now: datetime) -> HistoryView | Refusal:
    """/history: side effects per dose over the last 30 days, and the benefits so far."""
    with write_transaction(db):
        patient = enrolled_presser(db, telegram_id)
        if isinstance(patient, Refusal):
            return patient
        return _history_view(db, patient, now)


def _history_view(db: Database, patient: Patient, now: datetime) -> HistoryView:
    today_day = now.astimezone(patient.zone).date()
    first_day = today_day - timedelta(days=HISTORY_DAYS - 1)
    answered = checkins.answered_since(db, patient.id, first_day)
    grouped: dict[Decimal, list[checkins.Checkin]] = {}
    for checkin in answered:
        grouped.setdefault(checkin.dose_mg, []).append(checkin)
    by_dose = tuple(
        DoseEffects(
            dose,
            len(group),
            tuple(Counter(e for c in group for e in c.effects).most_common()),
        )
        for dose, group in sorted(grouped.items(), reverse=True)
    )
    return HistoryView(HISTORY_DAYS, by_dose, summary_as_of(db, patient, today_day))


# /history's chart ----------------------------------------------------------------------------


class HistoryPeriod(StrEnum):
    """What the chart covers: the last 30 or 90 days, or everything since the first dose."""

    MONTH = "30"
    QUARTER = "90"
    ALL = "all"

    @property
    def days(self) -> int | None:
        return None if self is HistoryPeriod.ALL else int(self.value)


@dataclass(frozen=True)
class MostNoted:
    """The side effect noted on the most check-ins of the period (ties: the check-in's order)."""

    effect: Effect
    mornings: int  # check-ins that noted it


@dataclass(frozen=True)
class HistoryChart:
    """The patient's record over the period (drawn by the bot), and the figures of its summary.

    Adherence comes from the record (``PatientRecord.adherence``), the one computation.
    """

    patient_id: int
    period: HistoryPeriod
    record: PatientRecord
    dose_mg: Decimal  # the current dose
    most_noted: MostNoted | None  # None: no effect noted
    checkins: int  # answered check-ins in the period
    benefits: Summary | None  # the week on LDN and, from week 8, the change since the start
    details: HistoryView  # the text /history: side effects per dose, the benefits


def history_chart(
    db: Database,
    telegram_id: int,
    period: HistoryPeriod,
    now: datetime,
    patient_id: int | None = None,
) -> HistoryChart | Refusal:
    """/history's chart of ``period``; ``patient_id`` is the one a pressed button names (it must
    be the presser's own: a button for anyone else is refused)."""
    with write_transaction(db):
        if patient_id is not None and presser(db, telegram_id) is None:
            return Refusal.NO_RECORD  # a button from before /forget
        patient = enrolled_presser(db, telegram_id)
        if isinstance(patient, Refusal):
            return patient
        if patient_id is not None and patient_id != patient.id:
            return Refusal.NOT_YOURS
        zone = patient.zone
        today_day = now.astimezone(zone).date()
        changes = patients.dose_changes(db, patient.id)
        days = period.days
        if days is not None:
            first = today_day - timedelta(days=days - 1)
        else:
            first = min(changes[0][1], today_day) if changes else today_day
        record = storage_record.load(db, patient.id, zone, first, today_day)
        dose = patient.current_dose_mg
        assert dose is not None
        return HistoryChart(
            patient_id=patient.id,
            period=period,
            record=record,
            dose_mg=dose,
            most_noted=most_noted(record),
            checkins=len(record.checkins),
            benefits=summary_as_of(db, patient, today_day),
            details=_history_view(db, patient, now),
        )


def most_noted(record: PatientRecord) -> MostNoted | None:
    """The effect on the most check-ins of the record (None when none was noted)."""
    counts = Counter(effect for report in record.checkins for effect in report.effects)
    if not counts:
        return None
    top = max(counts.values())
    effect = next(e for e in Effect if counts.get(e) == top)
    return MostNoted(effect, top)
