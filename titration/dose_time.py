"""When the patient takes LDN: at bedtime (the default) or at a morning time (pure rules).

DESIGN §2 suggests discussing a morning dose when sleep effects persist. A morning dose keeps
every rule of the bedtime dose: the *dose day* is the local date the dose is due on, one dose per
dose day (the key patient, dose day, kind), and the morning check-in still asks about the night.

The switch day neither drops nor doubles a dose, in both directions:
- a dose day already reminded is never reminded again (the scheduler's ``after_day``), so the
  switch day keeps the one dose it had;
- a dose day not reminded yet whose new time has already passed today is reminded right away
  (``switch_catch_up`` reaches back to the local start of today), so it is not dropped.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

MORNING_EARLIEST = time(4, 0)  # a "morning" dose time is 04:00–12:00 local time
MORNING_LATEST = time(12, 0)


class DoseTime(StrEnum):
    """When the dose is taken (the column ``patients.dose_time`` holds the morning's HH:MM)."""

    BEDTIME = "bedtime"
    MORNING = "morning"


def is_morning(at: time) -> bool:
    """Whether ``at`` can be a morning dose time."""
    return MORNING_EARLIEST <= at <= MORNING_LATEST


def reminder_time(bedtime: time, morning: time | None) -> time:
    """The local time the dose reminder is due: the morning time if one is set, else bedtime."""
    return morning if morning is not None else bedtime


def switch_catch_up(now: datetime, zone: ZoneInfo, late_window: timedelta) -> timedelta:
    """How far back a reminder may be due when the dose time changes: to the local start of
    today (a dose day not yet reminded is reminded now rather than dropped), never less than the
    clinic's late window."""
    local = now.astimezone(zone)
    since_midnight = timedelta(
        hours=local.hour, minutes=local.minute, seconds=local.second, microseconds=local.microsecond
    )
    return max(since_midnight, late_window)
