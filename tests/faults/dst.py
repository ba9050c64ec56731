"""Checks for chained bedtime reminders over long spans, for every IANA zone.

``check_chain`` walks ``next_reminder`` night after night the way the scheduler does (each night
armed right after the previous one fired) and checks, for every dose day: exactly one reminder,
in order, at the local bedtime, or at the clock jump when bedtime does not exist that night, or at
its first occurrence when it happens twice. Every ``restart_every``-th night it also checks that a
bot restarted at an arbitrary moment before that reminder recomputes exactly the same one.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from titration.timing import next_reminder

FIRST_DAY, LAST_DAY = date(2025, 1, 1), date(2035, 12, 31)
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
    """Whether the zone's UTC offset changes in the span (sampled twice a week)."""
    zone = ZoneInfo(name)
    start = datetime.combine(FIRST_DAY, time(0), tzinfo=UTC)
    offsets = {
        (start + timedelta(days=3.5 * n)).astimezone(zone).utcoffset()
        for n in range(int((LAST_DAY - FIRST_DAY).days / 3.5) + 1)
    }
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
            assert day == previous[0] + timedelta(days=1), f"{where}: not the next night"
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
    """UTC dates in the span on which the zone's offset changes (empty for most zones)."""
    zone = ZoneInfo(name)
    if not offset_changes(name):
        return ()
    days: list[date] = []
    day = FIRST_DAY
    offset = datetime.combine(day, time(0), tzinfo=UTC).astimezone(zone).utcoffset()
    while day < LAST_DAY:
        day += timedelta(days=1)
        now = datetime.combine(day, time(0), tzinfo=UTC).astimezone(zone).utcoffset()
        if now != offset:
            days.append(day - timedelta(days=1))
        offset = now
    return tuple(days)
