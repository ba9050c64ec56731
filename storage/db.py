"""Opening the SQLite database: pragmas, the single-instance lock, and the one database thread.

All database work runs on one dedicated thread so the event loop never blocks on SQLite, and a
second bot process on the same file refuses to start (two pollers would send double reminders).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from sqlite_utils import Database

from storage.migrations import MIGRATIONS

BUSY_TIMEOUT_MS = 5000

P = ParamSpec("P")
T = TypeVar("T")


class AlreadyRunning(RuntimeError):
    """Another process holds this database's instance lock."""


def connect(path: Path | str) -> Database:
    """A sqlite-utils Database on ``path`` with our pragmas, usable from any one thread."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA secure_delete=ON")
    return Database(conn)


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``: takes the write lock up front, so it waits, not fails.

    Inside an open transaction it simply joins it: an error rolls back the whole outer
    transaction, which is what every caller wants (nothing here catches and carries on).
    """
    if db.conn.in_transaction:
        yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.execute("COMMIT")


def _acquire_instance_lock(path: Path) -> int:
    lock_path = path.with_name(path.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise AlreadyRunning(
            f"another LDN Companion process is already using {path}; stop it first"
        ) from None
    return fd


class Store:
    """The open database plus the single thread that touches it.

    ``await store.run(fn, a, b)`` calls ``fn(db, a, b)`` on the database thread.
    """

    def __init__(self, path: Path | str, *, exclusive: bool = True) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # The resolved path: a symlink or another spelling of the same file takes the same lock.
        self._lock_fd = _acquire_instance_lock(self.path.resolve()) if exclusive else None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")
        try:
            self.db = self._executor.submit(self._open).result()
        except BaseException:
            self._release()
            raise

    def _open(self) -> Database:
        db = connect(self.path)
        with contextlib.suppress(OSError):
            os.chmod(self.path, 0o600)
        MIGRATIONS.apply(db)
        return db

    async def run(
        self, fn: Callable[Concatenate[Database, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run ``fn(db, *args, **kwargs)`` on the database thread and return its result."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: fn(self.db, *args, **kwargs))

    def run_sync(
        self, fn: Callable[Concatenate[Database, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """The same as ``run`` for code outside the event loop (CLI, tests)."""
        return self._executor.submit(lambda: fn(self.db, *args, **kwargs)).result()

    def close(self) -> None:
        """Finish queued work, close the connection and release the instance lock."""
        with contextlib.suppress(Exception):
            self._executor.submit(self.db.close).result()
        self._executor.shutdown(wait=True)
        self._release()

    def _release(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None
