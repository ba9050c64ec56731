"""Who is an admin: granting and revoking the role (in chat by an admin, or by the operator's
CLI), and the bootstrap from ``ADMIN_IDS`` at start-up.

Bootstrap: every id in ``ADMIN_IDS`` is made an admin at start-up, unless the audit shows the
role was revoked from them since it was last granted. A revocation sticks: a restart never hands
the role back to someone an admin or the operator took it from (a lost or compromised account
stays locked out). To restore them, ``ldn-bot admin grant <id>`` (or /grant in chat); to retire a
bootstrap admin for good, also take them out of ``ADMIN_IDS``. The last admin cannot be revoked
(someone must be able to grant the role in chat); the CLI can always grant it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlite_utils import Database

from care.people import Refusal, admin_presser
from storage import admin_questions, audit, patients, staff
from storage.db import write_transaction

GRANTED, REVOKED = "staff.granted", "staff.revoked"
OPERATOR = "operator"  # the actor role of the ``ldn-bot admin`` CLI (no Telegram id)


class StaffOutcome(StrEnum):
    GRANTED = "granted"
    ALREADY_ADMIN = "already_admin"
    REVOKED = "revoked"
    NOT_ADMIN = "not_admin"  # revoke of someone who is not an admin
    LAST_ADMIN = "last_admin"  # the only admin left keeps the role


@dataclass(frozen=True)
class StaffChange:
    outcome: StaffOutcome
    telegram_id: int  # the person whose role changed (or would have)


REFUSED = "admin.refused"


def checked_admin(db: Database, telegram_id: int, now: datetime) -> int | Refusal:
    """``admin_presser``, and a refusal appended to the audit (RELIABILITY #34: an admin
    command or button from a patient or a former admin is denied and audited; from a stranger
    it is denied and nothing is stored)."""
    found = admin_presser(db, telegram_id)
    if isinstance(found, Refusal):
        # Only when the bot knows them already (a patient, or a former admin): a stranger who
        # never consented to anything leaves nothing stored at all (and cannot fill the log).
        known = patients.by_telegram_id(db, telegram_id) is not None or _ever_staff(db, telegram_id)
        if known:
            audit.record(
                db, now=now, actor_telegram_id=telegram_id, actor_role="not_admin", action=REFUSED
            )
    return found


def _ever_staff(db: Database, telegram_id: int) -> bool:
    row = db.execute(
        "SELECT 1 FROM audit_log WHERE target_telegram_id = ? LIMIT 1", [telegram_id]
    ).fetchone()
    return row is not None


def may_change(db: Database, telegram_id: int, now: datetime) -> int | Refusal:
    """/grant or /revoke typed: only an admin may ask (the change waits for [Yes])."""
    with write_transaction(db):
        return checked_admin(db, telegram_id, now)


def grant(db: Database, telegram_id: int, target: int, now: datetime) -> StaffChange | Refusal:
    """An admin makes ``target`` an admin."""
    with write_transaction(db):
        found = checked_admin(db, telegram_id, now)
        if isinstance(found, Refusal):
            return found
        return _grant(db, found, "admin", target, now)


def revoke(db: Database, telegram_id: int, target: int, now: datetime) -> StaffChange | Refusal:
    """An admin takes the role from ``target`` (themselves included, unless they are the last)."""
    with write_transaction(db):
        found = checked_admin(db, telegram_id, now)
        if isinstance(found, Refusal):
            return found
        return _revoke(db, found, "admin", target, now)


def grant_as_operator(db: Database, target: int, now: datetime) -> StaffChange:
    """``ldn-bot admin grant <id>``."""
    with write_transaction(db):
        return _grant(db, None, OPERATOR, target, now)


def revoke_as_operator(db: Database, target: int, now: datetime) -> StaffChange:
    """``ldn-bot admin revoke <id>``."""
    with write_transaction(db):
        return _revoke(db, None, OPERATOR, target, now)


@dataclass(frozen=True)
class Bootstrap:
    admins: tuple[int, ...]  # every admin now (their "/" menus get the admin commands)
    granted: tuple[int, ...]  # made admins by this start-up
    kept_out: tuple[int, ...]  # in ADMIN_IDS but revoked since: not granted again
    revoked: tuple[int, ...]  # everyone whose role was revoked and not granted again


def bootstrap(db: Database, admin_ids: Iterable[int], now: datetime) -> Bootstrap:
    """At start-up: grant ``ADMIN_IDS`` (except those revoked since), and say who is who."""
    with write_transaction(db):
        last = _last_staff_change(db)
        revoked = {person for person, action in last.items() if action == REVOKED}
        wanted = sorted(set(admin_ids))
        kept_out = tuple(i for i in wanted if i in revoked and not staff.is_admin(db, i))
        granted = []
        for target in wanted:
            if target in kept_out:
                continue
            if staff.grant(db, [target], now):
                granted.append(target)
                _audit(db, None, "system", GRANTED, target, now, detail="ADMIN_IDS")
        admins = tuple(staff.admins(db))
        gone = tuple(sorted(person for person in revoked if person not in admins))
        return Bootstrap(admins, tuple(granted), kept_out, gone)


# Inside the transaction ---------------------------------------------------------------------


def _grant(db: Database, actor: int | None, role: str, target: int, now: datetime) -> StaffChange:
    if not staff.grant(db, [target], now):
        return StaffChange(StaffOutcome.ALREADY_ADMIN, target)
    _audit(db, actor, role, GRANTED, target, now)
    return StaffChange(StaffOutcome.GRANTED, target)


def _revoke(db: Database, actor: int | None, role: str, target: int, now: datetime) -> StaffChange:
    if not staff.is_admin(db, target):
        return StaffChange(StaffOutcome.NOT_ADMIN, target)
    if staff.admins(db) == [target]:
        return StaffChange(StaffOutcome.LAST_ADMIN, target)
    staff.revoke(db, target)
    admin_questions.close(db, target)
    _audit(db, actor, role, REVOKED, target, now)
    return StaffChange(StaffOutcome.REVOKED, target)


def _audit(
    db: Database,
    actor: int | None,
    role: str,
    action: str,
    target: int,
    now: datetime,
    detail: str = "",
) -> None:
    audit.record(
        db,
        now=now,
        actor_telegram_id=actor,
        actor_role=role,
        action=action,
        target_telegram_id=target,
        detail=detail,
        before="admin" if action == REVOKED else "",
        after="admin" if action == GRANTED else "",
    )


def _last_staff_change(db: Database) -> dict[int, str]:
    """Each person's latest grant or revoke in the audit, by Telegram id."""
    rows = db.execute(
        "SELECT target_telegram_id, action FROM audit_log WHERE id IN ("
        "SELECT max(id) FROM audit_log WHERE action IN (?, ?) AND target_telegram_id IS NOT NULL "
        "GROUP BY target_telegram_id)",
        [GRANTED, REVOKED],
    ).fetchall()
    return {person: action for person, action in rows}
