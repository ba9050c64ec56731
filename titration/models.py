"""Domain value objects: a titration plan and the dose periods a patient has been through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Plan:
    """A titration plan: start dose, step size, nights per step, target (maintenance) dose."""

    start_mg: Decimal
    step_mg: Decimal
    interval_days: int
    target_mg: Decimal


DEFAULT_PLAN = Plan(
    start_mg=Decimal("0.5"), step_mg=Decimal("0.5"), interval_days=14, target_mg=Decimal("4.5")
)


@dataclass(frozen=True)
class DosePeriod:
    """Nights spent on one dose, ``start`` to ``end`` inclusive (``end`` None: ongoing)."""

    dose_mg: Decimal
    start: date
    end: date | None
    nights_taken: int
