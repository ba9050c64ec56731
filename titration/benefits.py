"""Weekly benefit ratings (0–10) and the change from baseline, judged only from week 8 on.

LDN's effects usually show within 2–8 weeks, so earlier summaries say so instead of judging.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Measure(StrEnum):
    PAIN = "pain"
    SLEEP = "sleep"
    FATIGUE = "fatigue"
    MOOD = "mood"
    FOG = "fog"


# For these, a higher number is better; for the others, lower is better.
HIGHER_IS_BETTER = frozenset({Measure.SLEEP, Measure.MOOD})
JUDGE_FROM_WEEK = 8


@dataclass(frozen=True)
class Change:
    measure: Measure
    baseline: int
    latest: int

    @property
    def improved(self) -> bool:
        better = self.latest - self.baseline
        return better > 0 if self.measure in HIGHER_IS_BETTER else better < 0

    @property
    def delta(self) -> int:
        return self.latest - self.baseline


def week_of(first_dose: date, today: date) -> int:
    """Week 1 is the first seven days on LDN."""
    return (today - first_dose).days // 7 + 1


def changes(
    baseline: Mapping[Measure, int], latest: Mapping[Measure, int], week: int
) -> list[Change] | None:
    """Change per measure from baseline, or None before week 8 (too early to judge)."""
    if week < JUDGE_FROM_WEEK:
        return None
    return [Change(m, baseline[m], latest[m]) for m in Measure if m in baseline and m in latest]
