"""A patient's record over a period, and the adherence figures computed from it (pure).

Every place that shows adherence (the patient's /history, a caregiver's summary, the clinic's
overview, the PDF report, the CSV and FHIR exports) counts it here, so the figures agree:

- a *scheduled night* is a dose day whose reminder was due; nights still open are not counted;
- *taken* is a night confirmed as taken at any time (status ``taken`` or ``late``);
- *on time* is taken within ``ON_TIME_WINDOW`` (30 minutes) of the reminder, *late* after it;
  a night corrected afterwards (``corrected_from``) is never on time;
- *adherence* is taken ÷ scheduled nights (skipped and missed nights count against it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from titration.benefits import Measure
from titration.models import Plan
from titration.side_effects import Effect, Severity

ON_TIME_WINDOW = timedelta(minutes=30)


class NightStatus(StrEnum):
    PENDING = "pending"  # the night is still open
    TAKEN = "taken"
    LATE = "late"  # taken, confirmed after the nudge would have gone out
    SKIPPED = "skipped"
    MISSED = "missed"


@dataclass(frozen=True)
class Night:
    """One scheduled dose day: its reminder time, the dose, and what became of it."""

    day: date
    scheduled_at: datetime  # tz-aware
    dose_mg: Decimal
    status: NightStatus
    answered_at: datetime | None  # tz-aware; None when never answered
    missed_reason: str | None = None
    corrected_from: NightStatus | None = None  # set when corrected afterwards (see corrections)

    @property
    def taken(self) -> bool:
        return self.status in (NightStatus.TAKEN, NightStatus.LATE)

    @property
    def on_time(self) -> bool:
        """Taken, and confirmed within 30 minutes of the reminder (a night corrected
        afterwards never counts as on time)."""
        return (
            self.taken
            and self.corrected_from is None
            and self.answered_at is not None
            and self.answered_at - self.scheduled_at <= ON_TIME_WINDOW
        )


@dataclass(frozen=True)
class Adherence:
    scheduled: int  # closed nights: taken + skipped + missed
    taken: int
    on_time: int  # of the taken nights, confirmed within 30 minutes
    skipped: int
    missed: int
    open: int  # nights still open, not counted in ``scheduled``

    @property
    def late(self) -> int:
        """Taken, but confirmed more than 30 minutes after the reminder."""
        return self.taken - self.on_time

    @property
    def rate(self) -> Decimal | None:
        """Taken ÷ scheduled, 0–1 (None: no night to count yet)."""
        return Decimal(self.taken) / self.scheduled if self.scheduled else None

    @property
    def percent(self) -> int | None:
        """``rate`` as a whole percentage, rounded half up."""
        rate = self.rate
        return int((rate * 100).quantize(Decimal(1), "ROUND_HALF_UP")) if rate is not None else None


def adherence(nights: Iterable[Night]) -> Adherence:
    """The adherence figures of ``nights`` (see the module docstring for the definitions)."""
    taken = on_time = skipped = missed = still_open = 0
    for night in nights:
        if night.status is NightStatus.PENDING:
            still_open += 1
        elif night.taken:
            taken += 1
            on_time += night.on_time
        elif night.status is NightStatus.SKIPPED:
            skipped += 1
        else:
            missed += 1
    return Adherence(taken + skipped + missed, taken, on_time, skipped, missed, still_open)


def missed_in_a_row(nights: Iterable[Night]) -> int:
    """How many of the latest closed nights in a row were missed (oldest-first ``nights``)."""
    run = 0
    for night in nights:
        if night.status is NightStatus.PENDING:
            continue
        run = run + 1 if night.status is NightStatus.MISSED else 0
    return run


@dataclass(frozen=True)
class DoseStep:
    """A dose and the day it took effect (``reason``: start, step_up, clinic, …)."""

    dose_mg: Decimal
    start: date
    reason: str


@dataclass(frozen=True)
class EffectReport:
    """An answered morning check-in: the effects and their severity, at the dose of the time.

    ``note`` is the patient's own free text about an "other" effect: it belongs in the patient's
    own exports only, never in anything shown to a caregiver or the clinic overview.
    """

    day: date
    dose_mg: Decimal
    effects: Mapping[Effect, Severity]
    note: str | None = None


@dataclass(frozen=True)
class BenefitRating:
    """A complete benefit rating (0–10 per measure): the baseline, or a weekly one."""

    day: date
    kind: str  # "baseline" or "weekly"
    scores: Mapping[Measure, int]


@dataclass(frozen=True)
class Suggestion:
    """The bot suggested talking to the prescriber: a persistent effect, or severe-report advice."""

    effect: Effect
    kind: str  # "persistent" or "severe"
    episode_start: date
    sent_at: datetime


@dataclass(frozen=True)
class PatientRecord:
    """What is recorded about one patient from ``first`` to ``last`` (local dose days, inclusive).

    ``steps`` holds every dose change ever (the dose on ``first`` is the last step on or before it);
    the other tuples hold the period only, oldest first.
    """

    zone: ZoneInfo
    first: date
    last: date
    plan: Plan | None
    steps: tuple[DoseStep, ...]
    nights: tuple[Night, ...]
    checkins: tuple[EffectReport, ...]
    ratings: tuple[BenefitRating, ...]
    suggestions: tuple[Suggestion, ...]
    baseline: BenefitRating | None  # the first complete baseline, whenever it was given

    def dose_on(self, day: date) -> Decimal | None:
        """The dose in effect on ``day`` (None before the first step)."""
        current = None
        for step in self.steps:
            if step.start > day:
                break
            current = step.dose_mg
        return current

    @property
    def adherence(self) -> Adherence:
        return adherence(self.nights)
