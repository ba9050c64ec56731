"""Reading and checking dose numbers people type, and showing doses in plain words.

A patient may enter 0.1–4.5 mg. Higher values need the clinic; 10 mg or more is "not a low dose"
and is refused outright, so a typo such as 45 never becomes a plan (we suggest 4.5 instead).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from titration.errors import InputError, Problem

MIN_DOSE = Decimal("0.1")
MAX_PATIENT_DOSE = Decimal("4.5")
NOT_LOW_DOSE = Decimal("10")
MIN_STEP, MAX_STEP = Decimal("0.1"), Decimal("1.5")
MIN_INTERVAL, MAX_INTERVAL = 3, 28

_NUMBER = re.compile(r"^\s*(\d{1,3}(?:[.,]\d{1,3})?)\s*(?:mg|milligrams?)?\s*$", re.IGNORECASE)


def _number(text: str, example: Decimal) -> Decimal:
    match = _NUMBER.match(text[:32]) if len(text) <= 32 else None
    if match is None:
        raise InputError(Problem.NOT_A_NUMBER, example=example)
    try:
        return Decimal(match.group(1).replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the regex only admits valid numbers
        raise InputError(Problem.NOT_A_NUMBER, example=example) from exc


def _scaled_down_guess(value: Decimal, low: Decimal, high: Decimal) -> Decimal | None:
    """45 → 4.5, 15 → 1.5: a missing decimal point, when the number is clearly a typo (≥ 10)."""
    if value < 10:
        return None
    guess = value / 10
    return guess.normalize() if low <= guess <= high else None


def parse_dose(text: str) -> Decimal:
    """A nightly dose in mg a patient typed (0.1–4.5), or InputError saying what is wrong."""
    value = _number(text, Decimal("1.5"))
    if value < MIN_DOSE:
        raise InputError(Problem.BELOW_SMALLEST_DOSE, value=value)
    if value > MAX_PATIENT_DOSE:
        guess = _scaled_down_guess(value, MIN_DOSE, MAX_PATIENT_DOSE)
        if guess is not None:
            raise InputError(Problem.DOSE_LOOKS_HIGH, value=value, suggestion=guess)
        if value >= NOT_LOW_DOSE:
            raise InputError(Problem.NOT_A_LOW_DOSE, value=value)
        raise InputError(Problem.DOSE_NEEDS_CLINIC, value=value)
    return value


def parse_step(text: str) -> Decimal:
    """The step-up size in mg (0.1–1.5)."""
    value = _number(text, Decimal("0.5"))
    if not MIN_STEP <= value <= MAX_STEP:
        guess = _scaled_down_guess(value, MIN_STEP, MAX_STEP)
        raise InputError(Problem.STEP_OUT_OF_RANGE, value=value, suggestion=guess)
    return value


def parse_interval(text: str) -> int:
    """Nights at each dose before the next step (3–28)."""
    cleaned = text.strip().lower().removesuffix("days").removesuffix("nights").strip()
    # ASCII digits only: "²" and "₁₄" are digits to ``isdigit`` but not to ``int``.
    if not (cleaned.isascii() and cleaned.isdigit()) or len(cleaned) > 3:
        raise InputError(Problem.NOT_DAYS, example=Decimal(14))
    value = int(cleaned)
    if not MIN_INTERVAL <= value <= MAX_INTERVAL:
        raise InputError(Problem.INTERVAL_OUT_OF_RANGE, value=Decimal(value))
    return value


def parse_clinic_dose(text: str) -> Decimal:
    """A nightly dose in mg the clinic typed: from 0.1 mg up to (not including) 10 mg. A value
    ≥ 10 mg is refused as not a low dose (with the typo it probably is: 45 → 4.5); above 4.5 mg
    is accepted here and needs an explicit confirmation (``needs_confirmation``)."""
    value = _number(text, Decimal("1.5"))
    if value < MIN_DOSE:
        raise InputError(Problem.BELOW_SMALLEST_DOSE, value=value)
    if value >= NOT_LOW_DOSE:
        guess = _scaled_down_guess(value, MIN_DOSE, MAX_PATIENT_DOSE)
        if guess is not None:
            raise InputError(Problem.DOSE_LOOKS_HIGH, value=value, suggestion=guess)
        raise InputError(Problem.NOT_A_LOW_DOSE, value=value)
    tenths = value.quantize(Decimal("0.1"))
    return tenths if tenths == value else value.normalize()  # "2" → 2.0, like a plan's doses


def needs_confirmation(dose: Decimal) -> bool:
    """True for a clinic dose above what a patient may enter (4.5 mg): asked twice."""
    return dose > MAX_PATIENT_DOSE
