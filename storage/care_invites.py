"""A patient's one-time invitations (only each code's SHA-256 is stored), and the count of
codes that did not fit, per person and hour, that rate-limits guessing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from storage.rows import epoch, first, from_epoch, iso
from titration.caregiving import Scope

ATTEMPT_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Invite:
    id: int
    patient_id: int
    scope: Scope
    patient_name: str
    expires_at: datetime
    used: bool

    def open_at(self, now: datetime) -> bool:
        return not self.used and now < self.expires_at


def _invite(row: dict[str, Any]) -> Invite:
    return Invite(
        id=row["id"],
        patient_id=row["patient_id"],
        scope=Scope(row["scope"]),
        patient_name=row["patient_name"],
        expires_at=from_epoch(row["expires_at"]),
        used=row["used_at"] is not None,
    )


def create(
    db: Database,
    *,
    patient_id: int,
    code_sha256: str,
    scope: Scope,
    patient_name: str,
    now: datetime,
    expires_at: datetime,
) -> Invite:
    cursor = db.execute(
        "INSERT INTO care_invites (patient_id, code_sha256, scope, patient_name, created_at, "
        "expires_at) VALUES (?, ?, ?, ?, ?, ?)",
        [patient_id, code_sha256, scope.value, patient_name, iso(now), epoch(expires_at)],
    )
    found = by_id(db, int(cursor.lastrowid or 0))
    assert found is not None
    return found


def by_id(db: Database, invite_id: int) -> Invite | None:
    row = first(db, "care_invites", "id = ?", [invite_id])
    return _invite(row) if row else None


def by_fingerprint(db: Database, code_sha256: str) -> Invite | None:
    row = first(db, "care_invites", "code_sha256 = ?", [code_sha256])
    return _invite(row) if row else None


def pending_count(db: Database, patient_id: int, now: datetime) -> int:
    """The patient's invites neither used nor expired."""
    row = db.execute(
        "SELECT COUNT(*) FROM care_invites WHERE patient_id = ? AND used_at IS NULL "
        "AND expires_at > ?",
        [patient_id, epoch(now)],
    ).fetchone()
    return int(row[0])


def use(db: Database, invite_id: int, now: datetime) -> bool:
    """Mark the invite used; False if it already was (single use)."""
    cursor = db.execute(
        "UPDATE care_invites SET used_at = ? WHERE id = ? AND used_at IS NULL",
        [iso(now), invite_id],
    )
    return cursor.rowcount == 1


def failures(db: Database, telegram_id: int, now: datetime) -> int:
    """Codes from this person that did not fit in the current window."""
    row = db.execute(
        "SELECT window_started, failures FROM care_code_attempts WHERE telegram_id = ?",
        [telegram_id],
    ).fetchone()
    if row is None or from_epoch(row[0]) + ATTEMPT_WINDOW <= now:
        return 0
    return int(row[1])


def fail(db: Database, telegram_id: int, now: datetime) -> int:
    """Count one more code that did not fit; the count in the current window after it."""
    count = failures(db, telegram_id, now) + 1
    started = epoch(now) if count == 1 else None
    if started is not None:
        db.execute(
            "INSERT INTO care_code_attempts (telegram_id, window_started, failures) "
            "VALUES (?, ?, 1) ON CONFLICT (telegram_id) DO UPDATE SET "
            "window_started = excluded.window_started, failures = 1",
            [telegram_id, started],
        )
    else:
        db.execute(
            "UPDATE care_code_attempts SET failures = ? WHERE telegram_id = ?", [count, telegram_id]
        )
    return count
