"""Domain value objects: a titration plan and the dose periods a patient has been through.

A plan is either the linear formula (start, step, nights per step, target) or an explicit list of
steps (dose and nights at it, e.g. 0.5 mg × 14 → 1.0 × 14 → 1.5 × 14 → 3.0 × 14 → 4.5): then
``steps`` holds them, ``start_mg``/``target_mg`` are its first and last doses, and ``step_mg``
and ``interval_days`` only describe its first step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Step:
    """One step of an explicit plan: the dose, and the taken nights at it before the next step
    (0 for the last step, the target, which lasts)."""

    dose_mg: Decimal
    nights: int


@dataclass(frozen=True)
class Plan:
    """A titration plan: start dose, step size, nights per step, target (maintenance) dose; or,
    when ``steps`` is not empty, that explicit step list. ``nudge_minutes``: the clinic
    template's nudge delay for this patient (None: the clinic's rule)."""

    start_mg: Decimal
    step_mg: Decimal
    interval_days: int
    target_mg: Decimal
    steps: tuple[Step, ...] = ()
    nudge_minutes: int | None = None

    @property
    def stepwise(self) -> bool:
        return bool(self.steps)


def plan_from_steps(steps: tuple[Step, ...], nudge_minutes: int | None = None) -> Plan:
    """The plan that follows ``steps`` (at least one), first dose to last."""
    first, last = steps[0], steps[-1]
    step = steps[1].dose_mg - first.dose_mg if len(steps) > 1 else Decimal(0)
    interval = first.nights if len(steps) > 1 else 0
    return Plan(first.dose_mg, step, interval, last.dose_mg, steps, nudge_minutes)


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
