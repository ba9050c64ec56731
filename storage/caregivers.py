"""Caregivers and their links to patients, as stored (migration 0005_caregivers).

A caregiver sees a patient only through an *active* link, and only what its scope shares.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from storage.rows import first, iso, select
from titration.caregiving import LinkStatus, Scope, SummaryCadence

LIVE = (LinkStatus.AWAITING_PATIENT.value, LinkStatus.ACTIVE.value)
# Links that stop a second one between the same two people (the unique index care_links_live).
UNENDED = (LinkStatus.OPENED.value, *LIVE)


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
    agreed: bool = False  # the caregiver agreed to the invite's terms
    created_at: datetime | None = None

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
        agreed=row["agreed_at"] is not None,
        created_at=datetime.fromisoformat(row["created_at"]),
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


def live_links_of_patient(db: Database, patient_id: int) -> list[Link]:
    """The patient's links awaiting their answer or active, oldest first."""
    rows = select(
        db,
        "care_links",
        "patient_id = ? AND status IN (?, ?)",
        [patient_id, *LIVE],
        order_by="id",
    )
    return [_link(row) for row in rows]


def unended_link(db: Database, patient_id: int, caregiver_id: int) -> Link | None:
    """The link between these two that is opened, awaiting the patient or active, if any."""
    row = first(
        db,
        "care_links",
        "patient_id = ? AND caregiver_id = ? AND status IN (?, ?, ?)",
        [patient_id, caregiver_id, *UNENDED],
    )
    return _link(row) if row else None


def agreed_links(db: Database, caregiver_id: int) -> list[Link]:
    """Links the caregiver agreed to that wait for their time zone before the patient is asked."""
    rows = select(
        db,
        "care_links",
        "caregiver_id = ? AND status = ? AND agreed_at IS NOT NULL",
        [caregiver_id, LinkStatus.OPENED.value],
        order_by="id",
    )
    return [_link(row) for row in rows]


def create(
    db: Database, *, telegram_id: int, chat_id: int, name: str, language: str, now: datetime
) -> Caregiver:
    db.execute(
        "INSERT INTO caregivers (telegram_id, chat_id, name, language, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [telegram_id, chat_id, name, language, iso(now), iso(now)],
    )
    found = by_telegram_id(db, telegram_id)
    assert found is not None
    return found


_CAREGIVER_FIELDS = frozenset({"name", "zone_name", "language", "step"})


def update(db: Database, caregiver_id: int, now: datetime, **fields: str | None) -> Caregiver:
    """Change some of the caregiver's own fields (name, zone_name, language, step)."""
    assert fields and set(fields) <= _CAREGIVER_FIELDS, fields
    assignments = ", ".join(f"{name} = ?" for name in fields)
    db.execute(
        f"UPDATE caregivers SET {assignments}, updated_at = ? WHERE id = ?",
        [*fields.values(), iso(now), caregiver_id],
    )
    found = by_id(db, caregiver_id)
    assert found is not None
    return found


def create_link(
    db: Database,
    *,
    patient_id: int,
    caregiver_id: int,
    invite_id: int | None,
    scope: Scope,
    patient_name: str,
    missed_alert_after: int | None,
    now: datetime,
) -> Link:
    """A link in status ``opened``: the caregiver has the invite in front of them.
    ``missed_alert_after``: the clinic's default for its missed-nights alert (None: off)."""
    cursor = db.execute(
        "INSERT INTO care_links (patient_id, caregiver_id, invite_id, scope, status, "
        "patient_name, missed_alert_after, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            patient_id,
            caregiver_id,
            invite_id,
            scope.value,
            LinkStatus.OPENED.value,
            patient_name,
            missed_alert_after,
            iso(now),
        ],
    )
    found = link(db, int(cursor.lastrowid or 0))
    assert found is not None
    return found


def agree(db: Database, link_id: int, now: datetime) -> None:
    db.execute("UPDATE care_links SET agreed_at = ? WHERE id = ?", [iso(now), link_id])


def set_status(db: Database, link_id: int, status: LinkStatus, now: datetime) -> Link:
    """Move a link on: ``active`` stamps ``allowed_at``; ``ended``, ``refused`` ``ended_at``."""
    stamp = {
        LinkStatus.ACTIVE: ", allowed_at = ?",
        LinkStatus.ENDED: ", ended_at = ?",
        LinkStatus.REFUSED: ", ended_at = ?",
    }.get(status, "")
    values: list[Any] = [status.value, *([iso(now)] if stamp else []), link_id]
    db.execute(f"UPDATE care_links SET status = ?{stamp} WHERE id = ?", values)
    found = link(db, link_id)
    assert found is not None
    return found


def set_scope(db: Database, link_id: int, scope: Scope) -> Link:
    db.execute("UPDATE care_links SET scope = ? WHERE id = ?", [scope.value, link_id])
    found = link(db, link_id)
    assert found is not None
    return found


def delete_link(db: Database, link_id: int) -> None:
    """Forget a link nobody agreed to (the caregiver said no to the invite)."""
    db.execute("DELETE FROM care_links WHERE id = ?", [link_id])
