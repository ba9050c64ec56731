"""The persistence episodes of each side effect over a run of check-ins (pure), for reports.

The same rule as ``titration.side_effects.assess`` replays the check-ins: an episode opens on the
check-in at which an effect became persistent and ends after ``episode_ends_after`` check-ins in a
row without it. ``assess`` keeps only where the episodes stand after the last check-in; a report
needs each episode with its first and last day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from titration.side_effects import DEFAULT_THRESHOLDS, Effect, Report, Thresholds, is_persistent


@dataclass(frozen=True)
class Episode:
    """``effect`` was persistent from ``start``; ``end`` is the last check-in that still reported
    it before the episode closed (None: still open at the last check-in)."""

    effect: Effect
    start: date
    end: date | None


def episodes(history: Sequence[Report], rules: Thresholds = DEFAULT_THRESHOLDS) -> list[Episode]:
    """Every episode in ``history`` (oldest first), in the order they opened."""
    window = max(rules.frequent_window, rules.moderate_run)
    opened: dict[Effect, date] = {}
    last_seen: dict[Effect, date] = {}
    absent: dict[Effect, int] = {}
    found: list[tuple[Effect, date, date | None]] = []
    for index, report in enumerate(history):
        seen = history[max(0, index + 1 - window) : index + 1]
        for effect in Effect:
            if effect in report.effects:
                absent[effect] = 0
                last_seen[effect] = report.day
            else:
                absent[effect] = absent.get(effect, 0) + 1
            if effect in opened:
                if absent[effect] >= rules.episode_ends_after:
                    found.append((effect, opened.pop(effect), last_seen[effect]))
            elif is_persistent(seen, effect, rules):
                opened[effect] = report.day
    found += [(effect, start, None) for effect, start in opened.items()]
    found.sort(key=lambda episode: (episode[1], list(Effect).index(episode[0])))
    return [Episode(effect, start, end) for effect, start, end in found]
