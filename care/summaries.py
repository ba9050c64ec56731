"""A caregiver's /summary on demand: which patient (buttons when several), then the summary.

The caregiver may see a patient only through an active link of theirs (``care.caregiving.
viewable_link``, the boundary every caregiver view passes), and only what its scope shares
(``scheduler.caregiving.summary_of`` leaves the rest out). Every view is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum, StrEnum
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from care.caregiving import ROLE, audit_view, viewable_link
from care.people import Refusal
from scheduler.caregiving import arm_summary, summary_of, zone_of
from storage import audit, care_tasks, caregivers
from storage.db import write_transaction
from titration.care_summary import Summary
from titration.caregiving import SummaryCadence
from titration.record import PatientRecord


class Unchanged(Enum):
    """A keyword left as it is (``None`` means "off" for the missed-dose alert)."""

    UNCHANGED = "unchanged"


UNCHANGED = Unchanged.UNCHANGED


class SummaryOutcome(StrEnum):
    SHOWN = "shown"
    CHOOSE = "choose"  # several patients: pick one
    NOBODY = "nobody"  # a caregiver with no active link (or nobody's caregiver)


@dataclass(frozen=True)
class SummaryAnswer:
    outcome: SummaryOutcome
    language: str
    summary: Summary | None = None
    record: PatientRecord | None = None  # as shared: what the chart shows
    patient_name: str = ""
    choices: tuple[tuple[int, str], ...] = ()  # (link id, patient name)


def summary_now(
    db: Database, telegram_id: int, link_id: int | None, now: datetime
) -> SummaryAnswer | Refusal:
    """/summary (``link_id`` None) or a pick from its buttons: the last seven nights."""
    with write_transaction(db):
        caregiver = caregivers.by_telegram_id(db, telegram_id)
        if caregiver is None:
            return SummaryAnswer(SummaryOutcome.NOBODY, "en")
        active = [link for link in caregivers.live_links_of_caregiver(db, caregiver.id)]
        active = [link for link in active if link.active]
        if link_id is None:
            if not active:
                return SummaryAnswer(SummaryOutcome.NOBODY, caregiver.language)
            if len(active) > 1:
                choices = tuple((link.id, link.patient_name) for link in active)
                return SummaryAnswer(SummaryOutcome.CHOOSE, caregiver.language, choices=choices)
            link_id = active[0].id
        link = viewable_link(db, telegram_id, link_id)
        if isinstance(link, Refusal):
            return link
        shared = summary_of(db, link, SummaryCadence.WEEKLY, now)
        if shared is None:
            return Refusal.STALE
        audit_view(db, telegram_id, link, "summary", now)
        return SummaryAnswer(
            SummaryOutcome.SHOWN,
            caregiver.language,
            shared.summary,
            shared.record,
            link.patient_name,
        )


@dataclass(frozen=True)
class Preferences:
    """A link's summary cadence and missed-dose alert, as now set; the next summary's instant
    (None: none will come), and what the caregiver's confirmation needs to say it."""

    link_id: int
    cadence: SummaryCadence
    missed_alert_after: int | None
    next_summary: datetime | None
    patient_name: str
    zone: ZoneInfo  # the caregiver's own: the next summary is shown in it


def set_preferences(
    db: Database,
    telegram_id: int,
    link_id: int,
    now: datetime,
    *,
    cadence: SummaryCadence | None = None,
    missed_alert_after: int | Unchanged | None = UNCHANGED,
) -> Preferences | Refusal:
    """The caregiver changes how often summaries come, or after how many missed nights in a row
    (1–7, or None: never) an alert comes, for one link of theirs; the next summary is re-armed.
    A value out of range (a forged button) changes nothing. (The caregiver's /patients buttons.)"""
    if isinstance(missed_alert_after, int) and not 1 <= missed_alert_after <= 7:
        return Refusal.STALE
    with write_transaction(db):
        link = viewable_link(db, telegram_id, link_id)
        if isinstance(link, Refusal):
            return link
        if cadence is not None:
            care_tasks.set_cadence(db, link.id, cadence)
        if not isinstance(missed_alert_after, Unchanged):
            care_tasks.set_missed_alert(db, link.id, missed_alert_after)
        due = arm_summary(db, link.id, now)
        audit.record(
            db,
            now=now,
            actor_telegram_id=telegram_id,
            actor_role=ROLE,
            action="caregiver.preferences_changed",
            target_patient_id=link.patient_id,
            detail=f"link={link.id}",
        )
        changed = caregivers.link(db, link.id)
        caregiver = caregivers.by_id(db, link.caregiver_id)
        assert changed is not None and caregiver is not None
        return Preferences(
            link.id,
            changed.summaries,
            changed.missed_alert_after,
            due,
            changed.patient_name,
            zone_of(caregiver),
        )
