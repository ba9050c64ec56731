"""Made-up patient records (``titration.record.PatientRecord``) for the chart tests and benchmark:
a patient titrating from 0.5 mg every 14 days, most nights taken, some late, skipped or missed,
daily check-ins with a few side effects and a weekly benefit rating. Deterministic per seed."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from titration.benefits import Measure
from titration.models import DEFAULT_PLAN
from titration.record import (
    BenefitRating,
    DoseStep,
    EffectReport,
    Night,
    NightStatus,
    PatientRecord,
)
from titration.side_effects import Effect, Severity

BERLIN = ZoneInfo("Europe/Berlin")


def empty_record(first: date = date(2026, 11, 1), days: int = 30) -> PatientRecord:
    """A period with nothing in it (a patient who has not started, or a data gap)."""
    return PatientRecord(
        zone=BERLIN,
        first=first,
        last=first + timedelta(days=days - 1),
        plan=None,
        steps=(),
        nights=(),
        checkins=(),
        ratings=(),
        suggestions=(),
        baseline=None,
    )


def sample_record(
    days: int = 30, *, seed: int = 1, last: date = date(2026, 11, 30)
) -> PatientRecord:
    """``days`` days up to ``last`` of a patient who started LDN on the first of them."""
    rng = random.Random(seed)
    first = last - timedelta(days=days - 1)
    steps = []
    dose = Decimal("0.5")
    for offset in range(0, days, 14):
        steps.append(
            DoseStep(dose, first + timedelta(days=offset), "start" if not offset else "up")
        )
        dose = min(dose + Decimal("0.5"), Decimal("4.5"))
    nights: list[Night] = []
    checkins: list[EffectReport] = []
    ratings: list[BenefitRating] = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        scheduled = datetime.combine(day, time(22, 0), BERLIN)
        dose_mg = _dose_on(steps, day)
        roll = rng.random()
        if offset == days - 1:
            status, answered = NightStatus.PENDING, None
        elif roll < 0.05:
            status, answered = NightStatus.MISSED, None
        elif roll < 0.08:
            status, answered = NightStatus.SKIPPED, scheduled
        elif roll < 0.18:
            status, answered = NightStatus.LATE, scheduled + timedelta(hours=1)
        else:
            status, answered = NightStatus.TAKEN, scheduled + timedelta(minutes=5)
        nights.append(Night(day, scheduled, dose_mg, status, answered))
        effects = {
            effect: Severity(rng.choice((1, 1, 2, 3)))
            for effect, chance in ((Effect.DREAMS, 0.4), (Effect.HEADACHE, 0.15))
            if rng.random() < chance
        }
        if rng.random() < 0.85:
            checkins.append(EffectReport(day, dose_mg, effects))
        if offset % 7 == 0:
            kind = "baseline" if offset == 0 else "weekly"
            week = offset // 7
            better = min(week, 12) // 3  # pain eases over the first three months, then holds
            scores = {m: max(0, min(10, 7 - better + rng.randint(-1, 1))) for m in Measure}
            ratings.append(BenefitRating(day, kind, scores))
    return PatientRecord(
        zone=BERLIN,
        first=first,
        last=last,
        plan=DEFAULT_PLAN,
        steps=tuple(steps),
        nights=tuple(nights),
        checkins=tuple(checkins),
        ratings=tuple(ratings),
        suggestions=(),
        baseline=ratings[0] if ratings else None,
    )


def _dose_on(steps: list[DoseStep], day: date) -> Decimal:
    return [s.dose_mg for s in steps if s.start <= day][-1]
