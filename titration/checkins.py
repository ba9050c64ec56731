"""When the morning check-in is due: daily while titrating and for 14 days after any dose change,
weekly in maintenance; and when the weekly benefit ratings are due."""

from __future__ import annotations

from datetime import date, timedelta

DAILY_AFTER_CHANGE = 14
WEEK = 7


def checkin_due_on(day: date, *, maintenance: bool, last_dose_change: date) -> bool:
    since_change = (day - last_dose_change).days
    if not maintenance or since_change <= DAILY_AFTER_CHANGE:
        return True
    return since_change % WEEK == 0


def next_checkin_day(after: date, *, maintenance: bool, last_dose_change: date) -> date:
    """The first day after ``after`` with a check-in."""
    day = after + timedelta(days=1)
    while not checkin_due_on(day, maintenance=maintenance, last_dose_change=last_dose_change):
        day += timedelta(days=1)
    return day


def benefits_due(last_rating: date | None, today: date) -> bool:
    """Benefit ratings are weekly: due when none was given in the last seven days."""
    return last_rating is None or (today - last_rating).days >= WEEK
