"""Caregivers and their links to patients, as stored (migration 0005_caregivers).

A caregiver sees a patient only through an *active* link, and only what its scope shares.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from storage.rows import first, select
from titration.caregiving import LinkStatus, Scope, SummaryCadence

LIVE = (LinkStatus.AWAITING_PATIENT.value, LinkStatus.ACTIVE.value)


@dataclass(frozen=True)
class Caregiver:
    id: int
    telegram_id: int
    chat_id: int
    name: str  # their first name on Telegram, shown to the patient ("Sam saw this")
    zone_name: str | None
    language: str
    step: str | None  # the joining conversation's open question


@dataclass(frozen=True)
class Link:
    id: int
    patient_id: int
    caregiver_id: int
    scope: Scope
    status: LinkStatus
    patient_name: str  # the patient's first name, as shown to the caregiver
    summaries: SummaryCadence
    missed_alert_after: int | None  # nights missed in a row before an alert; None: off
    allowed_at: datetime | None

    @property
    def active(self) -> bool:
        return self.status is LinkStatus.ACTIVE


def _caregiver(row: dict[str, Any]) -> Caregiver:
    return Caregiver(
        id=row["id"],
        telegram_id=row["telegram_id"],
        chat_id=row["chat_id"],
        name=row["name"],
        zone_name=row["zone_name"],
        language=row["language"],
        step=row["step"],
    )


def _link(row: dict[str, Any]) -> Link:
    return Link(
        id=row["id"],
        patient_id=row["patient_id"],
        caregiver_id=row["caregiver_id"],
        scope=Scope(row["scope"]),
        status=LinkStatus(row["status"]),
        patient_name=row["patient_name"],
        summaries=SummaryCadence(row["summaries"]),
        missed_alert_after=row["missed_alert_after"],
        allowed_at=datetime.fromisoformat(row["allowed_at"]) if row["allowed_at"] else None,
    )


def by_telegram_id(db: Database, telegram_id: int) -> Caregiver | None:
    row = first(db, "caregivers", "telegram_id = ?", [telegram_id])
    return _caregiver(row) if row else None


def by_id(db: Database, caregiver_id: int) -> Caregiver | None:
    row = first(db, "caregivers", "id = ?", [caregiver_id])
    return _caregiver(row) if row else None


def link(db: Database, link_id: int) -> Link | None:
    row = first(db, "care_links", "id = ?", [link_id])
    return _link(row) if row else None


def active_links_of_patient(db: Database, patient_id: int) -> list[Link]:
    rows = select(
        db, "care_links", "patient_id = ? AND status = 'active'", [patient_id], order_by="id"
    )
    return [_link(row) for row in rows]


def live_links_of_caregiver(db: Database, caregiver_id: int) -> list[Link]:
    """The caregiver's links awaiting the patient or active, oldest first."""
    rows = select(
        db,
        "care_links",
        "caregiver_id = ? AND status IN (?, ?)",
        [caregiver_id, *LIVE],
        order_by="id",
    )
    return [_link(row) for row in rows]
