"""Clinic plan templates: what one is made of, reading a plan and a dose form from text, and the
checks every template passes (pure; codes and values, no sentences).

A plan is written either as the formula ``0.5+0.5x14 to 4.5`` (start, step, nights per step,
target) or as a step list ``0.5x14 1x14 1.5x14 3x14 4.5`` (each dose with its nights; the last,
the target, has none). Doses are read with ``titration.doses``' rules: a target above 4.5 mg
needs the admin's explicit confirmation, 10 mg or more is refused as not a low dose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from titration.doses import (
    MAX_INTERVAL,
    MAX_PATIENT_DOSE,
    MAX_STEP,
    MIN_DOSE,
    MIN_INTERVAL,
    MIN_STEP,
    NOT_LOW_DOSE,
)
from titration.models import Plan, Step, plan_from_steps

NAME_MAX = 40
MIN_NUDGE, MAX_NUDGE = 15, 360  # minutes after bedtime
MAX_CONCENTRATION = Decimal("10")  # mg per ml


class DoseForm(StrEnum):
    CAPSULE = "capsule"  # capsules of so many mg
    LIQUID = "liquid"  # a solution of so many mg per ml


class TemplateProblem(StrEnum):
    """Why a template was not accepted (``value``: the offending number, when there is one)."""

    NAME_EMPTY = "name_empty"
    NAME_TOO_LONG = "name_too_long"
    NAME_TAKEN = "name_taken"  # another template in use has it (``value``: that one's number)
    PLAN_UNREADABLE = "plan_unreadable"  # neither the formula nor a step list
    DOSE_TOO_SMALL = "dose_too_small"  # below MIN_DOSE
    NOT_A_LOW_DOSE = "not_a_low_dose"  # ≥ NOT_LOW_DOSE: refused outright
    STEP_OUT_OF_RANGE = "step_out_of_range"
    NIGHTS_OUT_OF_RANGE = "nights_out_of_range"
    NIGHTS_MISSING = "nights_missing"  # a step before the last without its nights
    NOT_RISING = "not_rising"  # a step list whose doses do not go up
    START_ABOVE_TARGET = "start_above_target"
    TARGET_NEEDS_CONFIRMATION = "target_needs_confirmation"  # above MAX_PATIENT_DOSE
    FORM_UNREADABLE = "form_unreadable"  # not "capsule" or "liquid <mg>/ml"
    CONCENTRATION_OUT_OF_RANGE = "concentration_out_of_range"
    BAD_TIME = "bad_time"
    NUDGE_OUT_OF_RANGE = "nudge_out_of_range"


class TemplateError(ValueError):
    def __init__(self, problem: TemplateProblem, value: Decimal | None = None) -> None:
        super().__init__(problem.value if value is None else f"{problem.value}: {value}")
        self.problem = problem
        self.value = value


@dataclass(frozen=True)
class Template:
    """A clinic's plan template as admins define it (``id`` 0: not saved yet)."""

    name: str
    plan: Plan
    form: DoseForm = DoseForm.CAPSULE
    mg_per_ml: Decimal | None = None  # liquid only
    bedtime: time = time(22, 0)
    checkin_time: time = time(9, 0)
    nudge_minutes: int | None = None  # None: the clinic's rule (nudge_after_minutes)


_DOSE = r"(\d{1,3}(?:[.,]\d{1,3})?)"
_FORMULA = re.compile(
    rf"^{_DOSE}\s*\+\s*{_DOSE}\s*[x×]\s*(\d{{1,3}})\s*(?:to|bis|→|->)\s*{_DOSE}$", re.IGNORECASE
)
_STEP = re.compile(rf"^{_DOSE}(?:\s*[x×]\s*(\d{{1,3}}))?$", re.IGNORECASE)
# A comma between steps has a space or the end after it; "0,5" is a German decimal comma.
_SEPARATORS = re.compile(r"\s*(?:,(?=\s|$)|→|->)\s*|\s+")
_TIMES = re.compile(r"\s*[x×]\s*", re.IGNORECASE)
_LIQUID = re.compile(rf"^(?:liquid|flüssig)\s*{_DOSE}\s*(?:mg\s*/\s*ml)?$", re.IGNORECASE)


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the patterns admit only numbers
        raise TemplateError(TemplateProblem.PLAN_UNREADABLE) from exc


def parse_plan(text: str) -> Plan:
    """The formula or a step list (see the module's docstring), doses checked, or TemplateError."""
    cleaned = text.strip().replace("mg", "")
    if len(cleaned) > 200:
        raise TemplateError(TemplateProblem.PLAN_UNREADABLE)
    formula = _FORMULA.match(cleaned)
    if formula:
        start, step, nights, target = formula.groups()
        plan = Plan(_decimal(start), _decimal(step), int(nights), _decimal(target))
        return check_plan(plan)
    tokens = [t for t in _SEPARATORS.split(_TIMES.sub("x", cleaned)) if t]
    if not tokens or "+" in cleaned:
        raise TemplateError(TemplateProblem.PLAN_UNREADABLE)
    steps = []
    for index, token in enumerate(tokens):
        match = _STEP.match(token)
        if match is None:
            raise TemplateError(TemplateProblem.PLAN_UNREADABLE)
        dose, nights = match.groups()
        last = index == len(tokens) - 1
        if nights is None and not last:
            raise TemplateError(TemplateProblem.NIGHTS_MISSING, _decimal(dose))
        steps.append(Step(_decimal(dose), 0 if last else int(nights)))
    return check_plan(plan_from_steps(tuple(steps)))


