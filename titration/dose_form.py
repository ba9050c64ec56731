"""The form a patient's LDN comes in, and the volume of a liquid dose (pure; codes and values).

Capsules and tablets are counted in mg. A compounded liquid has a concentration in mg/ml; its
dose is measured in ml: ``volume = dose / concentration``, shown to two decimals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

MIN_MG_PER_ML = Decimal("0.1")  # a sensible compounded concentration: 0.1–10 mg/ml
MAX_MG_PER_ML = Decimal("10")
MIN_ML = Decimal("0.05")  # below this a syringe cannot measure it reliably
MAX_ML = Decimal("20")  # above this something is probably wrong with the numbers
_HUNDREDTH = Decimal("0.01")


class DoseForm(StrEnum):
    """The form of the patient's LDN (the column ``patients.dose_form``)."""

    CAPSULE = "capsule"
    TABLET = "tablet"
    LIQUID = "liquid"


class FormProblem(StrEnum):
    """Why a typed concentration was not accepted (``value``: the number read, if any)."""

    NOT_A_CONCENTRATION = "not_a_concentration"
    CONCENTRATION_OUT_OF_RANGE = "concentration_out_of_range"


class FormError(ValueError):
    def __init__(self, problem: FormProblem, value: Decimal | None = None) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.value = value


_CONCENTRATION = re.compile(r"^(\d{1,3}(?:[.,]\d{1,3})?)\s*(?:mg\s*(?:/|per|pro)\s*ml|mg/ml)?$")


def read_concentration(text: str) -> Decimal:
    """A concentration as typed ("1", "1 mg/ml", "0,5 mg per ml"), 0.1–10 mg/ml, or FormError."""
    match = _CONCENTRATION.match(text.strip().lower())
    if match is None:
        raise FormError(FormProblem.NOT_A_CONCENTRATION)
    try:
        value = Decimal(match.group(1).replace(",", "."))
    except InvalidOperation as error:  # pragma: no cover - the pattern reads digits only
        raise FormError(FormProblem.NOT_A_CONCENTRATION) from error
    if not MIN_MG_PER_ML <= value <= MAX_MG_PER_ML:
        raise FormError(FormProblem.CONCENTRATION_OUT_OF_RANGE, value)
    return value.to_integral_value() if value == value.to_integral_value() else value


@dataclass(frozen=True)
class Volume:
    """How much liquid holds a dose: ``ml`` to two decimals; ``unusual`` when it is below
    MIN_ML or above MAX_ML (the patient is asked to check with their pharmacist)."""

    ml: Decimal
    unusual: bool


def volume(dose_mg: Decimal, mg_per_ml: Decimal) -> Volume:
    """The volume of ``dose_mg`` of a liquid of ``mg_per_ml``."""
    if mg_per_ml <= 0:
        raise ValueError("a concentration is positive")
    exact = dose_mg / mg_per_ml
    ml = exact.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)
    return Volume(ml, unusual=not MIN_ML <= exact <= MAX_ML)
