"""Exactly one bedtime reminder per local dose day in every IANA zone, 1970–2037 (F22).

Quick: Hypothesis draws any zone (``st.timezones()``), a bedtime and a stretch of nights, most of
the time across one of that zone's clock changes, and the dates the clocks skipped whole (Apia and
Fakaofo 2011, Kwajalein 1993). Slow: every zone, at eight bedtimes around the usual change hours,
every night from three before to three after each of its offset changes in the 68 years (between
changes a zone's offset is constant, so every such night is alike), restarting the bot at three
moments before each night; a zone that never changes, for a fortnight.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.faults.dst import (
    BEDTIMES,
    FIRST_DAY,
    LAST_DAY,
    all_zones,
    change_days,
    change_windows,
    check_chain,
    offset_changes,
)

pytestmark = pytest.mark.faults
NIGHTS = 14


@st.composite
def stretches(draw: st.DrawFn) -> tuple[str, time, date]:
    """(zone, bedtime, first night): usually a few nights before one of the zone's changes."""
    zone: ZoneInfo = draw(st.timezones())
    bedtime = draw(st.sampled_from(BEDTIMES) | st.times())
    changes = change_days(zone.key)
    near_a_change = draw(st.integers(0, 3)) > 0  # three times in four
    if changes and near_a_change:
        change: date = draw(st.sampled_from(list(changes)))
        first = change - timedelta(days=draw(st.integers(1, NIGHTS - 2)))
    else:
        first = draw(st.dates(FIRST_DAY, LAST_DAY - timedelta(days=NIGHTS + 1)))
    return zone.key, bedtime, max(first, FIRST_DAY)


@settings(max_examples=120, deadline=None)
@given(stretches())
@example(("America/Santiago", time(0, 0), FIRST_DAY.replace(month=9, day=1)))
@example(("Pacific/Easter", time(22, 0), FIRST_DAY.replace(month=9, day=1)))
@example(("America/Nuuk", time(23, 30), FIRST_DAY.replace(month=3, day=25)))
@example(("Antarctica/Troll", time(2, 0), FIRST_DAY.replace(month=3, day=25)))
@example(("Australia/Lord_Howe", time(2, 0), FIRST_DAY.replace(month=10, day=1)))
@example(("America/Havana", time(0, 30), FIRST_DAY.replace(month=3, day=5)))
@example(("Asia/Beirut", time(0, 0), FIRST_DAY.replace(month=3, day=25)))
@example(("Africa/Cairo", time(0, 0), FIRST_DAY.replace(month=4, day=20)))
@example(("Pacific/Apia", time(22, 0), date(2011, 12, 25)))
@example(("Pacific/Apia", time(0, 0), date(2011, 12, 28)))
@example(("Pacific/Fakaofo", time(23, 30), date(2011, 12, 27)))
@example(("Pacific/Kwajalein", time(22, 0), date(1993, 8, 18)))
def test_one_reminder_per_dose_day_in_any_zone(case: tuple[str, time, date]) -> None:
    name, bedtime, first = case
    assert check_chain(name, bedtime, first, NIGHTS) == NIGHTS


def test_the_zone_list_is_the_whole_database() -> None:
    zones = all_zones()
    assert len(zones) > 500 and "America/Santiago" in zones
    assert sum(map(offset_changes, zones)) > 300  # plenty of them change clocks in the span
    assert date(2011, 12, 30) in change_days("Pacific/Apia")  # 10:00 UTC: 29 Dec → 31 Dec


@pytest.mark.slow
@pytest.mark.parametrize("bedtime", BEDTIMES, ids=[b.isoformat("minutes") for b in BEDTIMES])
def test_every_zone_around_every_change_1970_to_2037(bedtime: time) -> None:
    checked = 0
    for name in all_zones():
        windows = change_windows(name) or [(FIRST_DAY, NIGHTS)]
        for first, nights in windows:
            checked += check_chain(name, bedtime, first, nights)
    assert checked > 100_000
