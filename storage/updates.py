"""Which Telegram updates were already handled, so a redelivered update changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlite_utils import Database

from storage.db import write_transaction
from storage.rows import epoch

KEEP = timedelta(days=2)  # Telegram keeps undelivered updates for 24 h
PRUNE_EVERY = 1000  # update ids: old records are pruned once per block of this many


def first_time(db: Database, update_id: int, now: datetime) -> bool:
    """Record the update; False if it had been seen before. Old records are pruned as we go."""
    block = update_id - update_id % PRUNE_EVERY
    with write_transaction(db):
        # The first update recorded in its block prunes. (Only an id divisible by 1000 did: a
        # sequence that skipped those ids, e.g. updates dropped from a flooding chat before
        # they were recorded, never pruned at all.)
        first_in_block = (
            db.execute(
                "SELECT 1 FROM processed_updates WHERE update_id >= ? AND update_id < ? LIMIT 1",
                [block, block + PRUNE_EVERY],
            ).fetchone()
            is None
        )
        cursor = db.execute(
            "INSERT INTO processed_updates (update_id, seen_at) VALUES (?, ?) "
            "ON CONFLICT (update_id) DO NOTHING",
            [update_id, epoch(now)],
        )
        if first_in_block:
            db.execute("DELETE FROM processed_updates WHERE seen_at < ?", [epoch(now - KEEP)])
    return cursor.rowcount == 1


def highest(db: Database) -> int | None:
    """The highest update id recorded (Telegram numbers updates in increasing order)."""
    row = db.execute("SELECT MAX(update_id) FROM processed_updates").fetchone()
    return int(row[0]) if row[0] is not None else None
