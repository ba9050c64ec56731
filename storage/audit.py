"""The append-only audit log: who did what to whom, and when; never health data.

Rows are never changed, and never deleted except by /forget (``storage.privacy.erase``), which
removes every entry naming the person (as actor or as target) and appends one anonymous entry
in their place: ``data.deleted`` with no actor, no target and only the day (``at`` is a date,
``2026-12-05``, not an instant), so the log still shows that an erasure happened without saying
whose. Its place in the log (its id) still lies between the entries made before and after it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from storage.db import write_transaction
from storage.rows import iso, select


def record(
    db: Database,
    *,
    now: datetime,
    actor_telegram_id: int | None,
    actor_role: str,
    action: str,
    target_patient_id: int | None = None,
    detail: str = "",
    target_telegram_id: int | None = None,
    before: str = "",
    after: str = "",
) -> None:
    """Append one entry. ``detail`` names fields changed, never their health content;
    ``before`` / ``after`` hold a changed setting's values (a dose, a time, a zone: never text
    a person typed) and go with the target patient's other rows on /forget."""
    row: dict[str, Any] = {
        "at": iso(now),
        "actor_telegram_id": actor_telegram_id,
        "actor_role": actor_role,
        "action": action,
        "target_patient_id": target_patient_id,
        "detail": detail,
    }
    if target_telegram_id is not None or before or after:  # columns since migration 0010
        row.update(target_telegram_id=target_telegram_id, before=before, after=after)
    columns = ", ".join(row)
    with write_transaction(db):
        db.execute(
            f"INSERT INTO audit_log ({columns}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )


ERASED = "data.deleted"


def record_erasure(db: Database, day: date) -> None:
    """Append the anonymous trace of an erasure: what happened and the day, never whose."""
    with write_transaction(db):
        db.execute(
            "INSERT INTO audit_log (at, actor_telegram_id, actor_role, action, target_patient_id, "
            "detail) VALUES (?, NULL, 'patient', ?, NULL, '')",
            [day.isoformat(), ERASED],
        )


def latest(db: Database, limit: int, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """The newest entries first (``limit`` from ``offset``), and how many there are in all."""
    total = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    cursor = db.execute(
        "SELECT * FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?", [limit, offset]
    )
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()], total


def since(db: Database, instant: datetime) -> list[dict[str, Any]]:
    """Every entry at or after ``instant``, oldest first (an erasure's day-only trace counts
    from the start of its day)."""
    moment = iso(instant)
    return select(
        db,
        "audit_log",
        "at >= ? OR (length(at) = 10 AND at >= ?)",
        [moment, moment[:10]],
        order_by="id",
    )


def entries(db: Database, target_patient_id: int | None = None) -> list[dict[str, Any]]:
    if target_patient_id is None:
        return select(db, "audit_log", order_by="id")
    return select(db, "audit_log", "target_patient_id = ?", [target_patient_id], order_by="id")
