"""Property tests for reminder timing across many real zones with daylight-saving changes and
skipped dates, 1970–2037 (the whole span 64-bit zone data and zoneinfo describe the same way)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from itertools import pairwise
from zoneinfo import ZoneInfo

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from titration.timing import date_exists, dose_day_of, local_instant, next_reminder

FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(2037, 12, 31)
NIGHTS = 60

# Zones with daylight saving now or in the recent past, including odd ones: 30- and 45-minute
# offsets, shifts at midnight (Santiago, Havana), 23:00 -> 00:00 (Nuuk), 2-hour jumps (Troll),
# negative DST (Dublin), Ramadan shifts (Casablanca), zones that dropped DST, and zones that
# skipped a whole date by crossing the date line (Apia, Fakaofo 2011; Kwajalein 1993).
ZONES = [
    ZoneInfo(name)
    for name in (
        "Europe/Berlin",
        "Europe/London",
        "Europe/Dublin",
        "Europe/Lisbon",
        "Europe/Helsinki",
        "Europe/Chisinau",
        "Europe/Kyiv",
        "Atlantic/Azores",
        "Africa/Cairo",
        "Africa/Casablanca",
        "Asia/Beirut",
        "Asia/Jerusalem",
        "Asia/Gaza",
        "Asia/Damascus",
        "Asia/Amman",
        "Asia/Tehran",
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Los_Angeles",
        "America/Anchorage",
        "America/St_Johns",
        "America/Halifax",
        "America/Havana",
        "America/Mexico_City",
        "America/Santiago",
        "America/Asuncion",
        "America/Sao_Paulo",
        "America/Nuuk",
        "America/Scoresbysund",
        "America/Miquelon",
        "Pacific/Easter",
        "Antarctica/Troll",
        "Australia/Sydney",
        "Australia/Adelaide",
        "Australia/Lord_Howe",
        "Pacific/Auckland",
        "Pacific/Chatham",
        "Pacific/Norfolk",
        "Pacific/Fiji",
        "Pacific/Apia",
        "Pacific/Fakaofo",
        "Pacific/Kwajalein",
        "Pacific/Kiritimati",
        "Asia/Kolkata",
    )
]


def wall_time(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def exists(wall: datetime, zone: ZoneInfo) -> bool:
    """Whether the wall time happens at all in zone (zoneinfo's own round trip)."""
    return wall_time(wall.replace(tzinfo=zone).astimezone(UTC), zone) == wall


def happening_days(zone: ZoneInfo, first: date, count: int) -> list[date]:
    """The first ``count`` local dates from ``first`` on that some instant has in ``zone``,
    found by reading the zone's wall clock every hour (a date either happens for many hours or,
    when the clocks jumped a whole day, not at all)."""
    start = datetime.combine(first, time(0), tzinfo=UTC) - timedelta(hours=15)
    seen: dict[date, None] = {}
    instant = start
    while len(seen) < count + 1:
        local = instant.astimezone(zone).date()
        if local >= first:
            seen[local] = None
        instant += timedelta(hours=1)
    return sorted(seen)[:count]


def _noon_utc(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(12), tzinfo=zone).astimezone(UTC)


def _offset(instant: datetime, zone: ZoneInfo) -> timedelta | None:
    return instant.astimezone(zone).utcoffset()


@cache
def clock_changes(zone: ZoneInfo) -> tuple[datetime, ...]:
    """Local wall times (read on the old offset) at which the zone's clocks change in range."""
    changes: list[datetime] = []
    day = FIRST_DAY
    low = _noon_utc(day, zone)
    while day < LAST_DAY:
        # A week at a stride, then day by day through a week whose offset changed (a change
        # undone within the same week is missed: this only finds places worth drawing from).
        week_on = _noon_utc(day + timedelta(days=7), zone)
        if _offset(low, zone) == _offset(week_on, zone):
            day, low = day + timedelta(days=7), week_on
            continue
        day += timedelta(days=1)
        high = _noon_utc(day, zone)
        if _offset(low, zone) != _offset(high, zone):
            old_offset = _offset(low, zone)
            # Narrow down to the second at which the offset changes.
            before, after = low, high
            while after - before > timedelta(seconds=1):
                middle = (before + (after - before) // 2).replace(microsecond=0)
                if _offset(middle, zone) == old_offset:
                    before = middle
                else:
                    after = middle
            changes.append(wall_time(before, zone) + timedelta(seconds=1))
        low = high
    return tuple(changes)


@st.composite
def zones_and_walls(draw: st.DrawFn) -> tuple[ZoneInfo, date, time]:
    """A zone, a date and a wall time; about half the time within hours of a clock change."""
    zone = draw(st.sampled_from(ZONES))
    changes = clock_changes(zone)
    if draw(st.booleans()) and changes:
        near = st.timedeltas(
            min_value=timedelta(hours=-1), max_value=timedelta(hours=2, minutes=30)
        )
        wall = draw(st.sampled_from(changes)) + draw(near)
    else:
        wall = datetime.combine(draw(st.dates(FIRST_DAY, LAST_DAY)), draw(st.times()))
    return zone, wall.date(), wall.time()


@settings(max_examples=200, deadline=None)
@given(zones_and_walls())
@example((ZoneInfo("Europe/Berlin"), date(2026, 3, 29), time(2, 30)))
@example((ZoneInfo("Europe/Berlin"), date(2026, 10, 25), time(2, 30)))
@example((ZoneInfo("America/Santiago"), date(2026, 9, 6), time(0, 30)))
@example((ZoneInfo("Australia/Lord_Howe"), date(2026, 10, 4), time(2, 15)))
@example((ZoneInfo("America/Nuuk"), date(2026, 3, 28), time(23, 30)))
@example((ZoneInfo("Antarctica/Troll"), date(2026, 3, 29), time(2, 0, 0, 1)))
@example((ZoneInfo("Pacific/Apia"), date(2011, 12, 30), time(22, 0)))
@example((ZoneInfo("Pacific/Kwajalein"), date(1993, 8, 21), time(0, 0)))
def test_local_instant_is_first_instant_at_or_past_the_wall_time(
    case: tuple[ZoneInfo, date, time],
) -> None:
    zone, day, bedtime = case
    wall = datetime.combine(day, bedtime.replace(fold=0))
    result = local_instant(day, bedtime, zone)

    assert result.tzinfo is UTC
    local = wall_time(result, zone)
    just_before = wall_time(result - timedelta(microseconds=1), zone)
    # The earliest instant whose local wall time is at or past the requested one.
    assert just_before < wall <= local
    if exists(wall, zone):
        assert local == wall
        assert result == wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
        assert local.date() == day
    else:
        # Skipped by a jump: fire exactly at the jump, which may land on the next date
        # (Nuuk jumps from 23:00 straight to 00:00).
        offset_before = (result - timedelta(microseconds=1)).astimezone(zone).utcoffset()
        assert result.astimezone(zone).utcoffset() != offset_before
        assert local.date() in (day, day + timedelta(days=1))


@settings(max_examples=200, deadline=None)
@given(
    zones_and_walls(),
    st.timedeltas(min_value=timedelta(days=-NIGHTS), max_value=timedelta(0)),
)
@example((ZoneInfo("Pacific/Apia"), date(2011, 12, 29), time(22, 0)), timedelta(days=-3))
@example((ZoneInfo("Pacific/Fakaofo"), date(2011, 12, 30), time(0, 0)), timedelta(days=-1))
def test_chained_reminders_cover_every_dose_day_once(
    case: tuple[ZoneInfo, date, time], shift: timedelta
) -> None:
    zone, day, bedtime = case
    start = datetime.combine(day, time(12), tzinfo=zone).astimezone(UTC) + shift

    reminders = [next_reminder(zone, bedtime, start)]
    for _ in range(NIGHTS - 1):
        last_day, last_due = reminders[-1]
        reminders.append(
            next_reminder(zone, bedtime, last_due + timedelta(seconds=1), after_day=last_day)
        )

    days = [dose_day for dose_day, _ in reminders]
    dues = [due for _, due in reminders]
    first_possible = dose_day_of(start, zone)
    assert days[0] in happening_days(zone, first_possible, 3)[:2]
    # Every date that happens in the zone, in order, once; none that the clocks skipped.
    assert days == happening_days(zone, days[0], NIGHTS)
    assert all(earlier < later for earlier, later in pairwise(dues))
    assert dues[0] >= start
    assert all(due == local_instant(d, bedtime, zone) for d, due in reminders)


def steady_offset(day: date, zone: ZoneInfo) -> timedelta | None:
    """The zone's offset on day if it is the same all day (no clock change), else None."""
    offsets = {
        zone.utcoffset(datetime.combine(day, time(hour, fold=fold)))
        for hour in range(24)
        for fold in (0, 1)
    }
    offset = offsets.pop()
    return offset if not offsets else None


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(ZONES), st.dates(FIRST_DAY, LAST_DAY), st.times())
def test_local_instant_round_trips_on_days_without_clock_changes(
    zone: ZoneInfo, day: date, bedtime: time
) -> None:
    offset = steady_offset(day, zone)
    assume(offset is not None)
    assert offset is not None
    wall = datetime.combine(day, bedtime.replace(fold=0))
    result = local_instant(day, bedtime, zone)
    assert result == (wall - offset).replace(tzinfo=UTC)
    assert wall_time(result, zone) == wall
    assert dose_day_of(result, zone) == day


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ZONES), st.dates(FIRST_DAY, LAST_DAY))
@example(ZoneInfo("Pacific/Apia"), date(2011, 12, 30))
@example(ZoneInfo("Pacific/Kwajalein"), date(1993, 8, 21))
@example(ZoneInfo("America/Santiago"), date(2026, 9, 6))
def test_a_date_exists_when_some_instant_falls_on_it(zone: ZoneInfo, day: date) -> None:
    assert date_exists(day, zone) is (day in happening_days(zone, day, 1))
