"""Caregivers' due summaries and alerts (migration 0007_caregiver_tasks), keyed by link.

The unique key (link, kind, period) is the idempotency record: a summary for one period, or an
alert for one event, is armed once and never again after it fired. Rows of a link that is no
longer active are deleted by the database (a trigger) and with the link (ON DELETE CASCADE).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from storage.db import write_transaction
from storage.rows import epoch, first, from_epoch, iso, select
from titration.care_summary import CareKind
from titration.caregiving import SummaryCadence


@dataclass(frozen=True)
class CareTask:
    id: int
    link_id: int
    kind: CareKind
    period: str
    due_at: datetime
    state: str
    attempts: int
    acknowledged_at: str | None


def _task(row: dict[str, Any]) -> CareTask:
    return CareTask(
        id=row["id"],
        link_id=row["link_id"],
        kind=CareKind(row["kind"]),
        period=row["period"],
        due_at=from_epoch(row["due_at"]),
        state=row["state"],
        attempts=row["attempts"],
        acknowledged_at=row["acknowledged_at"],
    )


def arm(db: Database, link_id: int, kind: CareKind, period: str, due_at: datetime) -> bool:
    """Arm a row, or move it while it has not fired; True when a new row was armed."""
    with write_transaction(db):
        cursor = db.execute(
            "INSERT INTO care_tasks (link_id, kind, period, due_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (link_id, kind, period) DO UPDATE SET due_at = excluded.due_at "
            "WHERE care_tasks.state = 'pending' AND care_tasks.due_at != excluded.due_at",
            [link_id, kind.value, period, epoch(due_at)],
        )
    return cursor.rowcount == 1


def raise_once(db: Database, link_id: int, kind: CareKind, period: str, due_at: datetime) -> bool:
    """Arm an alert for one event; False when that event already has one (sent or not)."""
    with write_transaction(db):
        cursor = db.execute(
            "INSERT INTO care_tasks (link_id, kind, period, due_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (link_id, kind, period) DO NOTHING",
            [link_id, kind.value, period, epoch(due_at)],
        )
    return cursor.rowcount == 1


def fired(db: Database, link_id: int, kind: CareKind, period: str) -> bool:
    """True when the row for (link, kind, period) exists and is no longer pending."""
    row = first(
        db,
        "care_tasks",
        "link_id = ? AND kind = ? AND period = ? AND state != 'pending'",
        [link_id, kind.value, period],
    )
    return row is not None


def pending_summary(db: Database, link_id: int) -> CareTask | None:
    row = first(
        db, "care_tasks", "link_id = ? AND kind = 'summary' AND state = 'pending'", [link_id]
    )
    return _task(row) if row else None


def links_without_summary(db: Database) -> list[int]:
    """Active links with summaries on but no summary armed (linked before this ran)."""
    rows = db.execute(
        "SELECT l.id FROM care_links l WHERE l.status = 'active' AND l.summaries != 'off' "
        "AND NOT EXISTS (SELECT 1 FROM care_tasks t WHERE t.link_id = l.id "
        "AND t.kind = 'summary' AND t.state IN ('pending', 'sending'))"
    ).fetchall()
    return [link_id for (link_id,) in rows]


def earliest_due(db: Database) -> datetime | None:
    row = db.execute("SELECT MIN(due_at) FROM care_tasks WHERE state = 'pending'").fetchone()
    return from_epoch(row[0]) if row[0] is not None else None


def claim_due(db: Database, now: datetime, limit: int) -> list[CareTask]:
    """Take up to ``limit`` due rows, oldest first, marking them in flight."""
    with write_transaction(db):
        rows = list(
            db.query(
                "SELECT * FROM care_tasks WHERE state = 'pending' AND due_at <= ? "
                "ORDER BY due_at LIMIT ?",
                [epoch(now), limit],
            )
        )
        if rows:
            ids = [row["id"] for row in rows]
            db.execute(
                "UPDATE care_tasks SET state = 'sending', attempts = attempts + 1 "
                f"WHERE id IN ({','.join('?' * len(ids))})",
                ids,
            )
    return [_task({**row, "state": "sending", "attempts": row["attempts"] + 1}) for row in rows]


def finish_many(db: Database, outcomes: list[tuple[int, str, int | None]], now: datetime) -> None:
    """Record outcomes, (row id, state, message id) each, in one transaction. A row deleted
    meanwhile (its link ended) stays deleted."""
    with write_transaction(db):
        db.conn.executemany(
            "UPDATE care_tasks SET state = ?, message_id = COALESCE(?, message_id), "
            "finished_at = ? WHERE id = ?",
            [(state, message_id, iso(now), task_id) for task_id, state, message_id in outcomes],
        )


def retry_at(db: Database, task_id: int, due_at: datetime) -> None:
    with write_transaction(db):
        db.execute(
            "UPDATE care_tasks SET state = 'pending', due_at = ? "
            "WHERE id = ? AND state = 'sending'",
            [epoch(due_at), task_id],
        )


def in_flight(db: Database) -> int:
    return int(db.execute("SELECT COUNT(*) FROM care_tasks WHERE state = 'sending'").fetchone()[0])


def recover_in_flight(db: Database) -> int:
    with write_transaction(db):
        cursor = db.execute("UPDATE care_tasks SET state = 'pending' WHERE state = 'sending'")
    return cursor.rowcount


def by_id(db: Database, task_id: int) -> CareTask | None:
    row = first(db, "care_tasks", "id = ?", [task_id])
    return _task(row) if row else None


def acknowledge(db: Database, task_id: int, now: datetime) -> bool:
    """Mark an alert seen; False when it already was."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE care_tasks SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL",
            [iso(now), task_id],
        )
    return cursor.rowcount == 1


def set_cadence(db: Database, link_id: int, cadence: SummaryCadence) -> None:
    """The link's summaries: weekly, daily or off (the caller re-arms the next one)."""
    with write_transaction(db):
        db.execute("UPDATE care_links SET summaries = ? WHERE id = ?", [cadence.value, link_id])


def set_missed_alert(db: Database, link_id: int, nights: int | None) -> None:
    """Missed nights in a row before an alert (1–7), or None: off."""
    with write_transaction(db):
        db.execute("UPDATE care_links SET missed_alert_after = ? WHERE id = ?", [nights, link_id])


def waiting_alerts(db: Database, link_id: int, now: datetime) -> list[CareTask]:
    """The link's alerts armed for later (waiting for a humane hour), not tried yet."""
    rows = select(
        db,
        "care_tasks",
        "link_id = ? AND kind != 'summary' AND state = 'pending' AND attempts = 0 AND due_at > ?",
        [link_id, epoch(now)],
        order_by="id",
    )
    return [_task(row) for row in rows]


def move(db: Database, task_id: int, due_at: datetime) -> None:
    """A pending row's new due instant (the caregiver's zone changed)."""
    with write_transaction(db):
        db.execute(
            "UPDATE care_tasks SET due_at = ? WHERE id = ? AND state = 'pending'",
            [epoch(due_at), task_id],
        )
