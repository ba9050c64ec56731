"""What the patient brings to the prescriber: /export's offer, and the record behind the PDF
report, the CSV tables and the FHIR Bundle (the complete JSON copy is ``care.privacy``).

A confirmation button carries the minute it was offered; a press more than ``OFFER_MINUTES``
later (or from the future: forged) is refused as stale. The file always goes to the presser's own
chat. Each intention is one transaction: the record comes from one snapshot, and the export is
audited (the format only, never health data).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlite_utils import Database

from care.people import Refusal, enrolled, presser
from care.privacy import Export, export_data
from care.reminders import audit_own
from storage import record, rules
from storage.db import write_transaction
from titration.benefits import Change, changes, week_of
from titration.episodes import Episode, episodes
from titration.record import BenefitRating, PatientRecord
from titration.side_effects import Report

OFFER_MINUTES = 15  # a confirmation button is good for this long
RECENT_DAYS = 91  # "the last 3 months": 13 weeks up to today


class ExportFormat(StrEnum):
    PDF = "pdf"  # the doctor report
    CSV = "csv"  # doses, check-ins and ratings as tables
    FHIR = "fhir"  # an R4 Bundle for a clinic system
    JSON = "json"  # everything stored (care.privacy)


class ExportPeriod(StrEnum):
    RECENT = "3m"
    ALL = "all"


def offer_minute(now: datetime) -> int:
    """``now`` as whole minutes since 1970 (what a confirmation button carries)."""
    return int(now.timestamp()) // 60


def fresh(issued_minute: int, now: datetime) -> bool:
    """True when a button offered at ``issued_minute`` may still be pressed at ``now``."""
    return 0 <= offer_minute(now) - issued_minute <= OFFER_MINUTES


@dataclass(frozen=True)
class Offer:
    """What /export can offer: a report needs a plan that has started."""

    reports: bool


def offer(db: Database, telegram_id: int, now: datetime) -> Offer | Refusal:
    """/export, and each step of its questions: what the presser may export."""
    with write_transaction(db):
        patient = presser(db, telegram_id)
        if patient is None:
            return Refusal.NEED_START
        return Offer(reports=enrolled(patient))


@dataclass(frozen=True)
class Benefits:
    """The benefit ratings as a report shows them: the week on LDN of the latest rating and the
    change from the baseline (None before week 8, or with nothing to compare)."""

    baseline: BenefitRating | None
    latest: BenefitRating | None
    week: int | None
    changes: tuple[Change, ...] | None


@dataclass(frozen=True)
class ReportData:
    """The presser's record over the chosen period, for a report or a table export."""

    chat_id: int
    made_at: datetime
    period: ExportPeriod
    record: PatientRecord
    episodes: tuple[Episode, ...]  # side-effect persistence episodes within the period
    benefits: Benefits
    morning: bool = False  # the dose is taken in the morning now (else at bedtime)


def report_data(
    db: Database,
    telegram_id: int,
    fmt: ExportFormat,
    period: ExportPeriod,
    issued_minute: int,
    now: datetime,
) -> ReportData | Refusal:
    """[Send] under a report's confirmation: the record of ``period`` up to today."""
    with write_transaction(db):
        if not fresh(issued_minute, now) or fmt is ExportFormat.JSON:
            return Refusal.STALE
        patient = presser(db, telegram_id)
        if patient is None:
            return Refusal.NO_RECORD
        if not enrolled(patient):
            return Refusal.NOT_ACTIVE
        today = now.astimezone(patient.zone).date()
        began = _first_dose_day(db, patient.id, today)
        first = began if period is ExportPeriod.ALL else max(began, today - _recent())
        loaded = record.load(db, patient.id, patient.zone, first, today)
        reports = [Report(c.day, c.effects) for c in loaded.checkins]
        found = episodes(reports, rules.thresholds(db))
        audit_own(db, patient, "data.exported", now, detail=fmt.value)
    return ReportData(
        patient.chat_id,
        now,
        period,
        loaded,
        tuple(found),
        _benefits(loaded, began),
        morning=patient.morning_time is not None,
    )


def full_export(
    db: Database, telegram_id: int, issued_minute: int, now: datetime
) -> Export | Refusal:
    """[Send] under the complete copy's confirmation: everything stored (``care.privacy``)."""
    with write_transaction(db):
        if not fresh(issued_minute, now):
            return Refusal.STALE
        return export_data(db, telegram_id, now)


def _recent() -> timedelta:
    return timedelta(days=RECENT_DAYS - 1)


def _first_dose_day(db: Database, patient_id: int, today: date) -> date:
    row = db.execute(
        "SELECT MIN(effective_day) FROM dose_changes WHERE patient_id = ?", [patient_id]
    ).fetchone()
    return date.fromisoformat(row[0]) if row and row[0] else today


def _benefits(loaded: PatientRecord, began: date) -> Benefits:
    baseline = loaded.baseline
    latest = next((r for r in reversed(loaded.ratings) if r.kind != "baseline"), None)
    if latest is None:
        return Benefits(baseline, None, None, None)
    week = week_of(began, latest.day)
    compared = changes(baseline.scores, latest.scores, week) if baseline is not None else None
    return Benefits(baseline, latest, week, tuple(compared) if compared is not None else None)
