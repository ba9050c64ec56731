"""Plan math: the next step, when a step-up falls due, and the dose calendar so far and ahead.

A step-up becomes *due* after the plan's nights at the current dose (``interval_days`` for the
linear formula, the step's own nights for an explicit step list) on which the dose was taken. The
bot only proposes it; the patient (with their prescriber) decides.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from titration.errors import InputError, Problem
from titration.models import DosePeriod, Plan


def validate_plan(plan: Plan) -> Plan:
    """The plan itself, or InputError when its parts do not fit together."""
    if plan.start_mg > plan.target_mg:
        raise InputError(Problem.START_ABOVE_TARGET)
    if plan.stepwise:
        return plan  # an explicit list is checked where it is read (titration.templates)
    if plan.start_mg < plan.target_mg and plan.step_mg <= 0:
        raise InputError(Problem.STEP_NOT_POSITIVE)
    return plan


def next_dose(plan: Plan, current_mg: Decimal) -> Decimal | None:
    """The dose one step up from ``current_mg`` (capped at the target), or None at the target."""
    if current_mg >= plan.target_mg:
        return None
    if plan.stepwise:
        return next(step.dose_mg for step in plan.steps if step.dose_mg > current_mg)
    return min(current_mg + plan.step_mg, plan.target_mg)


def nights_at(plan: Plan, current_mg: Decimal) -> int:
    """Taken nights at ``current_mg`` before the next step: the plan's interval, or in a step
    list the nights of the highest step at or below it (the first step's below them all)."""
    if not plan.stepwise:
        return plan.interval_days
    below = [step for step in plan.steps if step.dose_mg <= current_mg]
    return (below[-1] if below else plan.steps[0]).nights


def in_maintenance(plan: Plan, current_mg: Decimal) -> bool:
    """True once the target dose is reached: same reminders, no more step-ups."""
    return current_mg >= plan.target_mg


def step_up_due(plan: Plan, current_mg: Decimal, nights_taken_at_current: int) -> bool:
    """True when the plan's next step may be proposed."""
    return not in_maintenance(plan, current_mg) and nights_taken_at_current >= nights_at(
        plan, current_mg
    )


def step_to_offer(
    plan: Plan,
    current_mg: Decimal,
    nights_taken_at_current: int,
    *,
    held_until_nights: int | None,
    side_effect_open: bool,
) -> Decimal | None:
    """The dose to propose now, or None: the step must be due, not put off by the patient
    (``held_until_nights``: "not yet" until that many taken nights), and no side effect may be
    persisting (the reminder says why the step waits)."""
    following = next_dose(plan, current_mg)
    if following is None or not step_up_due(plan, current_mg, nights_taken_at_current):
        return None
    if held_until_nights is not None and nights_taken_at_current < held_until_nights:
        return None
    return None if side_effect_open else following


def nights_until_step(plan: Plan, current_mg: Decimal, nights_taken_at_current: int) -> int | None:
    """Taken nights still needed before the next step-up can be proposed; None in maintenance."""
    if in_maintenance(plan, current_mg):
        return None
    return max(nights_at(plan, current_mg) - nights_taken_at_current, 0)


def calendar(
    plan: Plan, history: list[DosePeriod], today: date, *, tonight_settled: bool = False
) -> list[DosePeriod]:
    """History so far, then the steps ahead if every dose from ``today`` on is taken.

    ``history`` ends with the current period (``end`` None). Projected periods have
    ``nights_taken`` 0; the last one (the target) stays open-ended. ``tonight_settled``: tonight's
    dose is already logged (taken, skipped or missed), so the nights still to come start
    tomorrow — a taken night is in ``nights_taken`` already and must not be counted twice.
    """
    if not history:
        return []
    current = history[-1]
    ahead: list[DosePeriod] = []
    dose = current.dose_mg
    remaining = nights_until_step(plan, dose, current.nights_taken)
    first_open = today + timedelta(days=1) if tonight_settled else today
    start = first_open + timedelta(days=remaining or 0)
    while (following := next_dose(plan, dose)) is not None:
        ahead.append(DosePeriod(following, start, None, 0))
        dose = following
        start = start + timedelta(days=nights_at(plan, following))
    closed = [
        DosePeriod(p.dose_mg, p.start, p.start + timedelta(days=nights_at(plan, p.dose_mg) - 1), 0)
        for p in ahead[:-1]
    ]
    return [*history, *closed, *ahead[-1:]]
