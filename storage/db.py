"""Opening the SQLite database: pragmas, the single-instance lock, and the one database thread.

All database work runs on one dedicated thread so the event loop never blocks on SQLite, and a
second bot process on the same file refuses to start (two pollers would send double reminders).

The data files are guarded. At start-up a file that cannot be used as it is (random bytes, a
damaged header, a truncated file, a read-only mount, an immutable file) stops the bot with
``DatabaseUnusable``, whose message names the file and what to do. A database is created only on
a first run: the instance lock file (``ldn.db.lock``) stays next to the database for good, so a
missing or empty database beside it means the database vanished, and only ``ldn-bot init`` may
then create an empty one. While open, every job first checks that the path still names the file
that was opened (and its WAL and shared memory): a deleted or replaced file stops all reading and
writing (``DatabaseLost``), the open copy is saved next to it, the bot is told to stop, and the
WAL it leaves is renamed so that it is never replayed into the file put back.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from sqlite_utils import Database

from storage.migrations import MIGRATIONS

BUSY_TIMEOUT_MS = 5000
WATCH_EVERY = 5.0  # seconds between checks of the files while no other database work happens

P = ParamSpec("P")
T = TypeVar("T")

log = logging.getLogger(__name__)

_RESTORE = "restore it from a backup (docs/deploy.md, Backups)"


class AlreadyRunning(RuntimeError):
    """Another process holds this database's instance lock."""


class DatabaseUnusable(Exception):
    """The database file cannot be used as it is; the message names it and says what to do."""


class DatabaseLost(sqlite3.DatabaseError):
    """The database file was deleted or replaced while open: nothing more is read or written.

    A ``sqlite3.DatabaseError``, so every caller that says "not saved, try again" says so."""


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


