"""The chart renderer (``bot.charts``): valid PNGs of a phone-sized width, the empty and the
two-year record, "adherence only" without a trace of side effects or benefits, dates and words in
the reader's language, and the same bytes whatever thread or process renders them."""

from __future__ import annotations

import io
import math
import subprocess
import sys
import threading
from datetime import date, datetime, timedelta
from decimal import Decimal

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.text import Text
from PIL import Image

from bot import charts, i18n
from bot.chart_texts import chart_labels
from bot.charts import ChartJob, ChartLabels, render
from tests.records import BERLIN, empty_record, sample_record
from titration.benefits import Measure
from titration.record import Night, NightStatus
from titration.side_effects import Effect


@pytest.fixture
def english() -> ChartLabels:
    i18n.use("en")
    return chart_labels()


@pytest.fixture
def german() -> ChartLabels:
    i18n.use("de")
    try:
        return chart_labels()
    finally:
        i18n.use("en")


def decoded(png: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return np.asarray(image.convert("RGB"))


def has_colour(pixels: np.ndarray, colour: str) -> bool:
    rgb = np.array([round(255 * c) for c in to_rgb(colour)], dtype=np.uint8)
    return bool((pixels == rgb).all(axis=2).any())


def figure_texts(labels: ChartLabels, with_health: bool) -> list[str]:
    """Every piece of text on the figure this thread renders for ``labels``."""
    figure = charts._chart(labels, with_health).fig
    return [t.get_text() for t in figure.findobj(Text) if t.get_text()]


def test_a_month_is_a_valid_png_about_a_thousand_pixels_wide(english: ChartLabels) -> None:
    pixels = decoded(render(sample_record(30), english))
    assert pixels.shape == (charts.FULL_HEIGHT_PX, 1000, 3)
    assert has_colour(pixels, charts.TAKEN) and has_colour(pixels, charts.DOSE_COLOUR)


@pytest.mark.parametrize("days", [1, 30, 90, 365, 730])
def test_any_period_renders(english: ChartLabels, days: int) -> None:
    png = render(sample_record(days), english)
    assert decoded(png).shape[1] == 1000
    assert len(png) < 200_000  # small enough to upload in a moment


def test_an_empty_record_renders_and_says_so(english: ChartLabels) -> None:
    pixels = decoded(render(empty_record(), english))
    assert pixels.shape == (charts.FULL_HEIGHT_PX, 1000, 3)
    assert not has_colour(pixels, charts.DOSE_COLOUR)  # no dose line
    assert english.nothing_recorded in figure_texts(english, True)


def test_adherence_only_draws_no_side_effect_or_benefit(english: ChartLabels) -> None:
    record = sample_record(60)
    full = decoded(render(record, english))
    assert has_colour(full, charts.SEVERITY_COLOURS[0])  # the test could see them …
    assert has_colour(full, charts.MEASURE_COLOURS[Measure.SLEEP])
    adherence = decoded(render(record, english, with_health=False))
    assert adherence.shape == (charts.ADHERENCE_HEIGHT_PX, 1000, 3)
    for colour in (*charts.SEVERITY_COLOURS, *charts.MEASURE_COLOURS.values()):
        assert not has_colour(adherence, colour)  # … and there are none
    assert has_colour(adherence, charts.DOSE_COLOUR)
    words = " ".join(figure_texts(english, False))
    hidden = [english.side_effects, english.benefits, *english.severities]
    hidden += [name for _, name in english.effects + english.measures]
    assert [word for word in hidden if word in words] == []


def test_words_and_dates_in_german(german: ChartLabels) -> None:
    assert german.language == "de"
    render(sample_record(30), german)
    texts = figure_texts(german, True)
    assert "1. Nov. 2026 – 30. Nov. 2026" in texts
    assert "15. Nov." in texts
    assert "1,5 mg" in texts
    assert german.taken in texts and german.taken != "Taken"


def test_english_dates(english: ChartLabels) -> None:
    render(sample_record(30), english)
    texts = figure_texts(english, True)
    assert "1 Nov 2026 – 30 Nov 2026" in texts
    assert "15 Nov" in texts and "1.5 mg" in texts


def test_starting_the_bot_does_not_import_matplotlib() -> None:
    code = "import sys, bot.app, bot.charts; sys.exit('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_a_figure_reused_for_another_record_leaves_nothing_behind(english: ChartLabels) -> None:
    small, big = sample_record(30, seed=3), sample_record(400, seed=4)
    first = render(small, english)
    render(big, english)
    render(empty_record(), english)
    assert render(small, english) == first


def test_threads_render_the_same_bytes(english: ChartLabels) -> None:
    records = [sample_record(days, seed=days) for days in (20, 45, 120, 500)]
    expected = [render(r, english) for r in records]
    results: dict[int, list[bytes]] = {}

    def work(index: int) -> None:
        results[index] = [render(r, english) for r in records]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(results[i] == expected for i in range(3))


def test_worker_processes_render_the_same_bytes(english: ChartLabels) -> None:
    jobs = [
        ChartJob(sample_record(40), english),
        ChartJob(sample_record(90, seed=2), english, with_health=False),
    ]
    with charts.process_pool(1) as pool:
        rendered = charts.render_many(jobs, pool)
    assert rendered == [render(j.record, j.labels, with_health=j.with_health) for j in jobs]


# The data behind the picture -----------------------------------------------------------------

NIGHT = datetime(2026, 11, 1, 22, 0, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("status", "answered_after", "code"),
    [
        (NightStatus.TAKEN, timedelta(minutes=10), 0),
        (NightStatus.TAKEN, timedelta(minutes=45), 1),  # confirmed late: counted as late
        (NightStatus.LATE, timedelta(hours=2), 1),
        (NightStatus.SKIPPED, timedelta(0), 2),
        (NightStatus.MISSED, None, 3),
        (NightStatus.PENDING, None, 4),
    ],
    ids=["on_time", "taken_late", "late", "skipped", "missed", "open"],
)
def test_night_colour_follows_the_adherence_definitions(
    status: NightStatus, answered_after: timedelta | None, code: int
) -> None:
    answered = NIGHT + answered_after if answered_after is not None else None
    night = Night(NIGHT.date(), NIGHT, Decimal("1"), status, answered)
    assert charts.night_code(night) == code


def test_rows_put_each_day_in_its_place() -> None:
    record = sample_record(10)
    row = charts.night_row(record)
    assert len(row) == 10 and not any(math.isnan(v) for v in row)
    empty = charts.night_row(empty_record(days=10))
    assert len(empty) == 10 and all(math.isnan(v) for v in empty)
    effects = charts.reported_effects(record)
    assert effects == [e for e in Effect if e in effects]  # the check-in's order
    rows = charts.effect_rows(record, effects)
    answered = {(c.day - record.first).days for c in record.checkins}
    for index in range(10):
        assert all(math.isnan(r[index]) for r in rows) is (index not in answered)


def test_dose_steps_start_with_the_dose_in_effect() -> None:
    record = sample_record(30, last=date(2026, 11, 30))  # steps on 1 Nov and 15 and 29 Nov
    assert charts.dose_steps(record) == ([0.0, 14.0, 28.0, 30.0], [0.5, 1.0, 1.5, 1.5])
    assert charts.dose_steps(empty_record()) == ([], [])


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (date(2026, 11, 1), date(2026, 11, 30), [1, 8, 15, 22, 29]),
        (date(2026, 9, 2), date(2026, 11, 30), [date(2026, 10, 1), date(2026, 11, 1)]),
    ],
    ids=["month_weekly", "quarter_monthly"],
)
def test_date_ticks(first: date, last: date, expected: list[int | date]) -> None:
    ticks = charts.date_ticks(first, last)
    assert [t.day if isinstance(expected[0], int) else t for t in ticks] == expected


def test_two_years_get_at_most_six_ticks() -> None:
    ticks = charts.date_ticks(date(2024, 12, 1), date(2026, 11, 30))
    assert 3 <= len(ticks) <= 6 and all(t.day == 1 for t in ticks)
