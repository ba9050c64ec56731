"""The record as three CSV tables (RFC 4180, Python's ``csv`` module): doses, check-ins and
benefit ratings, each its own document.

Three documents rather than one zip: a phone opens a .csv straight in its viewer or spreadsheet
app, while a zip needs unpacking first; and a clinic system imports one table at a time anyway.
Column names and values are stable codes (``taken``, ``moderate``, ``0.5``), the same in every
language, so a file reads back the same wherever it is imported; instants are local ISO 8601
with the difference from UTC. The patient's own note is in the check-ins table (this is their
own export).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime

from care.exports import ReportData
from titration.benefits import Measure
from titration.side_effects import Effect, Severity

DOSE_COLUMNS = (
    "dose_day",
    "scheduled_local_time",
    "time_zone",
    "dose_mg",
    "status",
    "answered_local_time",
    "on_time",
)
CHECKIN_COLUMNS = ("day", "dose_mg", "effect", "severity", "note")
RATING_COLUMNS = ("day", "kind", "dose_mg", *(m.value for m in Measure))
SEVERITY_CODES = {Severity.MILD: "mild", Severity.MODERATE: "moderate", Severity.SEVERE: "severe"}


def _table(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180: CRLF, quotes where needed
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _local(instant: datetime | None, data: ReportData) -> str:
    return instant.astimezone(data.record.zone).isoformat() if instant is not None else ""


def doses(data: ReportData) -> bytes:
    """One row per scheduled night of the period (open nights too, status ``pending``)."""
    zone = data.record.zone.key
    return _table(
        DOSE_COLUMNS,
        (
            (
                night.day.isoformat(),
                _local(night.scheduled_at, data),
                zone,
                str(night.dose_mg),
                night.status.value,
                _local(night.answered_at, data),
                ("yes" if night.on_time else "no") if night.taken else "",
            )
            for night in data.record.nights
        ),
    )


def checkins(data: ReportData) -> bytes:
    """One row per effect reported on a morning check-in; ``none`` when nothing was."""
    rows: list[tuple[object, ...]] = []
    for report in data.record.checkins:
        base = (report.day.isoformat(), str(report.dose_mg))
        if not report.effects:
            rows.append((*base, "none", "", ""))
        for effect in Effect:
            if effect in report.effects:
                note = (report.note or "") if effect is Effect.OTHER else ""
                rows.append((*base, effect.value, SEVERITY_CODES[report.effects[effect]], note))
    return _table(CHECKIN_COLUMNS, rows)


def ratings(data: ReportData) -> bytes:
    """Each complete rating of the period (0–10 per measure), with the dose of that day."""
    rec = data.record
    return _table(
        RATING_COLUMNS,
        (
            (
                rating.day.isoformat(),
                rating.kind,
                str(dose) if (dose := rec.dose_on(rating.day)) is not None else "",
                *(rating.scores[m] for m in Measure),
            )
            for rating in rec.ratings
        ),
    )


def tables(data: ReportData) -> list[tuple[str, bytes]]:
    """(name part, CSV bytes) of each table, in the order they are sent."""
    return [("doses", doses(data)), ("checkins", checkins(data)), ("ratings", ratings(data))]
