"""The doctor report and CSV renderers over a real database: three busy months fit on two pages
with their chart, in English and German; the German text keeps its umlauts; the same adherence
figures come out of the PDF and the CSV; and the episodes replay the persistence rule."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot import charts, export_csv, i18n, report_pdf
from bot.chart_texts import chart_labels
from care.exports import ExportFormat, ExportPeriod, ReportData, offer_minute, report_data
from storage.db import Store
from tests.history_seeding import seed_history
from titration.episodes import Episode, episodes
from titration.side_effects import Effect, Report, Severity

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "ldn.db")
    yield opened
    opened.close()


def busy(store: Store, period: ExportPeriod, days: int) -> ReportData:
    start = NOW.date() - timedelta(days=days)
    store.run_sync(seed_history, 5, zone="Europe/Berlin", first_day=start, days=days)
    found = store.run_sync(report_data, 5, ExportFormat.PDF, period, offer_minute(NOW), NOW)
    assert isinstance(found, ReportData)
    return found


@pytest.mark.parametrize("language", ["en", "de"])
def test_three_busy_months_fit_on_two_pages(store: Store, language: str) -> None:
    data = busy(store, ExportPeriod.RECENT, 91)  # titrating: a new step every 14 days
    assert len(data.record.nights) >= 90 and len(data.record.checkins) >= 90
    i18n.use(language)
    try:
        chart = charts.render(data.record, chart_labels())
        pdf = PdfReader(io.BytesIO(report_pdf.render(data, chart)))
    finally:
        i18n.use("en")
    assert len(pdf.pages) <= 2
    assert [len(page.images) for page in pdf.pages][-1] == 1  # the chart, on the last page
    text = "".join(page.extract_text() for page in pdf.pages)
    figures = data.record.adherence
    if language == "de":
        assert "Erschöpfung" in text and "Ärztin" in text and "Einnahmetreue" in text
        assert re.search(rf"Genommen {figures.taken} \({figures.percent}\s%\)", text)  # "92 %"
    else:
        assert f"Scheduled nights {figures.scheduled}" in text
        assert f"Taken {figures.taken} ({figures.percent}%)" in text
        assert f"reminder) {figures.on_time}" in text and f"after it) {figures.late}" in text


def test_csv_doses_give_the_records_adherence(store: Store) -> None:
    data = busy(store, ExportPeriod.ALL, 120)
    rows = list(csv.DictReader(io.StringIO(export_csv.doses(data).decode(), newline="")))
    figures = data.record.adherence
    assert len(rows) == figures.scheduled + figures.open
    assert sum(r["status"] in ("taken", "late") for r in rows) == figures.taken
    assert sum(r["on_time"] == "yes" for r in rows) == figures.on_time
    notes = list(csv.DictReader(io.StringIO(export_csv.checkins(data).decode(), newline="")))
    assert {n["note"] for n in notes if n["effect"] == "other"} == {
        'tingling, "pins and needles"\nin my feet'
    }


def report(day: int, **effects: Severity) -> Report:
    return Report(date(2026, 11, day), {Effect(k): v for k, v in effects.items()})


M, S = Severity.MODERATE, Severity.SEVERE


def test_episodes_open_on_the_persistent_checkin_and_close_after_three_without() -> None:
    history = [
        report(1, dreams=M),
        report(2, dreams=M),
        report(3, dreams=M, headache=S),  # moderate three in a row: opens
        report(4),
        report(5),
        report(6),  # three without: the episode ended on the 3rd
        report(7, headache=M),
    ]
    assert episodes(history) == [Episode(Effect.DREAMS, date(2026, 11, 3), date(2026, 11, 3))]


def test_an_episode_still_open_at_the_end_has_no_end() -> None:
    history = [report(d, insomnia=Severity.MILD) for d in range(1, 6)]  # 5 of the last 7
    assert episodes(history) == [Episode(Effect.INSOMNIA, date(2026, 11, 5), None)]
