"""Bedtime reminder timing: local wall-clock bedtimes, IANA zones and the UTC instants they map to.

A patient has a bedtime (``datetime.time``) and a zone. Each local date (the *dose day*) gets
exactly one reminder. Daylight-saving rules: a bedtime that does not exist that night (clocks
jumped over it) fires the moment the clocks jump; a bedtime that happens twice (clocks went
back) fires at its first occurrence. Instants are returned in UTC.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from titration.errors import InputError, Problem

COMMON_ZONES: tuple[str, ...] = (
    "Europe/London",
    "Europe/Berlin",
    "Europe/Madrid",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
)

_MAX_TIME_CHARS = 20
_MAX_ZONE_CHARS = 64

# hour, then optional minutes (22:30, 22.30, 22h30, 2230), then optional am/pm (pm, p.m.).
_TIME = re.compile(
    r"^(?P<hour>\d{1,2})(?:[:.h]?(?P<minute>\d{2}))?\s*(?:(?P<half>[ap])\.?\s*m\.?)?$",
    re.IGNORECASE | re.ASCII,
)

# Zone groups that only hold backward-compatible aliases or non-geographic zones.
_LEGACY_AREAS = ("Etc/", "SystemV/", "US/", "Canada/", "Brazil/", "Mexico/", "Chile/")
_SYSTEM_COPIES = ("posix/", "right/")


@cache
def zone(name: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name, kept for the life of the process.

    zoneinfo's own cache holds only a few zones strongly; an evening's patients span dozens, and
    a cache miss re-reads the zone file from disk.
    """
    return ZoneInfo(name)


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant when wall time ``at`` occurs on ``day`` in ``zone``.

    A time skipped by a clock change maps to the moment the clocks jumped; a time that
    happens twice maps to its first occurrence.
    """
    wall = datetime.combine(day, at.replace(tzinfo=None))
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if _wall_time(first, zone) == wall:
        return first
    # ``wall`` falls in a gap. Read with the offsets before and after the jump it gives two
    # instants that bracket the jump; search between them for the first instant whose wall
    # time is at or past ``wall`` (zone transitions happen on whole seconds).
    second = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    low = min(first, second).replace(microsecond=0)
    high = max(first, second).replace(microsecond=0) + timedelta(seconds=1)
    while high - low > timedelta(seconds=1):
        middle = (low + (high - low) // 2).replace(microsecond=0)
        if _wall_time(middle, zone) >= wall:
            high = middle
        else:
            low = middle
    return high


def _wall_time(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def next_reminder(
    zone: ZoneInfo,
    bedtime: time,
    now: datetime,
    *,
    after_day: date | None = None,
    catch_up: timedelta = timedelta(0),
) -> tuple[date, datetime]:
    """The next reminder as (dose day, due instant in UTC).

    The dose day is the first local date from today on, later than ``after_day`` (the last dose
    day already reminded), whose bedtime is not before ``now - catch_up``. The reminder is due at
    that bedtime, or right now if the bedtime has just passed within ``catch_up``.
    """
    _require_aware(now, "now")
    now = now.astimezone(UTC)
    day = dose_day_of(now, zone)
    if after_day is not None and day <= after_day:
        day = after_day + timedelta(days=1)
    earliest = now - catch_up
    while (due := local_instant(day, bedtime, zone)) < earliest:
        day += timedelta(days=1)
    return day, max(due, now)


def dose_day_of(instant: datetime, zone: ZoneInfo) -> date:
    """Local calendar date of ``instant`` in ``zone``."""
    _require_aware(instant, "instant")
    return instant.astimezone(zone).date()


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")


def parse_bedtime(text: str) -> time:
    """A bedtime a person typed (22:30, 2230, 22h30, 10:30 pm, 10pm, 12 am …), or InputError."""
    if len(text) > _MAX_TIME_CHARS:
        raise InputError(Problem.BAD_TIME)
    match = _TIME.match(text.strip())
    if match is None:
        raise InputError(Problem.BAD_TIME)
    hour = int(match["hour"])
    minute = int(match["minute"] or 0)
    half = match["half"]
    if half is not None:
        if not 1 <= hour <= 12:
            raise InputError(Problem.BAD_TIME)
        # 12 am is midnight and 12 pm is noon.
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
    if hour > 23 or minute > 59:
        raise InputError(Problem.BAD_TIME)
    return time(hour, minute)


def find_zones(text: str, limit: int = 6) -> list[str]:
    """IANA zone names matching what a person typed (zone name, city, or a near misspelling)."""
    if len(text) > _MAX_ZONE_CHARS or limit <= 0:
        return []
    query = _match_key(text)
    if not query:
        return []
    zones = _zone_keys()
    tiers = [
        [name for name, (full, _) in zones.items() if full == query],
        [name for name, (_, city) in zones.items() if city == query],
        [name for name, (_, city) in zones.items() if city.startswith(query)],
        [name for name, (full, _) in zones.items() if full.startswith(query)],
        [name for name, (full, _) in zones.items() if query in full],
    ]
    found: list[str] = []
    for tier in tiers:
        found += sorted((name for name in tier if name not in found), key=_common_first)
    if not found:
        # Misspellings: compare with whole names if a '/' was typed, else with city parts.
        by_key: dict[str, list[str]] = {}
        for name, (full, city) in zones.items():
            by_key.setdefault(full if "/" in query else city, []).append(name)
        for key in difflib.get_close_matches(query, by_key, n=limit, cutoff=0.75):
            found += sorted(by_key[key], key=_common_first)
    return found[:limit]


def _common_first(name: str) -> tuple[bool, str]:
    return name not in COMMON_ZONES, name


def _match_key(text: str) -> str:
    """Lower case, accents dropped, and '_', '-' and runs of spaces all turned into one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.split(r"[\s_\-]+", plain.casefold())).strip()


@cache
def _zone_keys() -> dict[str, tuple[str, str]]:
    """Offered zone name -> (match key of the full name, match key of the city part)."""
    names = sorted(
        name
        for name in available_timezones()
        if name == "UTC" or ("/" in name and not name.startswith(_LEGACY_AREAS + _SYSTEM_COPIES))
    )
    return {name: (_match_key(name), _match_key(name.rsplit("/", 1)[-1])) for name in names}


def zone_label(zone: ZoneInfo, at: datetime) -> str:
    """Short label with the offset at ``at``, like 'Europe/Berlin (UTC+1)'."""
    _require_aware(at, "at")
    if zone.key == "UTC":
        return "UTC"
    offset = at.astimezone(zone).utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    hours, minutes = divmod(abs(int(offset.total_seconds())) // 60, 60)
    shown = f"{hours}:{minutes:02d}" if minutes else f"{hours}"
    return f"{zone.key} (UTC{sign}{shown})"
