"""When the morning check-in is due: daily while titrating and for 14 days after any dose change,
weekly in maintenance; and when the weekly benefit ratings are due."""

from __future__ import annotations

from datetime import date, timedelta

DAILY_AFTER_CHANGE = 14
WEEK = 7


def checkin_due_on(
    day: date,
    *,
    maintenance: bool,
    last_dose_change: date,
    daily_after_change: int = DAILY_AFTER_CHANGE,
    every: int = WEEK,
) -> bool:
    """Daily while titrating and for ``daily_after_change`` days after a change; then every
    ``every`` days in maintenance (the clinic's check-in cadence)."""
    since_change = (day - last_dose_change).days
    if not maintenance or since_change <= daily_after_change:
        return True
    return since_change % every == 0


def next_checkin_day(
    after: date,
    *,
    maintenance: bool,
    last_dose_change: date,
    daily_after_change: int = DAILY_AFTER_CHANGE,
    every: int = WEEK,
) -> date:
    """The first day after ``after`` with a check-in."""
    day = after + timedelta(days=1)
    while not checkin_due_on(
        day,
        maintenance=maintenance,
        last_dose_change=last_dose_change,
        daily_after_change=daily_after_change,
        every=every,
    ):
        day += timedelta(days=1)
    return day


def benefits_due(last_rating: date | None, today: date) -> bool:
    """Benefit ratings are weekly: due when none was given in the last seven days."""
    return last_rating is None or (today - last_rating).days >= WEEK
