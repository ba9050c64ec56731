"""Correcting a tap: the pure rules (``titration.corrections``) and how a corrected night counts
in THE adherence computation (``titration.record``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from titration import corrections as rules
from titration.corrections import Verdict
from titration.record import Night, NightStatus, adherence

TODAY = date(2026, 12, 12)
BEDTIME = datetime(2026, 12, 9, 21, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("days_ago", "status", "expected"),
    [
        (-1, NightStatus.MISSED, Verdict.FUTURE),
        (0, NightStatus.PENDING, Verdict.OPEN),
        (0, NightStatus.TAKEN, Verdict.ALLOWED),
        (3, NightStatus.MISSED, Verdict.ALLOWED),
        (7, NightStatus.SKIPPED, Verdict.ALLOWED),
        (8, NightStatus.MISSED, Verdict.TOO_OLD),
        (30, NightStatus.TAKEN, Verdict.TOO_OLD),
    ],
)
def test_which_nights_may_be_corrected(
    days_ago: int, status: NightStatus, expected: Verdict
) -> None:
    assert rules.verdict(TODAY - timedelta(days=days_ago), status, TODAY) is expected


@pytest.mark.parametrize(
    ("status", "taken", "changes"),
    [
        (NightStatus.MISSED, True, True),
        (NightStatus.SKIPPED, True, True),
        (NightStatus.TAKEN, True, False),
        (NightStatus.LATE, True, False),
        (NightStatus.TAKEN, False, True),
        (NightStatus.LATE, False, True),
        (NightStatus.MISSED, False, False),  # "not taken" already: stays missed
        (NightStatus.SKIPPED, False, False),
    ],
)
def test_a_correction_changes_only_what_it_says(
    status: NightStatus, taken: bool, changes: bool
) -> None:
    assert rules.changes(status, taken) is changes


def test_corrected_statuses() -> None:
    assert rules.corrected_status(True) is NightStatus.LATE
    assert rules.corrected_status(False) is NightStatus.SKIPPED


def test_undo_only_while_the_night_has_not_closed() -> None:
    closes = BEDTIME + timedelta(hours=10)
    before, after = closes - timedelta(minutes=1), closes
    for status in (NightStatus.TAKEN, NightStatus.LATE, NightStatus.SKIPPED):
        assert rules.may_undo(status, closes, before)
        assert not rules.may_undo(status, closes, after)
        assert not rules.may_undo(status, None, before)  # the close fired already
    for status in (NightStatus.PENDING, NightStatus.MISSED):
        assert not rules.may_undo(status, closes, before)


def night(
    status: NightStatus, answered_after: timedelta | None, corrected_from: NightStatus | None = None
) -> Night:
    answered = BEDTIME + answered_after if answered_after is not None else None
    return Night(BEDTIME.date(), BEDTIME, Decimal("0.5"), status, answered, None, corrected_from)


def test_a_corrected_night_counts_as_taken_but_never_on_time() -> None:
    # Even confirmed within 30 minutes (a quick fix of a skip), a correction is not on time.
    quick = night(NightStatus.LATE, timedelta(minutes=10), corrected_from=NightStatus.SKIPPED)
    days_later = night(NightStatus.LATE, timedelta(days=3), corrected_from=NightStatus.MISSED)
    on_time = night(NightStatus.TAKEN, timedelta(minutes=5))
    counted = adherence([quick, days_later, on_time])
    assert (counted.scheduled, counted.taken, counted.on_time, counted.late) == (3, 3, 1, 2)
    assert not quick.on_time and quick.taken


def test_a_night_corrected_to_not_taken_counts_against_adherence() -> None:
    corrected = night(NightStatus.SKIPPED, timedelta(days=1), corrected_from=NightStatus.TAKEN)
    counted = adherence([corrected, night(NightStatus.TAKEN, timedelta(minutes=1))])
    assert (counted.taken, counted.skipped, counted.percent) == (1, 1, 50)