def unusable(path: Path, error: sqlite3.Error) -> DatabaseUnusable | None:
    """What to tell the operator about ``error`` from the file at ``path``; None when it says
    nothing about the file (a busy database, a bug)."""
    code = (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF  # the primary result code
    if code == sqlite3.SQLITE_NOTADB:
        why = f"{path} is not an SQLite database (random bytes or a damaged header): {_RESTORE}"
    elif code == sqlite3.SQLITE_CORRUPT:
        why = f"{path} is damaged (a truncated file or a corrupted page): {_RESTORE}"
    elif code == sqlite3.SQLITE_READONLY:
        why = _not_writable(path, "read-only")
    elif code == sqlite3.SQLITE_CANTOPEN:
        why = f"cannot open {path}: check that it is a file and that the bot may write its folder"
    elif code == sqlite3.SQLITE_IOERR:
        why = f"reading or writing {path} failed (disk I/O error): check the disk, then {_RESTORE}"
    else:
        return None
    return DatabaseUnusable(why)


def _not_writable(path: Path, reason: str) -> str:
    return (
        f"{path} cannot be written ({reason}): check for a read-only mount, the immutable "
        "attribute (lsattr; chattr -i) and that the bot's user owns it with mode 0600"
    )


def quick_check(path: Path) -> list[str]:
    """``PRAGMA quick_check`` of the database at ``path``, read-only (safe while the bot runs):
    the problems found, [] when none. Raises DatabaseUnusable when the file cannot be read."""
    if not path.is_file():
        raise DatabaseUnusable(f"{path} does not exist: {_RESTORE}")
    try:
        with contextlib.closing(
            sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        ) as conn:
            rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.Error as error:
        raise unusable(path, error) or DatabaseUnusable(f"{path}: {error}") from None
    problems = [str(row[0]) for row in rows]
    return [] if problems == ["ok"] else problems


def _make_folder(folder: Path) -> None:
    """The data folder, created 0700 when missing (it holds health data)."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise DatabaseUnusable(
            f"cannot create the data folder {folder} ({error.strerror}): check DATABASE_PATH "
            "and that the bot's user may create it"
        ) from None


def _acquire_instance_lock(lock_path: Path, database: Path) -> int:
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as error:
        raise DatabaseUnusable(
            f"cannot write {lock_path} ({error.strerror}): the bot's user must be able to write "
            f"the data folder {lock_path.parent} (a read-only mount?)"
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise AlreadyRunning(
            f"another LDN Companion process is already using {database}; stop it first"
        ) from None
    return fd


def _check_file(path: Path, lock_path: Path, *, seen_before: bool, init: bool) -> None:
    """Refuse a vanished database (unless ``init``) and a file the bot may not write."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        size = None
    if not size and seen_before and not init:
        what = "is missing" if size is None else "is empty"
        raise DatabaseUnusable(
            f"{path} {what}, but a database was here before ({lock_path} exists): {_RESTORE}, "
            "or run `ldn-bot init` to start again with an empty database"
        )
    if size is None:
        return
    try:
        os.close(os.open(path, os.O_RDWR))
    except OSError as error:
        raise DatabaseUnusable(_not_writable(path, error.strerror or str(error))) from None


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at ``path``, None when there is none."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_dev, stat.st_ino


class Store:
    """The open database plus the single thread that touches it.

    ``await store.run(fn, a, b)`` calls ``fn(db, a, b)`` on the database thread.

    ``init``: create an empty database even where one existed before (``ldn-bot init``).
    """

    def __init__(self, path: Path | str, *, exclusive: bool = True, init: bool = False) -> None:
        self.path = Path(path)
        self.created = False  # True when this open created the database
        self.lost: str | None = None  # why the database was given up while open
        self._stamp = ""  # when it was given up, in the names of the files kept
        self._files: dict[Path, tuple[int, int]] = {}  # the files opened: (device, inode)
        self._on_lost: Callable[[], None] | None = None
        self._closing = threading.Event()
        self._watcher: threading.Thread | None = None
        _make_folder(self.path.parent)
        # The resolved path: a symlink or another spelling of the same file takes the same lock.
        resolved = self.path.resolve()
        lock_path = resolved.with_name(resolved.name + ".lock")
        seen_before = lock_path.exists()  # the lock file is what tells a first run
        self._lock_fd = _acquire_instance_lock(lock_path, self.path) if exclusive else None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")
        try:
            _check_file(self.path, lock_path, seen_before=seen_before, init=init)
            self.db = self._executor.submit(self._open).result()
        except BaseException:
            self._executor.shutdown()
            self._release()
            raise

    def _open(self) -> Database:
        self.created = not self.path.exists() or self.path.stat().st_size == 0
        try:
            db = connect(self.path)
            db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # reads the header
            with contextlib.suppress(OSError):
                os.chmod(self.path, 0o600)
            MIGRATIONS.apply(db)
        except sqlite3.Error as error:
            raise unusable(self.path, error) or error from None
        for path in (self.path, *self._companions()):
            identity = _identity(path)
            if identity is not None:
                self._files[path] = identity
        return db

    def _companions(self) -> tuple[Path, Path]:
        """SQLite's WAL and shared-memory files beside the database."""
        return (
            self.path.with_name(self.path.name + "-wal"),
            self.path.with_name(self.path.name + "-shm"),
        )

    async def run(
        self, fn: Callable[Concatenate[Database, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run ``fn(db, *args, **kwargs)`` on the database thread and return its result."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._job(fn, *args, **kwargs))

    def run_sync(
        self, fn: Callable[Concatenate[Database, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """The same as ``run`` for code outside the event loop (CLI, tests)."""
        return self._executor.submit(self._job(fn, *args, **kwargs)).result()

    def _job(
        self, fn: Callable[Concatenate[Database, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> Callable[[], T]:
        def job() -> T:
            self._check_files()
            return fn(self.db, *args, **kwargs)

        return job

    # The guard ---------------------------------------------------------------------------------

    def guard(self, on_lost: Callable[[], None], every: float = WATCH_EVERY) -> None:
        """Call ``on_lost`` (once, from the database thread) when the database file is found
        deleted or replaced; besides the check before every job, look every ``every`` seconds."""
        self._on_lost = on_lost
        self._watcher = threading.Thread(
            target=self._watch, args=(every,), name="sqlite-guard", daemon=True
        )
        self._watcher.start()

    def _watch(self, every: float) -> None:
        while not self._closing.wait(every):
            with contextlib.suppress(Exception):  # DatabaseLost, or the store closing
                self.run_sync(lambda db: None)

    def _check_files(self) -> None:
        """Raise DatabaseLost unless the paths still name the files opened (3 stats, ~8 µs)."""
        if self.lost is None:
            for path, identity in self._files.items():
                now = _identity(path)
                if now != identity:
                    self._give_up(path, "was deleted" if now is None else "was replaced")
                    break
        if self.lost is not None:
            raise DatabaseLost(self.lost)

    def _give_up(self, path: Path, what: str) -> None:
        """Stop using the database, keep what the open file holds, log it once, tell the bot."""
        self._stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        self.lost = (
            f"{path} {what} while the bot was running: nothing more is written; "
            f"{self._rescue()}; stopping. Put the database back in place (docs/deploy.md, "
            f"Backups), then start the bot again"
        )
        log.critical("%s", self.lost)
        if self._on_lost is not None:
            self._on_lost()

    def _rescue(self) -> str:
        """Copy the open database (it still reads the file it opened) next to the path."""
        target = self.path.with_name(f"{self.path.name}.rescued-{self._stamp}")
        try:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            with contextlib.closing(sqlite3.connect(target)) as copy:
                self.db.conn.backup(copy)
        except (OSError, sqlite3.Error) as error:
            return f"the open copy could not be saved ({type(error).__name__})"
        return f"the open copy was saved as {target}"

    def close(self) -> None:
        """Finish queued work, close the connection and release the instance lock."""
        self._closing.set()
        if self._watcher is not None:
            self._watcher.join()
        with contextlib.suppress(Exception):
            self._executor.submit(self.db.close).result()
        self._executor.shutdown(wait=True)
        if self.lost is not None:
            self._set_aside_leftovers()
        self._release()

    def _set_aside_leftovers(self) -> None:
        """Our WAL and shared memory, left behind when the database was lost, would be
        replayed into whatever file is put back at the path: rename them (the rescued copy
        already holds what they held)."""
        for path in self._companions():
            if path in self._files and _identity(path) == self._files[path]:
                with contextlib.suppress(OSError):
                    path.rename(path.with_name(f"{path.name}.lost-{self._stamp}"))

    def _release(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None


@contextlib.contextmanager
def instance_lock(path: Path) -> Iterator[None]:
    """Hold the database's instance lock (as a running bot does) for a while: raises
    ``AlreadyRunning`` when a bot holds it, and keeps a bot from starting meanwhile."""
    resolved = path.resolve()
    fd = _acquire_instance_lock(resolved.with_name(resolved.name + ".lock"), path)
    try:
        yield
    finally:
        os.close(fd)
