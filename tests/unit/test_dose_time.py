"""Morning or bedtime: which times are a morning, and how far back the switch day reaches."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from titration.dose_time import is_morning, reminder_time, switch_catch_up
from titration.timing import next_reminder

BERLIN = ZoneInfo("Europe/Berlin")
LATE = timedelta(hours=2)


@pytest.mark.parametrize(
    ("at", "morning"),
    [
        pytest.param(time(4, 0), True, id="earliest"),
        pytest.param(time(8, 0), True, id="eight"),
        pytest.param(time(12, 0), True, id="noon"),
        pytest.param(time(3, 59), False, id="small_hours"),
        pytest.param(time(12, 1), False, id="afternoon"),
        pytest.param(time(22, 0), False, id="bedtime"),
    ],
)
def test_morning_times(at: time, morning: bool) -> None:
    assert is_morning(at) is morning


def test_the_morning_time_wins_over_bedtime() -> None:
    assert reminder_time(time(22), time(8)) == time(8)
    assert reminder_time(time(22), None) == time(22)


def test_the_catch_up_reaches_back_to_local_midnight() -> None:
    noon = datetime(2026, 11, 29, 11, 0, tzinfo=UTC)  # 12:00 in Berlin
    assert switch_catch_up(noon, BERLIN, LATE) == timedelta(hours=12)
    early = datetime(2026, 11, 29, 0, 30, tzinfo=UTC)  # 01:30 in Berlin
    assert switch_catch_up(early, BERLIN, LATE) == LATE


@pytest.mark.parametrize(
    ("local_now", "after_day", "new_time", "expected"),
    [
        # Bedtime → morning, before the morning: the switch day's dose is the morning one.
        pytest.param(
            "07:00",
            date(2026, 11, 28),
            time(8),
            (date(2026, 11, 29), "08:00"),
            id="to_morning_before_it",
        ),
        # Bedtime → morning at noon, today not reminded: now, not dropped.
        pytest.param(
            "12:00",
            date(2026, 11, 28),
            time(8),
            (date(2026, 11, 29), "12:00"),
            id="to_morning_after_it",
        ),
        # Bedtime → morning after tonight's reminder: tomorrow morning, not doubled.
        pytest.param(
            "23:00",
            date(2026, 11, 29),
            time(8),
            (date(2026, 11, 30), "08:00"),
            id="to_morning_after_bedtime",
        ),
        # Morning → bedtime after this morning's dose: tomorrow night, not doubled.
        pytest.param(
            "12:00",
            date(2026, 11, 29),
            time(22),
            (date(2026, 11, 30), "22:00"),
            id="to_bedtime_after_morning",
        ),
        # Morning → bedtime before this morning's dose: tonight.
        pytest.param(
            "07:00",
            date(2026, 11, 28),
            time(22),
            (date(2026, 11, 29), "22:00"),
            id="to_bedtime_before_morning",
        ),
    ],
)
def test_the_switch_day_keeps_one_dose(
    local_now: str, after_day: date, new_time: time, expected: tuple[date, str]
) -> None:
    hour, minute = (int(part) for part in local_now.split(":"))
    now = datetime(2026, 11, 29, hour, minute, tzinfo=BERLIN).astimezone(UTC)
    catch_up = switch_catch_up(now, BERLIN, LATE)
    day, due = next_reminder(BERLIN, new_time, now, after_day=after_day, catch_up=catch_up)
    assert (day, due.astimezone(BERLIN).strftime("%H:%M")) == expected
