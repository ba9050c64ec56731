"""Reads one patient's record over a period into the domain's ``PatientRecord`` (see
``titration.record``): the nights, dose steps, check-ins, ratings and suggestions."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from storage import patients
from storage.rows import from_epoch, placeholders, select
from titration.benefits import Measure
from titration.record import (
    BenefitRating,
    DoseStep,
    EffectReport,
    Night,
    NightStatus,
    PatientRecord,
    Suggestion,
)
from titration.side_effects import Effect, Severity


def _instant(text: str | None) -> datetime | None:
    if text is None:
        return None
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _night(row: dict[str, Any]) -> Night:
    return Night(
        day=date.fromisoformat(row["dose_day"]),
        scheduled_at=from_epoch(row["scheduled_at"]),
        dose_mg=Decimal(row["dose_mg"]),
        status=NightStatus(row["status"]),
        answered_at=_instant(row["answered_at"]),
        missed_reason=row["missed_reason"],
        corrected_from=NightStatus(row["corrected_from"]) if row.get("corrected_from") else None,
    )


def nights_of(db: Database, spans: Mapping[int, tuple[date, date]]) -> dict[int, tuple[Night, ...]]:
    """The nights of several patients at once, each over its own span (``first``, ``last``), in
    one query: the same ``Night``s ``load`` reads, for a page of the clinic's overview."""
    found: dict[int, list[Night]] = {patient_id: [] for patient_id in spans}
    if not spans:
        return {}
    first = min(span[0] for span in spans.values())
    last = max(span[1] for span in spans.values())
    rows = select(
        db,
        "dose_events",
        f"patient_id IN ({placeholders(len(spans))}) AND dose_day BETWEEN ? AND ?",
        [*spans, first.isoformat(), last.isoformat()],
        order_by="patient_id, dose_day",
    )
    for row in rows:
        night = _night(row)
        own_first, own_last = spans[row["patient_id"]]
        if own_first <= night.day <= own_last:
            found[row["patient_id"]].append(night)
    return {patient_id: tuple(nights) for patient_id, nights in found.items()}


def load(db: Database, patient_id: int, zone: ZoneInfo, first: date, last: date) -> PatientRecord:
    """The record of dose days ``first`` … ``last`` (inclusive, the patient's local dates).

    Call it inside the caller's transaction, so every part comes from one snapshot.
    """
    span = [patient_id, first.isoformat(), last.isoformat()]
    nights = tuple(
        _night(row)
        for row in select(
            db,
            "dose_events",
            "patient_id = ? AND dose_day BETWEEN ? AND ?",
            span,
            order_by="dose_day",
        )
    )
    checkins = tuple(
        EffectReport(
            day=date.fromisoformat(row["day"]),
            dose_mg=Decimal(row["dose_mg"]),
            effects={Effect(k): Severity(v) for k, v in json.loads(row["effects"]).items()},
            note=row["other_text"],
        )
        for row in select(
            db,
            "checkins",
            "patient_id = ? AND status = 'answered' AND day BETWEEN ? AND ?",
            span,
            order_by="day",
        )
    )
    ratings = [
        BenefitRating(
            day=date.fromisoformat(row["day"]),
            kind=row["kind"],
            scores={m: row[m.value] for m in Measure},
        )
        for row in select(
            db, "benefit_ratings", "patient_id = ?", [patient_id], order_by="day, kind"
        )
        if all(row[m.value] is not None for m in Measure)
    ]
    baseline = next((r for r in ratings if r.kind == "baseline"), None)
    start = datetime.combine(first, time.min, zone)
    end = datetime.combine(last + timedelta(days=1), time.min, zone)
    suggestions = tuple(
        Suggestion(
            effect=Effect(row["effect"]),
            kind=row["kind"],
            episode_start=date.fromisoformat(row["episode_start"]),
            sent_at=sent_at,
        )
        for row in select(db, "suggestions", "patient_id = ?", [patient_id], order_by="sent_at")
        if (sent_at := _instant(row["sent_at"])) is not None and start <= sent_at < end
    )
    return PatientRecord(
        zone=zone,
        first=first,
        last=last,
        plan=patients.plan_of(db, patient_id),
        steps=tuple(DoseStep(d, day, why) for d, day, why in patients.dose_changes(db, patient_id)),
        nights=nights,
        checkins=checkins,
        ratings=tuple(r for r in ratings if first <= r.day <= last),
        suggestions=suggestions,
        baseline=baseline,
    )
