"""Bedtime reminder timing: local wall-clock bedtimes, IANA zones and the UTC instants they map to.

A patient has a bedtime (``datetime.time``) and a zone. Each local date (the *dose day*) gets
exactly one reminder; a date the zone skipped altogether (Pacific/Apia jumped from 29 to 31
December 2011) is no dose day at all. Daylight-saving rules: a bedtime that does not exist that
night (clocks jumped over it) fires the moment the clocks jump; a bedtime that happens twice
(clocks went back) fires at its first occurrence. Instants are returned in UTC.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
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


def known_zone(name: str) -> bool:
    """True for a zone name this machine's zone data has (``Etc/GMT-2`` included)."""
    return name in _all_zones()


@cache
def _all_zones() -> frozenset[str]:
    return frozenset(available_timezones())


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
    while not date_exists(day, zone) or (due := local_instant(day, bedtime, zone)) < earliest:
        day += timedelta(days=1)
    return day, max(due, now)


def date_exists(day: date, zone: ZoneInfo) -> bool:
    """Whether ``day`` happens at all in ``zone``: False only for a date its clocks jumped over
    whole (Pacific/Apia and Pacific/Fakaofo on 30 December 2011)."""
    return local_instant(day, time(0), zone).astimezone(zone).date() == day


def dose_day_before(day: date, zone: ZoneInfo) -> date:
    """The dose day before ``day``: the day before, or the one before that when the clocks
    skipped it."""
    before = day - timedelta(days=1)
    while not date_exists(before, zone):
        before -= timedelta(days=1)
    return before


def dose_days(first: date, last: date, zone: ZoneInfo) -> list[date]:
    """The local dates from ``first`` to ``last`` (both included) that happen in ``zone``."""
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in days if date_exists(day, zone)]


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


@dataclass(frozen=True)
class TimeReading:
    """A time a person typed: ``at`` when it is clear; otherwise ``choices``, the same clock
    time in the evening and in the morning ("10" → 22:00 or 10:00), evening first."""

    at: time | None = None
    choices: tuple[time, ...] = ()


_NUMBER_WORDS = {
    **dict.fromkeys(("one", "eins", "ein", "eine"), 1),
    **dict.fromkeys(("two", "zwei"), 2),
    **dict.fromkeys(("three", "drei"), 3),
    **dict.fromkeys(("four", "vier"), 4),
    **dict.fromkeys(("five", "funf"), 5),
    **dict.fromkeys(("six", "sechs"), 6),
    **dict.fromkeys(("seven", "sieben"), 7),
    **dict.fromkeys(("eight", "acht"), 8),
    **dict.fromkeys(("nine", "neun"), 9),
    **dict.fromkeys(("ten", "zehn"), 10),
    **dict.fromkeys(("eleven", "elf"), 11),
    **dict.fromkeys(("twelve", "zwolf"), 12),
}
_MINUTE_WORDS = {
    "oh five": 5,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "forty five": 45,
    "fortyfive": 45,
    "fifty": 50,
}
_HOUR = r"(?P<h>\d{1,2}|" + "|".join(_NUMBER_WORDS) + ")"
# Words that say which half of the day; "at night" means the small hours for 1–5.
_EVENING = re.compile(
    r"\b(p\.? ?m\.?|pm|in the evening|this evening|evening|at night|tonight|night"
    r"|am abend|abends|abend|nachts|in der nacht|heute nacht)(?=\s|$)"
)
_NIGHT_WORDS = frozenset(("at night", "night", "tonight", "nachts", "in der nacht", "heute nacht"))
_MORNING = re.compile(
    r"(?:^|\s)(am morgen|in the morning|morning|morgens|in der fruh|fruhs|fruh|vormittags"
    r"|vormittag|a\.? ?m\.?(?! abend))(?=\s|$)"
)
_FILLER = re.compile(
    r"\b(at|around|about|by|usually|normally|mostly|approx|approximately|ish|um|gegen|so|ca"
    r"|etwa|meistens|normalerweise|immer|i go to bed|i sleep|bed|bedtime|i)\b|[~,!?]"
)
_SPOKEN = (
    (re.compile(r"^half past " + _HOUR + "$"), 0, 30),
    (re.compile(r"^quarter past " + _HOUR + "$"), 0, 15),
    (re.compile(r"^quarter to " + _HOUR + "$"), -1, 45),
    (re.compile(r"^halb " + _HOUR + "$"), -1, 30),  # German "halb elf" is 10:30
    (re.compile(r"^viertel nach " + _HOUR + "$"), 0, 15),
    (re.compile(r"^viertel vor " + _HOUR + "$"), -1, 45),
    (re.compile(r"^(?:dreiviertel|drei viertel) " + _HOUR + "$"), -1, 45),
    (re.compile(r"^viertel " + _HOUR + "$"), -1, 15),
)
_HOUR_ONLY = re.compile(r"^" + _HOUR + r"(?: ?(?:h|uhr|o ?clock|oclock))?$")
_HOUR_UHR_MINUTES = re.compile(r"^(?P<h>\d{1,2}) ?uhr ?(?P<m>\d{2})$")
_HOUR_WORD_MINUTES = re.compile(r"^" + _HOUR + " (?P<m>" + "|".join(_MINUTE_WORDS) + ")$")


