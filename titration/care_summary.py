"""What a caregiver is sent (pure): when summaries and alerts fall due, and a summary's figures.

Codes and values only; ``bot`` words them. Every adherence figure comes from
``titration.record.adherence`` so the caregiver sees the numbers the patient sees. What only a
full scope shows (side effects, the bot's suggestions, benefits) is left empty otherwise, and the
patient's own words are never part of a summary.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from titration import plan as plan_rules
from titration.benefits import Change, changes, week_of
from titration.caregiving import Scope, SummaryCadence
from titration.record import Adherence, PatientRecord
from titration.side_effects import Effect
from titration.timing import local_instant

WEEKLY_AT = time(19, 0)  # Sunday, in the caregiver's zone
DAILY_AT = time(20, 0)
SUNDAY = 6
HUMANE_FROM = time(8, 0)  # alerts wait for the caregiver's morning …
HUMANE_UNTIL = time(21, 0)  # … when they would arrive later than this in the evening


class CareKind(StrEnum):
    """A caregiver's due row: the summary, or one kind of alert."""

    SUMMARY = "summary"
    MISSED = "missed"  # missed doses N nights in a row
    SUGGESTION = "suggestion"  # the bot suggested talking to the prescriber (persistent effect)
    SEVERE = "severe"  # a severe side effect reported
    URGENT = "urgent"  # an urgent sign: the patient was told to seek care now
    OPIOID = "opioid"  # an opioid taken now (raised by the safety feature)

    @property
    def needs_full_scope(self) -> bool:
        return self not in (CareKind.SUMMARY, CareKind.MISSED)


def next_summary(cadence: SummaryCadence, zone: ZoneInfo, now: datetime) -> tuple[date, datetime]:
    """The next summary after ``now``: its local day in ``zone`` (the period's key) and instant.

    Weekly: Sunday 19:00; daily: 20:00. (``SummaryCadence.OFF`` has none: do not ask.)
    """
    assert cadence is not SummaryCadence.OFF
    at = WEEKLY_AT if cadence is SummaryCadence.WEEKLY else DAILY_AT
    day = now.astimezone(zone).date()
    while True:
        if cadence is SummaryCadence.DAILY or day.weekday() == SUNDAY:
            instant = local_instant(day, at, zone)
            if instant > now:
                return day, instant
        day += timedelta(days=1)


def nights_of(cadence: SummaryCadence, patient_today: date) -> tuple[date, date]:
    """The dose days a summary covers: the week (or the night) up to last night, all closed."""
    last = patient_today - timedelta(days=1)
    return (last - timedelta(days=6) if cadence is not SummaryCadence.DAILY else last), last


def humane(instant: datetime, zone: ZoneInfo) -> datetime:
    """``instant``, or the caregiver's next 08:00 when it falls in their night."""
    local = instant.astimezone(zone)
    if HUMANE_FROM <= local.time() < HUMANE_UNTIL:
        return instant
    day = local.date() + timedelta(days=1) if local.time() >= HUMANE_UNTIL else local.date()
    return local_instant(day, HUMANE_FROM, zone)


class Held(StrEnum):
    """Why the next step waits."""

    SIDE_EFFECT = "side_effect"  # a side effect is persisting
    BY_PATIENT = "by_patient"  # the patient chose to stay for now
    OFFERED = "offered"  # proposed; the patient has not answered yet
    WAITING = "waiting"  # on hold, why not shared (a side effect, under "adherence only")


@dataclass(frozen=True)
class PlanState:
    """Where the plan stands today (from ``titration.plan``)."""

    current_mg: Decimal | None
    target_mg: Decimal | None
    next_mg: Decimal | None  # None at the target
    nights_until_step: int | None  # taken nights still needed; None in maintenance
    held: Held | None


@dataclass(frozen=True)
class Summary:
    """One summary's content. The last three are empty unless the scope shows effects."""

    scope: Scope
    first: date
    last: date
    adherence: Adherence
    plan: PlanState
    persistent: tuple[Effect, ...]
    suggestions: tuple[Effect, ...]
    benefits: tuple[Change, ...] | None  # None: too early to judge (before week 8) or unrated
    week: int | None  # the patient's week on LDN on ``last``


def plan_state(
    record: PatientRecord,
    current_mg: Decimal | None,
    nights_taken_at_current: int,
    *,
    step_offer: str,
    held_until_nights: int | None,
    side_effect_open: bool,
) -> PlanState:
    """Current dose, next step and whether it waits (the rules of ``care.doses``' offer)."""
    plan = record.plan
    if plan is None or current_mg is None:
        return PlanState(current_mg, None, None, None, None)
    following = plan_rules.next_dose(plan, current_mg)
    until = plan_rules.nights_until_step(plan, current_mg, nights_taken_at_current)
    held = None
    if following is not None:
        if side_effect_open:
            held = Held.SIDE_EFFECT
        elif step_offer == "offered":
            held = Held.OFFERED
        elif (
            held_until_nights is not None
            and plan.interval_days <= nights_taken_at_current < held_until_nights
        ):
            held = Held.BY_PATIENT
    return PlanState(current_mg, plan.target_mg, following, until, held)


def shared_record(record: PatientRecord, scope: Scope) -> PatientRecord:
    """The record as a caregiver may see it (for the chart): never the patient's own words, and
    under "adherence only" no check-in, rating or suggestion at all."""
    if not scope.shows_effects:
        return replace(record, checkins=(), ratings=(), suggestions=(), baseline=None)
    return replace(record, checkins=tuple(replace(c, note=None) for c in record.checkins))


def summarise(
    record: PatientRecord, scope: Scope, plan: PlanState, open_episodes: tuple[Effect, ...]
) -> Summary:
    """The summary of ``record``'s period as ``scope`` lets the caregiver see it."""
    first_dose = record.steps[0].start if record.steps else None
    week = week_of(first_dose, record.last) if first_dose is not None else None
    if not scope.shows_effects:
        if plan.held is Held.SIDE_EFFECT:
            plan = replace(plan, held=Held.WAITING)
        return Summary(scope, record.first, record.last, record.adherence, plan, (), (), None, week)
    suggested = tuple(dict.fromkeys(s.effect for s in record.suggestions))
    trend = None
    latest = record.ratings[-1] if record.ratings else None
    if record.baseline is not None and latest is not None and week is not None:
        found = changes(record.baseline.scores, latest.scores, week)
        trend = tuple(found) if found is not None else None
    return Summary(
        scope,
        record.first,
        record.last,
        record.adherence,
        plan,
        tuple(sorted(open_episodes)),
        suggested,
        trend,
        week,
    )
