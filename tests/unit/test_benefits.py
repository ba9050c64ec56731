"""Benefit summaries: nothing judged before week 8, then change from baseline."""

from datetime import date

from titration.benefits import Change, Measure, changes, week_of

BASE = {Measure.PAIN: 7, Measure.SLEEP: 3, Measure.MOOD: 5, Measure.FATIGUE: 8, Measure.FOG: 6}
NOW = {Measure.PAIN: 5, Measure.SLEEP: 6, Measure.MOOD: 4, Measure.FATIGUE: 8, Measure.FOG: 6}


def test_week_numbers() -> None:
    start = date(2026, 12, 1)
    assert week_of(start, date(2026, 12, 1)) == 1
    assert week_of(start, date(2026, 12, 8)) == 2
    assert week_of(start, date(2027, 1, 26)) == 9


def test_no_judgement_before_week_8() -> None:
    assert changes(BASE, NOW, week=7) is None


def test_change_from_baseline_from_week_8() -> None:
    result = changes(BASE, NOW, week=8)
    assert result is not None
    by = {c.measure: c for c in result}
    assert by[Measure.PAIN] == Change(Measure.PAIN, 7, 5) and by[Measure.PAIN].improved
    assert by[Measure.SLEEP].improved and by[Measure.SLEEP].delta == 3
    assert not by[Measure.MOOD].improved
    assert not by[Measure.FATIGUE].improved and by[Measure.FATIGUE].delta == 0
