"""What the chart shows, as plain numbers (``bot.charts`` draws them): a colour index per night,
a severity per effect and day, the dose as a step line, and the dates and words of the axes in
the reader's language (Babel). No matplotlib here: these are quick to test on their own."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

from titration.record import Night, NightStatus, PatientRecord
from titration.side_effects import Effect

_NIGHT_CODE = {NightStatus.SKIPPED: 2, NightStatus.MISSED: 3, NightStatus.PENDING: 4}


def night_code(night: Night) -> int:
    """The colour index of a night: 0 taken on time, 1 late, 2 skipped, 3 missed, 4 open."""
    if night.taken:
        return 0 if night.on_time else 1
    return _NIGHT_CODE[night.status]


def days_of(record: PatientRecord) -> int:
    """How many days the record covers (at least one)."""
    return max((record.last - record.first).days + 1, 1)


def night_row(record: PatientRecord) -> list[float]:
    """One value per day of the period: the night's colour index, NaN without a night."""
    row = [math.nan] * days_of(record)
    for night in record.nights:
        index = (night.day - record.first).days
        if 0 <= index < len(row):
            row[index] = night_code(night)
    return row


def reported_effects(record: PatientRecord) -> list[Effect]:
    """The effects reported in the period, in the check-in's order."""
    seen = {effect for report in record.checkins for effect in report.effects}
    return [effect for effect in Effect if effect in seen]


def effect_rows(record: PatientRecord, effects: Sequence[Effect]) -> list[list[float]]:
    """Per effect, one value a day: severity 1–3, 0 answered without it, NaN no check-in."""
    rows = [[math.nan] * days_of(record) for _ in effects]
    for report in record.checkins:
        index = (report.day - record.first).days
        if 0 <= index < days_of(record):
            for row, effect in zip(rows, effects, strict=True):
                row[index] = float(report.effects.get(effect, 0))
    return rows


def dose_steps(record: PatientRecord) -> tuple[list[float], list[float]]:
    """x (days since ``first``) and y (mg) of the dose as a post-step line over the period."""
    xs: list[float] = []
    ys: list[float] = []
    start = record.dose_on(record.first)
    if start is not None:
        xs, ys = [0.0], [float(start)]
    for step in record.steps:
        offset = (step.start - record.first).days
        if 0 < offset < days_of(record):
            xs.append(float(offset))
            ys.append(float(step.dose_mg))
    if ys:
        xs.append(float(days_of(record)))
        ys.append(ys[-1])
    return xs, ys


def date_ticks(first: date, last: date) -> list[date]:
    """Tick days: weekly (or fortnightly) up to ten weeks, at most four month starts beyond."""
    days = (last - first).days + 1
    if days <= 70:
        every = 7 if days <= 42 else 14
        return [first + timedelta(days=d) for d in range(0, days, every)]
    months = []
    month = date(first.year, first.month, 1)
    while month <= last:
        if month >= first:
            months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    stride = max(1, math.ceil(len(months) / 4))  # "Sept. 2026" is wide: four fit
    return months[::stride]


def tick_label(day: date, first: date, last: date, language: str) -> str:
    from babel.dates import format_date

    if (last - first).days + 1 <= 70:
        return format_date(day, "d MMM" if language == "en" else "d. MMM", locale=language)
    return format_date(day, "MMM yyyy", locale=language)


def period_title(first: date, last: date, language: str) -> str:
    from babel.dates import format_date

    pattern = "d MMM yyyy" if language == "en" else "d. MMM yyyy"
    return f"{format_date(first, pattern, locale=language)} – " + format_date(
        last, pattern, locale=language
    )


def dose_text(mg: float, language: str) -> str:
    from babel.numbers import format_decimal

    return f"{format_decimal(mg, format='#,##0.0##', locale=language)} mg"
