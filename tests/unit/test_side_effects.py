"""The persistence rule, episodes, severity and suggestions, as tables."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from titration.side_effects import (
    Effect,
    Report,
    Severity,
    Suggestion,
    Thresholds,
    assess,
    is_persistent,
    suggestion_for,
)

E, S = Effect, Severity
DAY0 = date(2026, 12, 1)


def reports(*days: dict[Effect, Severity]) -> list[Report]:
    return [Report(DAY0 + timedelta(days=i), effects) for i, effects in enumerate(days)]


MILD_DREAMS = {E.DREAMS: S.MILD}
MOD_HEAD = {E.HEADACHE: S.MODERATE}
NONE: dict[Effect, Severity] = {}


@pytest.mark.parametrize(
    ("history", "effect", "expected"),
    [
        pytest.param(reports(*[MILD_DREAMS] * 5), E.DREAMS, True, id="five_of_five"),
        pytest.param(reports(*[MILD_DREAMS] * 4), E.DREAMS, False, id="four_is_not_enough"),
        pytest.param(
            reports(MILD_DREAMS, NONE, MILD_DREAMS, MILD_DREAMS, NONE, MILD_DREAMS, MILD_DREAMS),
            E.DREAMS,
            True,
            id="five_of_last_seven",
        ),
        pytest.param(
            reports(MILD_DREAMS, *[NONE] * 3, *[MILD_DREAMS] * 4),
            E.DREAMS,
            False,
            id="old_report_outside_window",
        ),
        pytest.param(reports(MOD_HEAD, MOD_HEAD, MOD_HEAD), E.HEADACHE, True, id="moderate_run"),
        pytest.param(
            reports(MOD_HEAD, {E.HEADACHE: S.MILD}, MOD_HEAD),
            E.HEADACHE,
            False,
            id="mild_breaks_run",
        ),
        pytest.param(
            reports(MOD_HEAD, NONE, MOD_HEAD, MOD_HEAD), E.HEADACHE, False, id="gap_breaks_run"
        ),
        pytest.param(
            reports({E.HEADACHE: S.SEVERE}, MOD_HEAD, {E.HEADACHE: S.SEVERE}),
            E.HEADACHE,
            True,
            id="severe_counts_as_moderate_or_worse",
        ),
        pytest.param(reports(MOD_HEAD, MOD_HEAD), E.HEADACHE, False, id="two_is_not_a_run"),
    ],
)
def test_is_persistent(history: list[Report], effect: Effect, expected: bool) -> None:
    assert is_persistent(history, effect, Thresholds()) is expected


def test_episode_opens_once_and_does_not_nag() -> None:
    history = reports(*[MILD_DREAMS] * 9)
    opened_on = [i for i in range(1, 10) if E.DREAMS in assess(history[:i]).new_episodes]
    assert opened_on == [5]  # suggested on the fifth report only
    assert assess(history).open_episodes == {E.DREAMS: DAY0 + timedelta(days=4)}
    assert assess(history).hold_step_up


def test_episode_ends_after_three_check_ins_without_it_and_can_reopen() -> None:
    history = reports(*[MILD_DREAMS] * 5, NONE, NONE)
    assert E.DREAMS in assess(history).open_episodes  # two clear mornings: still open
    history.append(Report(DAY0 + timedelta(days=7), NONE))
    assert assess(history).open_episodes == {}  # third clear morning ends it
    assert not assess(history).hold_step_up
    for offset in range(8, 13):
        history.append(Report(DAY0 + timedelta(days=offset), MILD_DREAMS))
    # Back on five of the last seven: a new episode, suggested again.
    assert E.DREAMS in assess(history).new_episodes


def test_severe_is_reported_the_same_day() -> None:
    result = assess(reports(NONE, {E.STOMACH: S.SEVERE, E.DREAMS: S.MILD}))
    assert result.severe == {E.STOMACH}
    assert result.new_episodes == frozenset()


def test_thresholds_are_configurable() -> None:
    strict = Thresholds(frequent_reports=3, frequent_window=4, moderate_run=2, episode_ends_after=1)
    assert is_persistent(reports(MILD_DREAMS, NONE, MILD_DREAMS, MILD_DREAMS), E.DREAMS, strict)
    assert is_persistent(reports(MOD_HEAD, MOD_HEAD), E.HEADACHE, strict)
    history = reports(MOD_HEAD, MOD_HEAD, NONE)
    assert assess(history, strict).open_episodes == {}


@pytest.mark.parametrize(
    ("effect", "suggestion"),
    [
        (E.DREAMS, Suggestion.MORNING_OR_LOWER),
        (E.INSOMNIA, Suggestion.MORNING_OR_LOWER),
        (E.HEADACHE, Suggestion.SLOWER_OR_LOWER),
        (E.STOMACH, Suggestion.SLOWER_OR_LOWER),
        (E.PAIN_FATIGUE, Suggestion.SLOWER_OR_LOWER),
        (E.OTHER, Suggestion.SLOWER_OR_LOWER),
    ],
)
def test_suggestion_by_effect(effect: Effect, suggestion: Suggestion) -> None:
    assert suggestion_for(effect) is suggestion


def test_empty_history() -> None:
    result = assess([])
    assert (result.open_episodes, result.new_episodes, result.severe) == (
        {},
        frozenset(),
        frozenset(),
    )
