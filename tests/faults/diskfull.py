"""A database that cannot grow: ``PRAGMA max_page_count`` pinned at the current size, then the
free pages (and the room left in chosen tables' pages) used up, so the next write that needs a
new page fails with SQLITE_FULL ("database or disk is full"), as on a full disk."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from storage.db import write_transaction

UNLIMITED = 1_073_741_823  # SQLite's default max_page_count


def _until_full(db: Database, sql: str, params: Callable[[int], list[Any]]) -> int:
    """Run the insert again and again (one commit each) until the database is full."""
    n = 0
    while True:
        try:
            with write_transaction(db):
                db.execute(sql, params(n))
        except sqlite3.OperationalError as error:
            assert "full" in str(error), error
            return n
        n += 1


def _always(params: list[Any]) -> Callable[[int], list[Any]]:
    return lambda _n: params


def fill(db: Database, *, tables: tuple[str, ...] = ()) -> None:
    """Cap the file at its size and use up its free pages, then the room left in ``tables``.

    ``tables`` may be "processed_updates" (junk ids far above the emulator's) and "patients"
    (junk patients who never write), so that the bot's next insert or growing update there
    needs a page that cannot be had.
    """
    db.execute("CREATE TABLE IF NOT EXISTS fault_filler (junk BLOB)")
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")
    for size in (65536, 4096, 512, 64, 8):
        _until_full(db, "INSERT INTO fault_filler VALUES (zeroblob(?))", _always([size]))
    if "processed_updates" in tables:
        _until_full(
            db,
            "INSERT INTO processed_updates (update_id, seen_at) VALUES (?, strftime('%s'))",
            lambda n: [10**12 + n],
        )
    if "patients" in tables:
        _until_full(
            db,
            "INSERT INTO patients (telegram_id, chat_id, consent_version, consent_at, "
            "consent_text_sha256, created_at, updated_at) VALUES (?, ?, 'x', '', '', '', '')",
            lambda n: [10**12 + n, 10**12 + n],
        )


def unfill(db: Database) -> None:
    """Space again (the disk was cleaned up): lift the cap."""
    db.execute(f"PRAGMA max_page_count = {UNLIMITED}")
