"""Times as people type them (``titration.timing.read_time``): clear ones are read, a bare hour
asks which half of the day, nonsense is refused."""

from __future__ import annotations

from datetime import time

import pytest

from titration.errors import InputError, Problem
from titration.timing import TimeReading, read_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("22:30", time(22, 30), id="colon"),
        pytest.param("10.30", time(10, 30), id="dot_is_24_hour"),
        pytest.param("22h30", time(22, 30), id="h_separator"),
        pytest.param("10:30pm", time(22, 30), id="pm_no_space"),
        pytest.param("10:30 pm", time(22, 30), id="pm"),
        pytest.param("10 p.m.", time(22, 0), id="p_dot_m"),
        pytest.param("at 10 pm", time(22, 0), id="at_pm"),
        pytest.param("10pm ish", time(22, 0), id="ish"),
        pytest.param("22", time(22, 0), id="24_hour_bare"),
        pytest.param("0", time(0, 0), id="zero"),
        pytest.param("noon", time(12, 0), id="noon"),
        pytest.param("Midday", time(12, 0), id="midday"),
        pytest.param("midnight", time(0, 0), id="midnight"),
        pytest.param("10 at night", time(22, 0), id="at_night"),
        pytest.param("11 tonight", time(23, 0), id="tonight"),
        pytest.param("2 at night", time(2, 0), id="small_hours"),
        pytest.param("5 in the evening", time(17, 0), id="in_the_evening"),
        pytest.param("7 in the morning", time(7, 0), id="in_the_morning"),
        pytest.param("9 am", time(9, 0), id="am"),
        pytest.param("12 am", time(0, 0), id="twelve_am"),
        # German
        pytest.param("22 Uhr", time(22, 0), id="de_uhr"),
        pytest.param("um 22 Uhr", time(22, 0), id="de_um_uhr"),
        pytest.param("22:30 Uhr", time(22, 30), id="de_colon_uhr"),
        pytest.param("22 Uhr 30", time(22, 30), id="de_uhr_minutes"),
        pytest.param("10 Uhr abends", time(22, 0), id="de_abends"),
        pytest.param("10 Uhr am Abend", time(22, 0), id="de_am_abend"),
        pytest.param("halb elf abends", time(22, 30), id="de_halb_abends"),
        pytest.param("1 Uhr nachts", time(1, 0), id="de_nachts_small_hours"),
        pytest.param("11 Uhr nachts", time(23, 0), id="de_nachts"),
        pytest.param("7 Uhr morgens", time(7, 0), id="de_morgens"),
        pytest.param("7 am Morgen", time(7, 0), id="de_am_morgen"),
        pytest.param("Mitternacht", time(0, 0), id="de_mitternacht"),
        pytest.param("Mittag", time(12, 0), id="de_mittag"),
    ],
)
def test_clear_times(text: str, expected: time) -> None:
    assert read_time(text) == TimeReading(at=expected)


@pytest.mark.parametrize(
    ("text", "evening", "morning"),
    [
        pytest.param("10", time(22, 0), time(10, 0), id="bare_10"),
        pytest.param("3", time(15, 0), time(3, 0), id="bare_3"),
        pytest.param("around 11", time(23, 0), time(11, 0), id="around"),
        pytest.param("10 o'clock", time(22, 0), time(10, 0), id="oclock"),
        pytest.param("ten", time(22, 0), time(10, 0), id="word"),
        pytest.param("half past ten", time(22, 30), time(10, 30), id="half_past"),
        pytest.param("quarter past ten", time(22, 15), time(10, 15), id="quarter_past"),
        pytest.param("quarter to eleven", time(22, 45), time(10, 45), id="quarter_to"),
        pytest.param("ten thirty", time(22, 30), time(10, 30), id="ten_thirty"),
        pytest.param("halb elf", time(22, 30), time(10, 30), id="de_halb_elf_is_10_30"),
        pytest.param("halb 11", time(22, 30), time(10, 30), id="de_halb_digits"),
        pytest.param("viertel nach zehn", time(22, 15), time(10, 15), id="de_viertel_nach"),
        pytest.param("viertel vor elf", time(22, 45), time(10, 45), id="de_viertel_vor"),
        pytest.param("dreiviertel elf", time(22, 45), time(10, 45), id="de_dreiviertel"),
        pytest.param("zehn Uhr", time(22, 0), time(10, 0), id="de_zehn_uhr"),
        pytest.param("10 Uhr", time(22, 0), time(10, 0), id="de_10_uhr"),
        pytest.param("12", time(0, 0), time(12, 0), id="twelve_midnight_first"),
    ],
)
def test_a_bare_hour_asks_which_half_of_the_day(text: str, evening: time, morning: time) -> None:
    assert read_time(text) == TimeReading(choices=(evening, morning))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "bedtime",
        "25",
        "24:30",
        "22:60",
        "22 Uhr morgens",
        "10 am pm",
        "halb",
        "x" * 100,
        "half past thirteen",
    ],
)
def test_nonsense_is_refused(text: str) -> None:
    with pytest.raises(InputError) as caught:
        read_time(text)
    assert caught.value.problem is Problem.BAD_TIME
