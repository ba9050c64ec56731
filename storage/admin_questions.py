"""Each admin's open question: which patient, which change, and the value typed so far, until the
admin confirms or cancels it (one row per admin; gone with the patient's other rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from storage.db import write_transaction
from storage.rows import first, iso


@dataclass(frozen=True)
class Question:
    telegram_id: int
    step: str  # what is awaited: a typed value, a reason, or the [Confirm] press
    patient_id: int
    action: str
    value: str | None
    reason: str | None


def of(db: Database, telegram_id: int) -> Question | None:
    row = first(db, "admin_questions", "telegram_id = ?", [telegram_id])
    if row is None:
        return None
    return Question(
        row["telegram_id"],
        row["step"],
        row["patient_id"],
        row["action"],
        row["value"],
        row["reason"],
    )


def step_of(db: Database, telegram_id: int) -> str | None:
    row = db.execute(
        "SELECT step FROM admin_questions WHERE telegram_id = ?", [telegram_id]
    ).fetchone()
    return row[0] if row is not None else None


def put(
    db: Database,
    telegram_id: int,
    *,
    step: str,
    patient_id: int,
    action: str,
    now: datetime,
    value: str | None = None,
    reason: str | None = None,
) -> None:
    """Open (or replace) the admin's question."""
    with write_transaction(db):
        db.execute(
            "INSERT OR REPLACE INTO admin_questions "
            "(telegram_id, step, patient_id, action, value, reason, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [telegram_id, step, patient_id, action, value, reason, iso(now)],
        )


def close(db: Database, telegram_id: int) -> bool:
    """Forget the admin's open question; False if there was none."""
    with write_transaction(db):
        cursor = db.execute("DELETE FROM admin_questions WHERE telegram_id = ?", [telegram_id])
    return cursor.rowcount == 1