def _check_dose(dose: Decimal) -> None:
    if dose < MIN_DOSE:
        raise TemplateError(TemplateProblem.DOSE_TOO_SMALL, dose)
    if dose >= NOT_LOW_DOSE:
        raise TemplateError(TemplateProblem.NOT_A_LOW_DOSE, dose)


def _check_nights(nights: int) -> None:
    if not MIN_INTERVAL <= nights <= MAX_INTERVAL:
        raise TemplateError(TemplateProblem.NIGHTS_OUT_OF_RANGE, Decimal(nights))


def check_plan(plan: Plan) -> Plan:
    """Every dose a low dose, nights 3–28 a step, a formula's step 0.1–1.5 mg, doses rising."""
    if plan.stepwise:
        for step in plan.steps:
            _check_dose(step.dose_mg)
        for before, after in zip(plan.steps, plan.steps[1:], strict=False):
            if after.dose_mg <= before.dose_mg:
                raise TemplateError(TemplateProblem.NOT_RISING, after.dose_mg)
            _check_nights(before.nights)
        return plan
    _check_dose(plan.start_mg)
    _check_dose(plan.target_mg)
    if plan.start_mg > plan.target_mg:
        raise TemplateError(TemplateProblem.START_ABOVE_TARGET, plan.start_mg)
    if plan.start_mg < plan.target_mg:
        if not MIN_STEP <= plan.step_mg <= MAX_STEP:
            raise TemplateError(TemplateProblem.STEP_OUT_OF_RANGE, plan.step_mg)
        _check_nights(plan.interval_days)
    return plan


def parse_form(text: str) -> tuple[DoseForm, Decimal | None]:
    """``capsule`` (or ``kapsel``), or ``liquid 1 mg/ml``: the form and the concentration."""
    cleaned = text.strip().lower()
    if cleaned in ("capsule", "capsules", "kapsel", "kapseln"):
        return DoseForm.CAPSULE, None
    match = _LIQUID.match(cleaned)
    if match is None:
        raise TemplateError(TemplateProblem.FORM_UNREADABLE)
    strength = _decimal(match.group(1))
    if not Decimal("0.1") <= strength <= MAX_CONCENTRATION:
        raise TemplateError(TemplateProblem.CONCENTRATION_OUT_OF_RANGE, strength)
    return DoseForm.LIQUID, strength


def parse_clock(text: str) -> time:
    """A time of day written ``HH:MM`` (24 hours)."""
    match = re.fullmatch(r"\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*", text)
    if match is None:
        raise TemplateError(TemplateProblem.BAD_TIME)
    return time(int(match.group(1)), int(match.group(2)))


def parse_nudge(text: str) -> int:
    """Minutes after bedtime before the gentle nudge (15–360)."""
    cleaned = text.strip().lower().removesuffix("min").strip()
    if not (cleaned.isascii() and cleaned.isdigit()) or len(cleaned) > 4:
        raise TemplateError(TemplateProblem.NUDGE_OUT_OF_RANGE)
    value = int(cleaned)
    if not MIN_NUDGE <= value <= MAX_NUDGE:
        raise TemplateError(TemplateProblem.NUDGE_OUT_OF_RANGE, Decimal(value))
    return value


def check_template(template: Template, *, high_target_confirmed: bool) -> Template:
    """The template, or TemplateError for the first thing wrong with it. A target above 4.5 mg
    is accepted only when the admin confirmed it explicitly."""
    name = template.name.strip()
    if not name:
        raise TemplateError(TemplateProblem.NAME_EMPTY)
    if len(name) > NAME_MAX:
        raise TemplateError(TemplateProblem.NAME_TOO_LONG, Decimal(len(name)))
    check_plan(template.plan)
    if template.plan.target_mg > MAX_PATIENT_DOSE and not high_target_confirmed:
        raise TemplateError(TemplateProblem.TARGET_NEEDS_CONFIRMATION, template.plan.target_mg)
    nudge = template.nudge_minutes
    if nudge is not None and not MIN_NUDGE <= nudge <= MAX_NUDGE:
        raise TemplateError(TemplateProblem.NUDGE_OUT_OF_RANGE, Decimal(nudge))
    if (template.form is DoseForm.LIQUID) != (template.mg_per_ml is not None):
        raise TemplateError(TemplateProblem.FORM_UNREADABLE)
    return template


def steps_text(plan: Plan) -> str:
    """The plan in the notation ``parse_plan`` reads (stored and shown to admins)."""
    if plan.stepwise:
        return " ".join(
            f"{s.dose_mg}x{s.nights}" if i < len(plan.steps) - 1 else str(s.dose_mg)
            for i, s in enumerate(plan.steps)
        )
    return f"{plan.start_mg}+{plan.step_mg}x{plan.interval_days} to {plan.target_mg}"
