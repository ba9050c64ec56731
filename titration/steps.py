"""The dose steps of a record within its period (pure): each step with the days it covered there,
and the nights and check-ins that fall in it, for the reports and exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from titration.record import Adherence, DoseStep, EffectReport, Night, PatientRecord, adherence


@dataclass(frozen=True)
class StepSpan:
    """``step`` as it lies in the period: ``first`` … ``last`` (inclusive); ``ongoing`` when it
    is the current dose (no later step)."""

    step: DoseStep
    first: date
    last: date
    ongoing: bool
    nights: tuple[Night, ...]
    checkins: tuple[EffectReport, ...]

    @property
    def adherence(self) -> Adherence:
        return adherence(self.nights)


def spans(record: PatientRecord) -> list[StepSpan]:
    """The steps that overlap the record's period, oldest first."""
    found = []
    for index, step in enumerate(record.steps):
        following = record.steps[index + 1].start if index + 1 < len(record.steps) else None
        end = following - timedelta(days=1) if following is not None else record.last
        first, last = max(step.start, record.first), min(end, record.last)
        if first > last:
            continue
        found.append(
            StepSpan(
                step,
                first,
                last,
                following is None,
                tuple(n for n in record.nights if first <= n.day <= last),
                tuple(c for c in record.checkins if first <= c.day <= last),
            )
        )
    return found
