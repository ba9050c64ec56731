"""Checks for chained bedtime reminders over long spans, for every IANA zone, 1970–2037.

``check_chain`` walks ``next_reminder`` night after night the way the scheduler does (each night
armed right after the previous one fired) and checks, for every dose day: exactly one reminder,
in order, at the local bedtime, or at the clock jump when bedtime does not exist that night, or at
its first occurrence when it happens twice; a date the clocks skipped whole (Pacific/Apia,
30 December 2011) gets none, and the chain goes on with the next date. Every
``restart_every``-th night it also checks that a bot restarted at an arbitrary moment before that
reminder recomputes exactly the same one.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from titration.timing import next_reminder

FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(2037, 12, 31)
BEDTIMES = tuple(
    time.fromisoformat(t)
    for t in ("00:00", "00:30", "01:00", "02:00", "02:30", "03:00", "22:00", "23:30")
)


def all_zones() -> list[str]:
    return sorted(zoneinfo.available_timezones())


def _wall(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def _exists(wall: datetime, zone: ZoneInfo) -> bool:
    return _wall(wall.replace(tzinfo=zone).astimezone(UTC), zone) == wall


@cache
def offset_changes(name: str) -> bool:
    """Whether the zone's UTC offset changes in the span (sampled every ten days, and on the
    last day: summer time lasts longer than that)."""
    zone = ZoneInfo(name)
    start = datetime.combine(FIRST_DAY, time(0), tzinfo=UTC)
    span = (LAST_DAY - FIRST_DAY).days
    samples = [*range(0, span, 10), span]
    offsets = {(start + timedelta(days=n)).astimezone(zone).utcoffset() for n in samples}
    return len(offsets) > 1


def chain(
    zone: ZoneInfo, bedtime: time, start: datetime, nights: int
) -> Iterator[tuple[date, datetime]]:
    """Reminders as the scheduler arms them: each one right after the previous one fired."""
    day, due = next_reminder(zone, bedtime, start)
    yield day, due
    for _ in range(nights - 1):
        day, due = next_reminder(zone, bedtime, due + timedelta(seconds=1), after_day=day)
        yield day, due


def check_chain(
    name: str, bedtime: time, first: date, nights: int, *, restart_every: int = 1
) -> int:
    """Check ``nights`` chained reminders from ``first``; returns the nights checked."""
    zone = ZoneInfo(name)
    start = datetime.combine(first, time(12), tzinfo=zone).astimezone(UTC)
    previous: tuple[date, datetime] | None = None
    checked = 0
    for n, (day, due) in enumerate(chain(zone, bedtime, start, nights)):
        where = f"{name} bedtime {bedtime} dose day {day}"
        wanted = datetime.combine(day, bedtime)
        local = _wall(due, zone)
        if previous is not None:
            assert day == _next_date(previous[0], zone), f"{where}: not the next night"
            assert due > previous[1], f"{where}: not after the previous reminder"
        if _exists(wanted, zone):  # on time; when it happens twice, the first time
            assert local == wanted, f"{where}: at {local}"
            assert due == wanted.replace(tzinfo=zone, fold=0).astimezone(UTC), where
        else:  # skipped by a jump: the moment of the jump (maybe just past midnight)
            assert _wall(due - timedelta(microseconds=1), zone) < wanted < local, where
            assert local.date() in (day, day + timedelta(days=1)), where
        if previous is not None and n % restart_every == 0:
            _check_restart(zone, bedtime, previous, (day, due), where)
        previous = (day, due)
        checked += 1
    return checked


def _next_date(day: date, zone: ZoneInfo) -> date:
    """The next local date after ``day`` that happens in ``zone``: read off the wall clock an
    hour at a time from the last instant that is still ``day`` (or from the day before's noon,
    when ``day`` itself never happened)."""
    instant = datetime.combine(day, time(12), tzinfo=UTC) - timedelta(hours=26)
    while (local := instant.astimezone(zone).date()) <= day:
        instant += timedelta(hours=1)
    return local


def _check_restart(
    zone: ZoneInfo,
    bedtime: time,
    fired: tuple[date, datetime],
    upcoming: tuple[date, datetime],
    where: str,
) -> None:
    """A restart anywhere between two reminders recomputes the upcoming one, never another."""
    span = upcoming[1] - fired[1]
    for part in (0.001, 0.5, 0.999):
        restart = fired[1] + span * part
        again = next_reminder(zone, bedtime, restart, after_day=fired[0])
        assert again == upcoming, f"{where}: restart at {restart} gives {again}"


@cache
def change_days(name: str) -> tuple[date, ...]:
    """UTC dates in the span on which the zone's offset changes (empty for zones that never
    change). A week at a stride, then day by day through a week whose offset changed."""
    zone = ZoneInfo(name)
    if not offset_changes(name):
        return ()

    def offset(day: date) -> timedelta | None:
        return datetime.combine(day, time(0), tzinfo=UTC).astimezone(zone).utcoffset()

    days: list[date] = []
    day = FIRST_DAY
    while day < LAST_DAY:
        week_on = min(day + timedelta(days=7), LAST_DAY)
        if offset(day) != offset(week_on):
            days.extend(
                d
                for d in (day + timedelta(days=n) for n in range((week_on - day).days))
                if offset(d) != offset(d + timedelta(days=1))
            )
        day = week_on
    return tuple(days)


def change_windows(name: str, before: int = 3, after: int = 3) -> list[tuple[date, int]]:
    """(first night, nights) stretches covering every change of the zone from ``before`` nights
    ahead of it to ``after`` nights past it; stretches that touch are merged."""
    windows: list[tuple[date, int]] = []
    for change in change_days(name):
        first = max(change - timedelta(days=before), FIRST_DAY)
        last = change + timedelta(days=after)
        if windows and first <= windows[-1][0] + timedelta(days=windows[-1][1]):
            start = windows[-1][0]
            windows[-1] = (start, (last - start).days + 1)
        else:
            windows.append((first, (last - first).days + 1))
    return windows
