"""The append-only audit log: who did what to whom, and when; never health data."""

from __future__ import annotations

from datetime import datetime
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
) -> None:
    """Append one entry. ``detail`` names fields changed, never their health content."""
    with write_transaction(db):
        db.table("audit_log").insert(
            {
                "at": iso(now),
                "actor_telegram_id": actor_telegram_id,
                "actor_role": actor_role,
                "action": action,
                "target_patient_id": target_patient_id,
                "detail": detail,
            }
        )


def entries(db: Database, target_patient_id: int | None = None) -> list[dict[str, Any]]:
    if target_patient_id is None:
        return select(db, "audit_log", order_by="id")
    return select(db, "audit_log", "target_patient_id = ?", [target_patient_id], order_by="id")
