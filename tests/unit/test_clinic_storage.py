"""The clinic's rows: rules read once and cached until they change (here or in another process),
templates copied into plans, and the online backup and its restore."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from care import clinic
from care.clinic import OPERATOR, Field, Outcome
from care.people import Refusal
from storage import backup, rules, staff
from storage.db import AlreadyRunning, Store, connect
from titration.clinic_rules import RuleError

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "ldn.db")
    yield opened
    opened.close()


def test_rules_are_cached_until_set_here_or_in_another_process(store: Store) -> None:
    db = store.db
    first = store.run_sync(rules.current)
    assert store.run_sync(rules.current) is first  # the same object: nothing was read again
    store.run_sync(rules.set_rule, "moderate_run", 2, None, NOW)
    assert store.run_sync(rules.current).moderate_run == 2
    other = connect(store.path)  # as `ldn-bot admin rules set` beside the running bot
    rules.set_rule(other, "nudge_after_minutes", 90, None, NOW, "operator")
    other.close()
    assert store.run_sync(rules.current).nudge_after_minutes == 90
    assert db is store.db


def test_a_rule_change_is_checked_and_audited_before_to_after(store: Store) -> None:
    with pytest.raises(RuleError):
        store.run_sync(rules.set_rule, "frequent_reports", 9, 5, NOW)
    assert store.run_sync(rules.set_rule, "frequent_reports", 4, 5, NOW) == (5, 4)
    audit = store.run_sync(
        lambda db: db.execute(
            "SELECT actor_telegram_id, actor_role, detail FROM audit_log"
        ).fetchall()
    )
    assert audit == [(5, "admin", "frequent_reports: 5 -> 4")]


def test_care_refuses_someone_who_is_not_an_admin(store: Store) -> None:
    assert store.run_sync(clinic.list_templates, 42, NOW) is Refusal.NOT_ADMIN
    assert store.run_sync(clinic.set_rule, 42, "moderate_run", "2", NOW) is Refusal.NOT_ADMIN
    store.run_sync(staff.grant, [42], NOW)
    made = store.run_sync(clinic.create_template, 42, "Rose", "0.5x3 1", "capsule", NOW)
    assert not isinstance(made, Refusal) and made.outcome is Outcome.SAVED
    store.run_sync(staff.revoke, 42)
    assert store.run_sync(clinic.retire_template, 42, 1, NOW) is Refusal.NOT_ADMIN


def seeded(store: Store) -> None:
    made = store.run_sync(clinic.create_template, OPERATOR, "Rose", "0.5x3 1x3 1.5", "capsule", NOW)
    assert not isinstance(made, Refusal) and made.outcome is Outcome.SAVED
    store.run_sync(rules.set_rule, "moderate_run", 2, None, NOW)


def test_a_backup_is_one_checked_self_contained_file(store: Store, tmp_path: Path) -> None:
    seeded(store)
    target = tmp_path / "backups" / "ldn-2026-12-01.db"
    target.parent.mkdir()
    size = backup.backup(store.path, target)
    assert size == target.stat().st_size > 0
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert not target.with_name(target.name + "-wal").exists()
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT name, plan FROM plan_templates").fetchall() == [
        ("Rose", "0.5x3 1x3 1.5")
    ]
    copy.close()
    with pytest.raises(backup.BackupError, match="must not be the database itself"):
        backup.backup(store.path, store.path)
    with pytest.raises(backup.BackupError, match="does not exist"):
        backup.backup(store.path, tmp_path / "nowhere" / "x.db")


def test_restore_refuses_while_a_bot_holds_the_database(store: Store, tmp_path: Path) -> None:
    seeded(store)
    saved = tmp_path / "saved.db"
    backup.backup(store.path, saved)
    with pytest.raises(AlreadyRunning):
        backup.restore(saved, store.path)


def test_restore_puts_the_backup_in_place_and_keeps_the_file_before(tmp_path: Path) -> None:
    path = tmp_path / "ldn.db"
    store = Store(path)
    seeded(store)
    saved = tmp_path / "saved.db"
    backup.backup(path, saved)
    store.run_sync(lambda db: db.execute("DELETE FROM plan_templates"))
    store.close()
    kept = backup.restore(saved, path)
    assert kept is not None and kept.exists()
    reopened = Store(path)
    try:
        names = reopened.run_sync(
            lambda db: db.execute("SELECT name FROM plan_templates").fetchall()
        )
        assert names == [("Rose",)]
        assert reopened.run_sync(rules.current).moderate_run == 2
    finally:
        reopened.close()


def test_restore_refuses_what_is_not_a_sound_ldn_database(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(backup.BackupError):
        backup.restore(junk, tmp_path / "ldn.db")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(backup.BackupError, match="not an LDN Companion database"):
        backup.restore(other, tmp_path / "ldn.db")


def test_an_edit_is_audited_before_to_after_without_the_typed_name(store: Store) -> None:
    store.run_sync(staff.grant, [42], NOW)
    store.run_sync(clinic.create_template, 42, "Rose", "0.5x3 1", "capsule", NOW)
    store.run_sync(clinic.edit_template, 42, 1, Field.NUDGE, "90", NOW)
    store.run_sync(clinic.edit_template, 42, 1, Field.NAME, "Rose Clinic Berlin", NOW)
    details = store.run_sync(
        lambda db: db.execute(
            "SELECT detail FROM audit_log WHERE action = 'template.edited' ORDER BY id"
        ).fetchall()
    )
    common = "[0.5x3 1] capsule bedtime 22:00 checkin 09:00"
    assert details == [
        (f"#1 v2: {common} nudge rule -> {common} nudge 90",),
        (f"#1 v3: name changed; {common} nudge 90 -> {common} nudge 90",),
    ]
    assert "Rose" not in str(details)
