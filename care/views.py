"""What the patient asks to see: /today, /plan and /history. Read-only, one call each (one
consistent snapshot of the rows), returning values the bot puts into words."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from care.benefits import Summary, summary_as_of
from care.people import Refusal, enrolled_presser
from storage import checkins, doses, patients, tasks
from storage.db import write_transaction
from storage.patients import Patient
from titration import plan as plan_rules
from titration.models import DosePeriod, Plan
from titration.side_effects import Effect

HISTORY_DAYS = 28


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
            interval_days=plan.interval_days if plan is not None else None,
            at_target=plan is not None and plan_rules.in_maintenance(plan, dose),
        )


class Place(StrEnum):
    PAST = "past"
    CURRENT = "current"
    AHEAD = "ahead"  # assumes every dose is taken and each step agreed


@dataclass(frozen=True)
class PlanView:
    plan: Plan
    periods: tuple[tuple[Place, DosePeriod], ...]


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
    periods = plan_rules.calendar(chosen, history, now.astimezone(patient.zone).date())
    current = len(history) - 1
    placed = tuple(
        (Place.PAST if i < current else Place.CURRENT if i == current else Place.AHEAD, p)
        for i, p in enumerate(periods)
    )
    return PlanView(chosen, placed)


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
    """/history: side effects per dose over the last four weeks, and the benefits so far."""
    with write_transaction(db):
        patient = enrolled_presser(db, telegram_id)
        if isinstance(patient, Refusal):
            return patient
        today_day = now.astimezone(patient.zone).date()
        answered = checkins.answered_since(db, patient.id, today_day - timedelta(days=HISTORY_DAYS))
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
