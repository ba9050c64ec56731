"""Which Telegram updates were already handled, so a redelivered update changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlite_utils import Database

from storage.db import write_transaction
from storage.rows import epoch

KEEP = timedelta(days=2)  # Telegram keeps undelivered updates for 24 h


def first_time(db: Database, update_id: int, now: datetime) -> bool:
    """Record the update; False if it had been seen before. Old records are pruned as we go."""
    with write_transaction(db):
        cursor = db.execute(
            "INSERT INTO processed_updates (update_id, seen_at) VALUES (?, ?) "
            "ON CONFLICT (update_id) DO NOTHING",
            [update_id, epoch(now)],
        )
        if update_id % 1000 == 0:
            db.execute("DELETE FROM processed_updates WHERE seen_at < ?", [epoch(now - KEEP)])
    return cursor.rowcount == 1


def highest(db: Database) -> int | None:
    """The highest update id recorded (Telegram numbers updates in increasing order)."""
    row = db.execute("SELECT MAX(update_id) FROM processed_updates").fetchone()
    return int(row[0]) if row[0] is not None else None
