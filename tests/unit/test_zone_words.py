"""Time zones typed as offsets, abbreviations, countries and cities (``titration.zone_words``,
``bot.geo.match_zone``): what is clear is taken, what is not is offered, nothing is guessed."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.geo import match_zone
from titration.timing import known_zone, zone_label
from titration.zone_words import (
    ABBREVIATIONS,
    MatchKind,
    fixed_zone,
    offset_label,
    read_offset,
    zones_at_offset,
)

WINTER = datetime(2026, 12, 5, 20, 14, tzinfo=UTC)
SUMMER = datetime(2026, 7, 5, 20, 14, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("UTC+2", 120),
        ("utc +2", 120),
        ("GMT-5", -300),
        ("+05:30", 330),
        ("UTC+02:00", 120),
        ("UTC−3", -180),
        ("-3", -180),
        ("GMT+5:45", 345),
        ("UTC+14", 840),
        ("UTC-12", -720),
    ],
)
def test_offsets_are_read(text: str, minutes: int) -> None:
    assert read_offset(text) == minutes


@pytest.mark.parametrize("text", ["UTC+15", "UTC-13", "Berlin", "+2:75", "UTC", "10"])
def test_not_offsets(text: str) -> None:
    assert read_offset(text) is None


def test_a_fixed_offset_zone_has_the_right_sign_and_label() -> None:
    zone = fixed_zone(120)
    assert zone == "Etc/GMT-2" and known_zone(zone)
    assert zone_label(ZoneInfo(zone), WINTER) == "UTC+2"
    assert fixed_zone(330) is None and offset_label(330) == "UTC+5:30"


def test_zones_at_an_offset_follow_daylight_saving() -> None:
    assert "Europe/Berlin" in zones_at_offset(60, WINTER)
    assert "Europe/Berlin" in zones_at_offset(120, SUMMER)
    assert "Europe/Berlin" not in zones_at_offset(120, WINTER)


def test_every_abbreviation_names_real_zones() -> None:
    assert all(known_zone(zone) for zones in ABBREVIATIONS.values() for zone in zones)


@pytest.mark.parametrize(
    ("typed", "kind", "zone"),
    [
        ("München", MatchKind.CITY, "Europe/Berlin"),
        ("Munich", MatchKind.CITY, "Europe/Berlin"),
        ("Muenchen", MatchKind.CITY, "Europe/Berlin"),
        ("Köln", MatchKind.CITY, "Europe/Berlin"),
        ("Cologne", MatchKind.CITY, "Europe/Berlin"),
        ("Beijing", MatchKind.CITY, "Asia/Shanghai"),
        ("Peking", MatchKind.CITY, "Asia/Shanghai"),
        ("Tokyo", MatchKind.CITY, "Asia/Tokyo"),
        ("new york", MatchKind.CITY, "America/New_York"),
        ("India", MatchKind.COUNTRY, "Asia/Kolkata"),
        ("Indien", MatchKind.COUNTRY, "Asia/Kolkata"),
        ("Germany", MatchKind.COUNTRY, "Europe/Berlin"),
        ("Deutschland", MatchKind.COUNTRY, "Europe/Berlin"),
        ("Japan", MatchKind.COUNTRY, "Asia/Tokyo"),
        ("PST", MatchKind.ABBREVIATION, "America/Los_Angeles"),
        ("est", MatchKind.ABBREVIATION, "America/New_York"),
        ("JST", MatchKind.ABBREVIATION, "Asia/Tokyo"),
        ("Europe/Berlin", MatchKind.NAME, "Europe/Berlin"),
        ("Berlin", MatchKind.CITY, "Europe/Berlin"),  # also a Land: the city
        ("Bayern", MatchKind.REGION, "Europe/Berlin"),
        ("Bavaria", MatchKind.REGION, "Europe/Berlin"),
        ("Nordrhein-Westfalen", MatchKind.REGION, "Europe/Berlin"),
        ("Tirol", MatchKind.REGION, "Europe/Vienna"),
        ("Scotland", MatchKind.REGION, "Europe/London"),
        ("California", MatchKind.REGION, "America/Los_Angeles"),
        ("Arizona", MatchKind.REGION, "America/Phoenix"),  # no daylight saving, unlike Denver
        ("Queensland", MatchKind.REGION, "Australia/Brisbane"),  # not Sydney's
        ("Alberta", MatchKind.REGION, "America/Edmonton"),
    ],
)
def test_clear_answers_are_one_zone(typed: str, kind: MatchKind, zone: str) -> None:
    found = match_zone(typed, WINTER)
    assert (found.kind, found.zones, found.sure) == (kind, (zone,), True)


@pytest.mark.parametrize(
    ("typed", "kind", "first", "also"),
    [
        ("CET", MatchKind.ABBREVIATION, "Europe/Berlin", "Europe/Paris"),
        ("IST", MatchKind.ABBREVIATION, "Asia/Kolkata", "Europe/Dublin"),
        ("GMT", MatchKind.ABBREVIATION, "Europe/London", "UTC"),
        ("AEST", MatchKind.ABBREVIATION, "Australia/Sydney", "Australia/Brisbane"),
        ("USA", MatchKind.COUNTRY, "America/New_York", "America/Los_Angeles"),
        ("Vereinigte Staaten", MatchKind.COUNTRY, "America/New_York", "America/Chicago"),
        ("Australia", MatchKind.COUNTRY, "Australia/Sydney", "Australia/Perth"),
        ("Frankfrut", MatchKind.NEAR, "Europe/Berlin", "Europe/Berlin"),
        ("Muncih", MatchKind.NEAR, "Europe/Berlin", "Europe/Berlin"),  # two letters swapped
        ("Texas", MatchKind.REGION, "America/Chicago", "America/Denver"),  # El Paso
        ("Ontario", MatchKind.REGION, "America/Toronto", "America/Los_Angeles"),  # the city
        ("Georgia", MatchKind.REGION, "Asia/Tbilisi", "America/New_York"),  # country or state
        ("Washington", MatchKind.REGION, "America/Los_Angeles", "America/New_York"),
        ("Springfield", MatchKind.CITY, "America/Chicago", "America/New_York"),
        ("UTC+2", MatchKind.OFFSET, "Africa/Johannesburg", "Etc/GMT-2"),
        ("+05:30", MatchKind.OFFSET, "Asia/Kolkata", "Asia/Colombo"),
    ],
)
def test_unclear_answers_are_offered_never_taken(
    typed: str, kind: MatchKind, first: str, also: str
) -> None:
    found = match_zone(typed, WINTER)
    assert found.kind is kind and not found.sure
    assert found.zones[0] == first and also in found.zones
    assert all(known_zone(zone) for zone in found.zones)


def test_india_is_not_indianapolis() -> None:
    assert match_zone("India", WINTER).zones == ("Asia/Kolkata",)


def test_an_offset_offers_only_places_on_it_now_and_the_fixed_zone_last() -> None:
    found = match_zone("UTC+1", SUMMER)  # Berlin is on UTC+2 in summer
    assert "Europe/Berlin" not in found.zones and found.zones[-1] == "Etc/GMT-1"
    assert "Europe/London" in found.zones
    assert match_zone("UTC+1", WINTER).offset_minutes == 60


@pytest.mark.parametrize("typed", ["Narnia", "", "x" * 200, "??"])
def test_nothing_fits(typed: str) -> None:
    assert match_zone(typed, WINTER).zones == ()
