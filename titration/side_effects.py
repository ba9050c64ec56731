"""Side effects: the persistence rule, episodes, and what to suggest (pure, table-tested).

An effect is *persistent* when it was reported on at least 5 of the last 7 check-ins, or at
moderate-or-worse on 3 check-ins in a row. A persistent effect opens an *episode*, which ends after
3 check-ins in a row without it; the "talk to your prescriber" suggestion goes out once per episode,
and the plan's step-up waits while any episode is open. A severe report gets same-day advice.
The numbers are ``Thresholds`` so a clinic can change them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum, StrEnum


class Effect(StrEnum):
    DREAMS = "dreams"
    INSOMNIA = "insomnia"
    HEADACHE = "headache"
    STOMACH = "stomach"
    PAIN_FATIGUE = "pain_fatigue"
    OTHER = "other"


SLEEP_EFFECTS = frozenset({Effect.DREAMS, Effect.INSOMNIA})


class Severity(IntEnum):
    MILD = 1
    MODERATE = 2
    SEVERE = 3


@dataclass(frozen=True)
class Report:
    """One answered morning check-in: the effects reported and how bad each was."""

    day: date
    effects: Mapping[Effect, Severity] = field(default_factory=dict)


@dataclass(frozen=True)
class Thresholds:
    frequent_reports: int = 5
    frequent_window: int = 7
    moderate_run: int = 3
    episode_ends_after: int = 3


DEFAULT_THRESHOLDS = Thresholds()


def is_persistent(history: Sequence[Report], effect: Effect, rules: Thresholds) -> bool:
    """Persistent as of the last report in ``history`` (oldest first)."""
    window = history[-rules.frequent_window :]
    if sum(effect in r.effects for r in window) >= rules.frequent_reports:
        return True
    run = history[-rules.moderate_run :]
    return len(run) == rules.moderate_run and all(
        r.effects.get(effect, 0) >= Severity.MODERATE for r in run
    )


@dataclass(frozen=True)
class Assessment:
    """What the latest check-in means: effects in an open episode, episodes that just opened
    (suggest once), and effects reported as severe today (advise contacting the prescriber)."""

    open_episodes: dict[Effect, date]
    new_episodes: frozenset[Effect]
    severe: frozenset[Effect]

    @property
    def hold_step_up(self) -> bool:
        return bool(self.open_episodes)


def assess(history: Sequence[Report], rules: Thresholds = DEFAULT_THRESHOLDS) -> Assessment:
    """Replay the check-ins (oldest first) and return where the episodes stand after the last."""
    open_since: dict[Effect, date] = {}
    absent: dict[Effect, int] = {}
    opened_now: set[Effect] = set()
    for index, report in enumerate(history):
        opened_now = set()
        seen = history[: index + 1]
        for effect in Effect:
            if effect in report.effects:
                absent[effect] = 0
            else:
                absent[effect] = absent.get(effect, 0) + 1
            if effect in open_since:
                if absent[effect] >= rules.episode_ends_after:
                    del open_since[effect]
            elif is_persistent(seen, effect, rules):
                open_since[effect] = report.day
                opened_now.add(effect)
    latest = history[-1] if history else Report(date.min)
    severe = frozenset(e for e, s in latest.effects.items() if s >= Severity.SEVERE)
    return Assessment(dict(open_since), frozenset(opened_now), severe)


class Suggestion(StrEnum):
    """What to *discuss* with the prescriber; never an instruction."""

    MORNING_OR_LOWER = "morning_or_lower"
    SLOWER_OR_LOWER = "slower_or_lower"


def suggestion_for(effect: Effect) -> Suggestion:
    """Sleep-related effects: dose in the morning or a lower dose; others: slower steps or lower."""
    return Suggestion.MORNING_OR_LOWER if effect in SLEEP_EFFECTS else Suggestion.SLOWER_OR_LOWER