def read_time(text: str) -> TimeReading:
    """A time of day as people type it (22:30, 10.30, 22h30, 10:30pm, noon, midnight, half past
    ten, halb elf, 22 Uhr, 10 Uhr abends …), or InputError. A bare hour from 1 to 12 without
    "pm", "abends" … ("10", "zehn Uhr", "halb elf") could be either half of the day: both are
    returned to choose from."""
    if len(text) > _MAX_TIME_CHARS * 2:
        raise InputError(Problem.BAD_TIME)
    plain = _match_key(text).replace("-", " ").replace("'", "").replace("’", "")
    if plain in ("noon", "midday", "12 noon", "mittag", "mittags", "12 mittags"):
        return TimeReading(time(12, 0))
    if plain in ("midnight", "12 midnight", "mitternacht", "24 uhr"):
        return TimeReading(time(0, 0))
    evening, morning = _EVENING.search(plain), _MORNING.search(plain)
    if evening and morning:
        raise InputError(Problem.BAD_TIME)
    rest = _EVENING.sub(" ", plain) if evening else plain
    rest = _MORNING.sub(" ", rest) if morning else rest
    rest = " ".join(_FILLER.sub(" ", rest).split()).removesuffix(" uhr").strip()
    hour, minute, spoken = _read_clock(rest)
    if evening is None and morning is None:
        if not spoken:
            return TimeReading(time(hour, minute))
        if hour == 0 or hour > 12:
            raise InputError(Problem.BAD_TIME)
        evening_first = (_half(hour, minute, pm=hour != 12), _half(hour, minute, pm=hour == 12))
        return TimeReading(choices=evening_first)
    if hour > 12 or hour == 0:  # "22 Uhr abends": the 24-hour clock already says it
        if morning is not None and hour > 12:
            raise InputError(Problem.BAD_TIME)
        return TimeReading(time(hour % 24, minute))
    night = evening is not None and evening.group(1) in _NIGHT_WORDS
    pm = evening is not None and not (night and hour <= 5)  # "2 at night" is 02:00
    return TimeReading(_half(hour, minute, pm=pm))


def _read_clock(rest: str) -> tuple[int, int, bool]:
    """(hour, minute, spoken): ``spoken`` when only an hour was given, in words or digits
    without minutes, so the half of the day is not known."""
    for pattern, shift, minute in _SPOKEN:
        if found := pattern.match(rest):
            hour = _hour(found["h"]) + shift
            return (12 if hour == 0 else hour), minute, True
    if found := _HOUR_ONLY.match(rest):
        hour = _hour(found["h"])
        return hour, 0, 1 <= hour <= 12
    if found := _HOUR_UHR_MINUTES.match(rest):
        return _checked(int(found["h"]), int(found["m"]))
    if found := _HOUR_WORD_MINUTES.match(rest):
        return _hour(found["h"]), _MINUTE_WORDS[found["m"]], True
    at = parse_bedtime(rest)
    return at.hour, at.minute, False


def _hour(word: str) -> int:
    hour = int(word) if word.isdigit() else _NUMBER_WORDS[word]
    if hour > 23:
        raise InputError(Problem.BAD_TIME)
    return hour


def _checked(hour: int, minute: int) -> tuple[int, int, bool]:
    if hour > 23 or minute > 59:
        raise InputError(Problem.BAD_TIME)
    return hour, minute, False


def _half(hour: int, minute: int, *, pm: bool) -> time:
    """``hour`` (1–12) on the 12-hour clock: 12 am is midnight, 12 pm noon."""
    if not 1 <= hour <= 12:
        raise InputError(Problem.BAD_TIME)
    return time(hour % 12 + (12 if pm else 0), minute)


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
    """Short label with the offset at ``at``, like 'Europe/Berlin (UTC+1)' (a fixed offset,
    ``Etc/GMT-2``, is just 'UTC+2')."""
    _require_aware(at, "at")
    if zone.key == "UTC":
        return "UTC"
    if zone.key.startswith("Etc/"):
        offset = at.astimezone(zone).utcoffset() or timedelta(0)
        return "UTC" + _signed(offset)
    offset = at.astimezone(zone).utcoffset() or timedelta(0)
    return f"{zone.key} (UTC{_signed(offset)})"


def _signed(offset: timedelta) -> str:
    """+1, -5, +5:30."""
    sign = "-" if offset < timedelta(0) else "+"
    hours, minutes = divmod(abs(int(offset.total_seconds())) // 60, 60)
    return sign + (f"{hours}:{minutes:02d}" if minutes else f"{hours}")
