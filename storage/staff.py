"""Clinic staff: who holds the admin role now (one row per admin; none for everyone else)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlite_utils import Database

from storage.db import write_transaction
from storage.rows import iso

ADMIN = "admin"


def is_admin(db: Database, telegram_id: int) -> bool:
    row = db.execute(
        "SELECT 1 FROM staff WHERE telegram_id = ? AND role = ?", [telegram_id, ADMIN]
    ).fetchone()
    return row is not None


def admins(db: Database) -> list[int]:
    """Every admin's Telegram id, in order."""
    rows = db.execute("SELECT telegram_id FROM staff WHERE role = ? ORDER BY 1", [ADMIN])
    return [row[0] for row in rows.fetchall()]


def admins_with_language(db: Database) -> list[tuple[int, str]]:
    """Every admin's Telegram id and language, in order (whom the clinic's alerts go to)."""
    rows = db.execute(
        "SELECT telegram_id, language FROM staff WHERE role = ? ORDER BY 1", [ADMIN]
    ).fetchall()
    return [(row[0], row[1]) for row in rows]


def set_language(db: Database, telegram_id: int, language: str) -> None:
    """Remember the language an admin uses (in the caller's transaction)."""
    db.execute("UPDATE staff SET language = ? WHERE telegram_id = ?", [language, telegram_id])


def grant(db: Database, telegram_ids: Iterable[int], now: datetime) -> list[int]:
    """Make these people admins; the ids that were not admins before."""
    added = []
    with write_transaction(db):
        for telegram_id in telegram_ids:
            cursor = db.execute(
                "INSERT INTO staff (telegram_id, role, granted_at) VALUES (?, ?, ?) "
                "ON CONFLICT (telegram_id) DO NOTHING",
                [telegram_id, ADMIN, iso(now)],
            )
            if cursor.rowcount == 1:
                added.append(telegram_id)
    return added


def revoke(db: Database, telegram_id: int) -> bool:
    """Take the admin role away; False if they did not have it."""
    with write_transaction(db):
        cursor = db.execute("DELETE FROM staff WHERE telegram_id = ?", [telegram_id])
    return cursor.rowcount == 1
