"""The clinic's schedule rules: the knobs the scheduler and the side-effect rules use, with their
defaults and the range each may take (pure; names and numbers only).

Every rule is a whole number stored by name (``storage.rules``); ``ClinicRules`` is the set in
force. ``caregiver_missed_alert`` 0 means off (no alert), otherwise missed nights in a row (1–7).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import timedelta
from enum import StrEnum
from functools import cached_property

from titration.side_effects import Thresholds


@dataclass(frozen=True)
class ClinicRules:
    nudge_after_minutes: int = 120  # an unanswered reminder's gentle nudge, after bedtime
    late_window_minutes: int = 120  # a reminder or check-in later than this is not sent
    missed_after_hours: int = 10  # an unanswered night counts as missed this long after bedtime
    checkin_daily_days: int = 14  # daily check-ins for this many days after a dose change
    checkin_maintenance_days: int = 7  # in maintenance, a check-in every this many days
    frequent_reports: int = 5  # persistent: reported on this many of …
    frequent_window: int = 7  # … the last this many check-ins,
    moderate_run: int = 3  # or moderate-or-worse on this many check-ins in a row
    episode_ends_after: int = 3  # an episode ends after this many check-ins without it
    caregiver_missed_alert: int = 2  # caregivers' default: missed nights in a row; 0: off

    @cached_property
    def nudge_after(self) -> timedelta:
        return timedelta(minutes=self.nudge_after_minutes)

    @cached_property
    def late_window(self) -> timedelta:
        return timedelta(minutes=self.late_window_minutes)

    @cached_property
    def missed_after(self) -> timedelta:
        return timedelta(hours=self.missed_after_hours)

    @cached_property
    def thresholds(self) -> Thresholds:
        return Thresholds(
            frequent_reports=self.frequent_reports,
            frequent_window=self.frequent_window,
            moderate_run=self.moderate_run,
            episode_ends_after=self.episode_ends_after,
        )

    @property
    def caregiver_alert_after(self) -> int | None:
        """Missed nights in a row before a caregiver is alerted; None: no alert."""
        return self.caregiver_missed_alert or None


def nudge_delay(rules: ClinicRules, plan_minutes: int | None) -> timedelta:
    """When tonight's nudge goes out after bedtime: the patient's template's delay, if it set
    one, else the clinic's rule."""
    return timedelta(minutes=plan_minutes) if plan_minutes else rules.nudge_after


DEFAULT_RULES = ClinicRules()
NAMES = tuple(f.name for f in fields(ClinicRules))

# The range each rule may take, inclusive.
RANGES: dict[str, tuple[int, int]] = {
    "nudge_after_minutes": (15, 360),
    "late_window_minutes": (15, 360),
    "missed_after_hours": (4, 20),
    "checkin_daily_days": (0, 28),
    "checkin_maintenance_days": (1, 28),
    "frequent_reports": (1, 30),
    "frequent_window": (1, 30),
    "moderate_run": (1, 30),
    "episode_ends_after": (1, 30),
    "caregiver_missed_alert": (0, 7),
}


class RuleProblem(StrEnum):
    UNKNOWN = "unknown"  # no rule by that name
    NOT_A_NUMBER = "not_a_number"
    OUT_OF_RANGE = "out_of_range"  # outside RANGES[name]
    REPORTS_ABOVE_WINDOW = "reports_above_window"  # frequent_reports > frequent_window
    NUDGE_AFTER_MISSED = "nudge_after_missed"  # the nudge would come after the night closed


class RuleError(ValueError):
    def __init__(self, problem: RuleProblem, name: str = "") -> None:
        super().__init__(f"{problem.value}: {name}")
        self.problem = problem
        self.name = name


def parse_value(name: str, text: str) -> int:
    """A rule's new value as typed ("off" is 0 for the caregiver alert), or RuleError."""
    if name not in RANGES:
        raise RuleError(RuleProblem.UNKNOWN, name)
    cleaned = text.strip().lower()
    if cleaned in ("off", "aus") and name == "caregiver_missed_alert":
        return 0
    if not (cleaned.isascii() and cleaned.isdigit()) or len(cleaned) > 4:
        raise RuleError(RuleProblem.NOT_A_NUMBER, name)
    return int(cleaned)


def with_rule(rules: ClinicRules, name: str, value: int) -> ClinicRules:
    """``rules`` with one rule changed, or RuleError when the value or the result does not fit."""
    if name not in RANGES:
        raise RuleError(RuleProblem.UNKNOWN, name)
    low, high = RANGES[name]
    if not low <= value <= high:
        raise RuleError(RuleProblem.OUT_OF_RANGE, name)
    changed = ClinicRules(**{**{n: getattr(rules, n) for n in NAMES}, name: value})
    if changed.frequent_reports > changed.frequent_window:
        raise RuleError(RuleProblem.REPORTS_ABOVE_WINDOW, name)
    if changed.nudge_after >= changed.missed_after:
        raise RuleError(RuleProblem.NUDGE_AFTER_MISSED, name)
    return changed


def from_stored(stored: dict[str, int]) -> ClinicRules:
    """The rules in force: stored values (known names, in range) over the defaults."""
    values = {
        name: value
        for name, value in stored.items()
        if name in RANGES and RANGES[name][0] <= value <= RANGES[name][1]
    }
    return ClinicRules(**{**{n: getattr(DEFAULT_RULES, n) for n in NAMES}, **values})
