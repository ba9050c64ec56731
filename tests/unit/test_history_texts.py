"""The two lines under /history's chart, in English and German: adherence from the record, the
current dose, the side effect noted most, and from week 8 the pain (or first measure) change."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from bot import i18n
from bot.history_texts import period_button, summary
from care.benefits import Summary
from care.views import HistoryChart, HistoryPeriod, HistoryView, MostNoted, most_noted
from tests.records import empty_record, sample_record
from titration.benefits import Change, Measure
from titration.side_effects import Effect

NO_DETAILS = HistoryView(28, (), None)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    i18n.use("en")
    yield
    i18n.use("en")


def chart(
    *,
    days: int = 30,
    period: HistoryPeriod = HistoryPeriod.MONTH,
    noted: MostNoted | None = None,
    checkins: int = 0,
    benefits: Summary | None = None,
    empty: bool = False,
) -> HistoryChart:
    record = empty_record(days=days) if empty else sample_record(days)
    return HistoryChart(1, period, record, Decimal("1.5"), noted, checkins, benefits, NO_DETAILS)


def test_adherence_line_comes_from_the_record() -> None:
    shown = chart()
    counted = shown.record.adherence
    first = summary(shown).splitlines()[0]
    assert first == (
        f"Last 30 days: <b>{counted.taken} of {counted.scheduled}</b> nights taken "
        f"({counted.percent}%), {counted.late} of them late. Now on <b>1.5 mg</b>."
    )


def test_nothing_to_count_yet() -> None:
    lines = summary(chart(empty=True, period=HistoryPeriod.ALL)).splitlines()
    assert lines == [
        "Since you started: no nights to count yet. Now on <b>1.5 mg</b>.",
        "No check-ins in this period.",
    ]


@pytest.mark.parametrize(
    ("noted", "checkins", "expected"),
    [
        (None, 1, "No side effects on the 1 check-in."),
        (None, 5, "No side effects on any of the 5 check-ins."),
        (MostNoted(Effect.DREAMS, 4), 9, "Most noted: vivid dreams, on 4 of 9 check-ins."),
        (MostNoted(Effect.HEADACHE, 1), 1, "Most noted: headache, on 1 of 1 check-in."),
    ],
    ids=["none_one", "none_many", "dreams", "singular"],
)
def test_side_effect_line(noted: MostNoted | None, checkins: int, expected: str) -> None:
    assert summary(chart(noted=noted, checkins=checkins)).splitlines()[1] == expected


def test_from_week_8_pain_is_compared_with_the_start() -> None:
    changes = (Change(Measure.SLEEP, 3, 6), Change(Measure.PAIN, 7, 4))
    second = summary(chart(checkins=2, benefits=Summary(9, changes))).splitlines()[1]
    assert (
        second == "No side effects on any of the 2 check-ins. Pain: 7 → 4 since the start (better)."
    )
    before_week_8 = summary(chart(checkins=2, benefits=Summary(5, None))).splitlines()[1]
    assert "since the start" not in before_week_8


def test_without_pain_the_first_measure_rated() -> None:
    changes = (Change(Measure.FOG, 4, 6),)
    second = summary(chart(benefits=Summary(9, changes))).splitlines()[1]
    assert second.endswith("Fibro fog: 4 → 6 since the start (worse).")


def test_in_german() -> None:
    i18n.use("de")
    changes = (Change(Measure.FOG, 4, 3),)
    lines = summary(
        chart(
            period=HistoryPeriod.QUARTER,
            days=90,
            noted=MostNoted(Effect.DREAMS, 4),
            checkins=9,
            benefits=Summary(9, changes),
        )
    ).splitlines()
    assert lines[0].startswith("Letzte 90 Tage: <b>") and "Nächten genommen" in lines[0]
    assert lines[0].endswith("Jetzt bei <b>1,5 mg</b>.")
    assert lines[1].startswith("Am häufigsten: ")
    assert lines[1].endswith("Fibro-Nebel: 4 → 3 seit dem Start (besser).")
    assert [period_button(p) for p in HistoryPeriod] == [
        "📈 30 Tage",
        "📈 90 Tage",
        "📈 Seit dem Start",
    ]


def test_most_noted_counts_check_ins_and_breaks_ties_in_the_check_in_order() -> None:
    record = sample_record(30)
    counts = {e: sum(e in c.effects for c in record.checkins) for e in Effect}
    top = most_noted(record)
    assert top is not None and top.mornings == max(counts.values())
    assert top.effect == next(e for e in Effect if counts[e] == top.mornings)
    assert most_noted(empty_record()) is None
