"""Reading and checking dose numbers people type, and showing doses in plain words.

A patient may enter 0.1–4.5 mg. Higher values need the clinic; 10 mg or more is "not a low dose"
and is refused outright, so a typo such as 45 never becomes a plan (we suggest 4.5 instead).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from titration.errors import InputError

MIN_DOSE = Decimal("0.1")
MAX_PATIENT_DOSE = Decimal("4.5")
NOT_LOW_DOSE = Decimal("10")
MIN_STEP, MAX_STEP = Decimal("0.1"), Decimal("1.5")
MIN_INTERVAL, MAX_INTERVAL = 3, 28

_NUMBER = re.compile(r"^\s*(\d{1,3}(?:[.,]\d{1,3})?)\s*(?:mg|milligrams?)?\s*$", re.IGNORECASE)


def _number(text: str, example: str) -> Decimal:
    match = _NUMBER.match(text[:32]) if len(text) <= 32 else None
    if match is None:
        raise InputError(f"Please send just the number of milligrams, like {example}.")
    try:
        return Decimal(match.group(1).replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the regex only admits valid numbers
        raise InputError(f"Please send just the number, like {example}.") from exc


def _scaled_down_guess(value: Decimal, low: Decimal, high: Decimal) -> Decimal | None:
    """45 → 4.5, 15 → 1.5: a missing decimal point, when the number is clearly a typo (≥ 10)."""
    if value < 10:
        return None
    guess = value / 10
    return guess.normalize() if low <= guess <= high else None


def parse_dose(text: str) -> Decimal:
    """A nightly dose in mg a patient typed (0.1–4.5), or InputError with a friendly hint."""
    value = _number(text, "1.5")
    if value < MIN_DOSE:
        raise InputError("That's below the smallest dose (0.1 mg). Please check the number.")
    if value > MAX_PATIENT_DOSE:
        guess = _scaled_down_guess(value, MIN_DOSE, MAX_PATIENT_DOSE)
        if guess is not None:
            raise InputError(f"{value.normalize()} mg looks high — did you mean {guess} mg?", guess)
        if value >= NOT_LOW_DOSE:
            raise InputError(
                f"{value.normalize()} mg is not a low dose. LDN doses are 0.1–4.5 mg. "
                "Please check the number with your prescriber."
            )
        raise InputError(
            "Doses above 4.5 mg need your clinic to set them up. Please enter 0.1–4.5 mg."
        )
    return value


def parse_step(text: str) -> Decimal:
    """The step-up size in mg (0.1–1.5)."""
    value = _number(text, "0.5")
    if not MIN_STEP <= value <= MAX_STEP:
        guess = _scaled_down_guess(value, MIN_STEP, MAX_STEP)
        hint = f" Did you mean {guess} mg?" if guess is not None else ""
        raise InputError(f"A step is usually 0.5 mg; please enter 0.1–1.5 mg.{hint}", guess)
    return value


def parse_interval(text: str) -> int:
    """Nights at each dose before the next step (3–28)."""
    cleaned = text.strip().lower().removesuffix("days").removesuffix("nights").strip()
    if not cleaned.isdigit() or len(cleaned) > 3:
        raise InputError("Please send the number of days, like 14.")
    value = int(cleaned)
    if not MIN_INTERVAL <= value <= MAX_INTERVAL:
        raise InputError("Steps are usually every 7 to 14 days; please enter 3–28.")
    return value


def format_mg(dose: Decimal) -> str:
    """'1.0 mg', '0.5 mg', '0.25 mg': one decimal place unless more are needed."""
    if dose == dose.quantize(Decimal("0.1")):
        shown = dose.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    else:
        shown = dose.normalize()
    return f"{shown} mg"
