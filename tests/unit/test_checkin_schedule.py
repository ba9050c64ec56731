"""Check-in cadence: daily while titrating and 14 days after a change, weekly in maintenance."""

from datetime import date, timedelta

import pytest

from titration.checkins import benefits_due, checkin_due_on, next_checkin_day

CHANGE = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("offset", "maintenance", "due"),
    [
        pytest.param(40, False, True, id="titrating_daily"),
        pytest.param(14, True, True, id="maintenance_day_14_after_change"),
        pytest.param(15, True, False, id="maintenance_day_15"),
        pytest.param(21, True, True, id="maintenance_weekly"),
        pytest.param(22, True, False, id="maintenance_off_week"),
    ],
)
def test_checkin_due_on(offset: int, maintenance: bool, due: bool) -> None:
    day = CHANGE + timedelta(days=offset)
    assert checkin_due_on(day, maintenance=maintenance, last_dose_change=CHANGE) is due


def test_next_checkin_day_skips_to_the_weekly_one() -> None:
    after = CHANGE + timedelta(days=14)
    assert next_checkin_day(after, maintenance=True, last_dose_change=CHANGE) == CHANGE + timedelta(
        days=21
    )
    assert next_checkin_day(after, maintenance=False, last_dose_change=CHANGE) == after + timedelta(
        days=1
    )


def test_benefits_weekly() -> None:
    assert benefits_due(None, CHANGE)
    assert not benefits_due(CHANGE, CHANGE + timedelta(days=6))
    assert benefits_due(CHANGE, CHANGE + timedelta(days=7))
