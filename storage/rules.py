"""Clinic-adjustable rule settings (side-effect thresholds); defaults come from the domain."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import datetime

from sqlite_utils import Database

from storage import audit
from storage.db import write_transaction
from storage.rows import iso
from titration.side_effects import DEFAULT_THRESHOLDS, Thresholds

NAMES = tuple(f.name for f in fields(Thresholds))


def thresholds(db: Database) -> Thresholds:
    """The side-effect thresholds in force: stored overrides on top of the defaults."""
    stored = dict(db.execute("SELECT name, value FROM rules").fetchall())
    return replace(DEFAULT_THRESHOLDS, **{k: v for k, v in stored.items() if k in NAMES})


def set_rule(
    db: Database, name: str, value: int, actor_telegram_id: int | None, now: datetime
) -> None:
    """Change one threshold (audited). Raises ValueError for an unknown name or a silly value."""
    if name not in NAMES:
        raise ValueError(f"unknown rule {name!r}; known: {', '.join(NAMES)}")
    if not 1 <= value <= 30:
        raise ValueError("rule values are whole numbers from 1 to 30")
    with write_transaction(db):
        db.execute(
            "INSERT INTO rules (name, value, updated_at, updated_by) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value, "
            "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            [name, value, iso(now), actor_telegram_id],
        )
        audit.record(
            db,
            now=now,
            actor_telegram_id=actor_telegram_id,
            actor_role="admin",
            action="rules.set",
            detail=f"{name}={value}",
        )
