"""A shared location → its IANA zone (``bot.geo.zone_at``), offline."""

from __future__ import annotations

import math
from zoneinfo import ZoneInfo

import pytest
import tzfpy

from bot import geo


@pytest.mark.parametrize(
    ("latitude", "longitude", "zone"),
    [
        (52.5200, 13.4050, "Europe/Berlin"),
        (40.7128, -74.0060, "America/New_York"),
        (35.6895, 139.6917, "Asia/Tokyo"),  # the point the e2e onboarding test shares
        (-33.8688, 151.2093, "Australia/Sydney"),
    ],
)
def test_cities(latitude: float, longitude: float, zone: str) -> None:
    assert geo.zone_at(latitude, longitude) == zone


@pytest.mark.parametrize(
    ("latitude", "longitude", "zone"),
    [
        (30.0, -40.0, "Etc/GMT+3"),  # mid-Atlantic: UTC−3 (Etc/ signs are inverted)
        (-30.0, 80.0, "Etc/GMT-5"),  # Indian Ocean: UTC+5
        (90.0, 0.0, "Etc/GMT"),  # the North Pole, and the edge of the valid range
    ],
)
def test_at_sea_a_nautical_zone(latitude: float, longitude: float, zone: str) -> None:
    """The library answers at sea with the nautical Etc/GMT±N zone, not None; it loads."""
    found = geo.zone_at(latitude, longitude)
    assert found == zone
    ZoneInfo(found)


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        (91.0, 0.0),
        (-90.5, 0.0),
        (0.0, 180.5),
        (0.0, -181.0),
        (math.nan, 0.0),
        (0.0, math.nan),
        (math.inf, 0.0),
        (0.0, -math.inf),
    ],
)
def test_out_of_range_is_none(latitude: float, longitude: float) -> None:
    assert geo.zone_at(latitude, longitude) is None


def test_no_zone_found_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tzfpy, "get_tz", lambda longitude, latitude: "")
    assert geo.zone_at(52.52, 13.405) is None


def test_zone_unknown_to_zoneinfo_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    """Boundary data newer than tzdata could name a zone ``ZoneInfo`` cannot load."""
    monkeypatch.setattr(tzfpy, "get_tz", lambda longitude, latitude: "Mars/Olympus_Mons")
    assert geo.zone_at(52.52, 13.405) is None


def test_longitude_comes_second() -> None:
    """tzfpy takes (longitude, latitude); Berlin's numbers swapped are at sea off Socotra."""
    assert geo.zone_at(13.405, 52.52) == "Etc/GMT-4"
