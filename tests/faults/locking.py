"""Tools for the locked-database tests: an outside writer and an event-loop heartbeat."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from pathlib import Path


class OutsideWriter:
    """Another program (a backup, the sqlite3 CLI) holding the write lock: ``BEGIN IMMEDIATE``."""

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(path, timeout=0, isolation_level=None)
        self.taken_at: float | None = None

    def lock(self) -> None:
        self._conn.execute("BEGIN IMMEDIATE")
        self.taken_at = time.monotonic()

    async def release_after(self, seconds: float) -> None:
        """Release ``seconds`` after the lock was taken (real time: the bot waits for real)."""
        assert self.taken_at is not None
        await asyncio.sleep(max(0.0, self.taken_at + seconds - time.monotonic()))
        self.close()

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._conn.execute("ROLLBACK")
        self._conn.close()


class Heartbeat:
    """Wakes every ``period`` seconds and records how late it woke: the event loop's lag."""

    def __init__(self, period: float = 0.01) -> None:
        self._period = period
        self.max_lag = 0.0
        self.beats = 0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._beat())

    async def stop(self) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _beat(self) -> None:
        while True:
            before = time.monotonic()
            await asyncio.sleep(self._period)
            self.max_lag = max(self.max_lag, time.monotonic() - before - self._period)
            self.beats += 1
