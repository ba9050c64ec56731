"""Time zones people type that are not places: UTC offsets and abbreviations.

``read_offset`` understands ``UTC+2``, ``GMT-5``, ``+05:30``, ``UTC+02:00``; ``zones_at_offset``
lists the zones on that offset at a given instant (a fixed offset does not follow daylight
saving, so the person is offered the places that match it now). ``ABBREVIATIONS`` maps CET,
EST, PST, IST, AEST … to the zones they may mean, most likely first; one zone means it is clear.
Codes and zone names only: the bot says it in words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

_OFFSET = re.compile(
    r"^(?:utc|gmt|z|uct)?\s*(?P<sign>[+\-−–])\s*(?P<hours>\d{1,2})(?:[:.h]?(?P<minutes>\d{2}))?"
    r"(?:\s*(?:h|hours?|std|stunden?))?$"
)
_MIN_OFFSET = -12 * 60
_MAX_OFFSET = 14 * 60

ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "UTC": ("UTC",),
    "Z": ("UTC",),
    "GMT": ("Europe/London", "UTC", "Europe/Dublin", "Europe/Lisbon", "Africa/Accra"),
    "BST": ("Europe/London",),
    "IST": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "WET": ("Europe/Lisbon", "Atlantic/Canary", "Atlantic/Madeira"),
    "WEST": ("Europe/Lisbon", "Atlantic/Canary", "Atlantic/Madeira"),
    "CET": (
        "Europe/Berlin",
        "Europe/Paris",
        "Europe/Madrid",
        "Europe/Rome",
        "Europe/Amsterdam",
        "Europe/Vienna",
        "Europe/Zurich",
        "Europe/Warsaw",
    ),
    "EET": (
        "Europe/Athens",
        "Europe/Helsinki",
        "Europe/Kyiv",
        "Europe/Bucharest",
        "Europe/Sofia",
        "Africa/Cairo",
    ),
    "MSK": ("Europe/Moscow",),
    "TRT": ("Europe/Istanbul",),
    "EST": ("America/New_York",),
    "ET": ("America/New_York",),
    "CST": ("America/Chicago", "Asia/Shanghai", "America/Havana"),
    "CT": ("America/Chicago",),
    "MST": ("America/Denver", "America/Phoenix"),
    "MT": ("America/Denver", "America/Phoenix"),
    "PST": ("America/Los_Angeles",),
    "PT": ("America/Los_Angeles",),
    "AKST": ("America/Anchorage",),
    "HST": ("Pacific/Honolulu",),
    "AST": ("America/Halifax", "Asia/Riyadh", "America/Puerto_Rico"),
    "NST": ("America/St_Johns",),
    "BRT": ("America/Sao_Paulo",),
    "ART": ("America/Argentina/Buenos_Aires",),
    "CLT": ("America/Santiago",),
    "AEST": ("Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane"),
    "ACST": ("Australia/Adelaide", "Australia/Darwin"),
    "AWST": ("Australia/Perth",),
    "NZST": ("Pacific/Auckland",),
    "JST": ("Asia/Tokyo",),
    "KST": ("Asia/Seoul",),
    "HKT": ("Asia/Hong_Kong",),
    "SGT": ("Asia/Singapore",),
    "PHT": ("Asia/Manila",),
    "ICT": ("Asia/Bangkok", "Asia/Ho_Chi_Minh"),
    "WIB": ("Asia/Jakarta",),
    "PKT": ("Asia/Karachi",),
    "NPT": ("Asia/Kathmandu",),
    "GST": ("Asia/Dubai",),
    "IRST": ("Asia/Tehran",),
    "SAST": ("Africa/Johannesburg",),
    "WAT": ("Africa/Lagos",),
    "CAT": ("Africa/Maputo",),
    "EAT": ("Africa/Nairobi",),
}
# Summer names and other spellings of the same thing.
for _summer, _standard in {
    "CEST": "CET",
    "MEZ": "CET",
    "MESZ": "CET",
    "EEST": "EET",
    "OEZ": "EET",
    "OESZ": "EET",
    "WEZ": "WET",
    "WESZ": "WET",
    "EDT": "EST",
    "CDT": "CST",
    "MDT": "MST",
    "PDT": "PST",
    "AKDT": "AKST",
    "ADT": "AST",
    "NDT": "NST",
    "AEDT": "AEST",
    "ACDT": "ACST",
    "NZDT": "NZST",
    "IDT": "IST",
}.items():
    ABBREVIATIONS[_summer] = ABBREVIATIONS[_standard]


def abbreviation(text: str) -> tuple[str, ...]:
    """The zones an abbreviation may mean (most likely first), or () when it is none."""
    return ABBREVIATIONS.get(text.strip().upper(), ())


def read_offset(text: str) -> int | None:
    """A typed UTC offset in minutes (``UTC+2`` → 120, ``+05:30`` → 330), or None."""
    found = _OFFSET.match(text.strip().casefold())
    if found is None:
        return None
    minutes = int(found["hours"]) * 60 + int(found["minutes"] or 0)
    if int(found["minutes"] or 0) >= 60:
        return None
    signed = -minutes if found["sign"] != "+" else minutes
    return signed if _MIN_OFFSET <= signed <= _MAX_OFFSET else None


def fixed_zone(offset_minutes: int) -> str | None:
    """The IANA zone that stays on ``offset_minutes`` all year (``Etc/GMT-2`` is UTC+2: the
    Etc signs are inverted), or None for offsets that are not whole hours."""
    if offset_minutes == 0:
        return "UTC"
    hours, rest = divmod(abs(offset_minutes), 60)
    if rest:
        return None
    return f"Etc/GMT{'-' if offset_minutes > 0 else '+'}{hours}"


def offset_label(offset_minutes: int) -> str:
    """``UTC+2``, ``UTC-5``, ``UTC+5:30``."""
    sign = "-" if offset_minutes < 0 else "+"
    hours, minutes = divmod(abs(offset_minutes), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def zones_at_offset(offset_minutes: int, at: datetime) -> tuple[str, ...]:
    """Every geographic zone whose offset is ``offset_minutes`` at the instant ``at``."""
    wanted = timedelta(minutes=offset_minutes)
    return tuple(
        name for name in _geographic_zones() if at.astimezone(ZoneInfo(name)).utcoffset() == wanted
    )


_GEOGRAPHIC_AREAS = frozenset(
    [
        "Africa",
        "America",
        "Antarctica",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    ]
)


@cache
def _geographic_zones() -> tuple[str, ...]:
    return tuple(
        sorted(
            name
            for name in available_timezones()
            if "/" in name and name.split("/")[0] in _GEOGRAPHIC_AREAS
        )
    )


class MatchKind(StrEnum):
    """How a typed answer to the time-zone question was read."""

    NONE = "none"  # nothing fits
    NAME = "name"  # an IANA zone name in full
    CITY = "city"
    COUNTRY = "country"
    REGION = "region"  # a state, province or Land ("Bayern", "Texas", "Ontario")
    ABBREVIATION = "abbreviation"
    OFFSET = "offset"
    NEAR = "near"  # a misspelling: the nearest names


@dataclass(frozen=True)
class Place:
    """A zone to offer, with the place that stands for it (data, never a sentence)."""

    zone: str
    name: str | None = None  # a city's name, when a city stands for it
    country: str | None = None  # ISO 3166 code


@dataclass(frozen=True)
class ZoneMatch:
    """The zones a typed answer may mean, most likely first. ``sure``: exactly one, named
    exactly (it may be saved at once and echoed); otherwise the person picks."""

    kind: MatchKind
    places: tuple[Place, ...]
    sure: bool = False
    offset_minutes: int | None = None  # OFFSET: the offset typed
    typed: str = ""  # ABBREVIATION: as typed

    @property
    def zones(self) -> tuple[str, ...]:
        return tuple(place.zone for place in self.places)
