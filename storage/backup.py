"""Online backup and restore of the database file with SQLite's backup API.

``backup`` copies every page in one step under a read transaction, so the copy is the database
as of one instant even while the bot writes (WAL: the bot's writers are not blocked); it is
written beside the target, checked (``quick_check``) and renamed into place, mode 0600.
``restore`` holds the instance lock (refusing while a bot runs), checks the backup, keeps the
current file as ``<name>.before-restore-<stamp>``, then copies the backup's pages in.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from pathlib import Path

from storage.db import DatabaseUnusable, instance_lock, quick_check


class BackupError(Exception):
    """A backup or restore that did not happen; the message says why in one line."""


def _copy(source: sqlite3.Connection, target_path: Path) -> None:
    target = sqlite3.connect(str(target_path))
    try:
        source.backup(target)  # pages=-1: all pages in one step, one consistent snapshot
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside
    finally:
        target.close()


def backup(database: Path, target: Path) -> int:
    """A consistent copy of ``database`` at ``target`` (replaced if present); its size in bytes."""
    if not database.is_file():
        raise BackupError(f"no database at {database}")
    if target.resolve() == database.resolve():
        raise BackupError("the backup must not be the database itself")
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist")
    partial = target.with_name(f".{target.name}.partial")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)
    try:
        _copy(source, partial)
    except sqlite3.Error as error:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        raise BackupError(f"could not read {database}: {error}") from None
    finally:
        source.close()
    os.chmod(partial, 0o600)
    problems = quick_check(partial)
    if problems:
        partial.unlink()
        raise BackupError(f"the copy failed its check: {problems[0]}")
    os.replace(partial, target)
    return target.stat().st_size


def restore(backup_file: Path, database: Path) -> Path | None:
    """Put ``backup_file``'s contents into ``database`` while no bot runs; the file kept from
    before (None when there was none). Raises ``storage.db.AlreadyRunning`` while a bot holds
    the database, BackupError for a backup that is not a sound LDN Companion database."""
    if not backup_file.is_file():
        raise BackupError(f"no backup at {backup_file}")
    if backup_file.resolve() == database.resolve():
        raise BackupError("the backup is the database itself")
    try:
        problems = quick_check(backup_file)
    except DatabaseUnusable as error:
        raise BackupError(str(error)) from None
    if problems:
        raise BackupError(f"{backup_file} is damaged: {problems[0]}")
    source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master")}
        if not {"patients", "_sqlite_migrations"} <= tables:
            raise BackupError(f"{backup_file} is not an LDN Companion database")
        with instance_lock(database):
            kept = None
            if database.is_file() and database.stat().st_size:
                kept = database.with_name(
                    f"{database.name}.before-restore-{time.strftime('%Y%m%dT%H%M%S')}"
                )
                current = sqlite3.connect(str(database))
                try:
                    _copy(current, kept)
                finally:
                    current.close()
            target = sqlite3.connect(str(database))
            try:
                target.execute("PRAGMA journal_mode=WAL")
                source.backup(target)
                target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                target.close()
            os.chmod(database, 0o600)
            return kept
    finally:
        source.close()
