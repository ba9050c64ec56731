"""Group commit for send outcomes: every outcome waiting when a write starts goes in that write.

While one transaction is being written (and fsynced), the outcomes of the sends that finish
meanwhile queue up and go into the next one, so a busy evening costs a handful of commits a
second instead of one per message, and a quiet one adds no delay at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from sqlite_utils import Database

from scheduler.clock import Clock
from storage import tasks
from storage.db import Store

log = logging.getLogger(__name__)

RETRY_WRITE_SECONDS = 1.0

Outcome = tuple[int, str, int | None]  # (task id, final state, Telegram message id)
Write = Callable[[Database, list[Outcome], datetime], None]


class Recorder:
    """Collects final task states and writes them in batches from one coroutine."""

    def __init__(self, store: Store, clock: Clock, write: Write = tasks.finish_many) -> None:
        self._store = store
        self._write = write
        self._clock = clock
        self._waiting: list[Outcome] = []
        self._wake = asyncio.Event()
        self._written = asyncio.Condition()
        self._writing = 0  # outcomes taken for the write in progress
        self._failing = False  # the last write failed; the next try is a second away
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outcome-recorder")

    async def stop(self) -> None:
        """Write what is waiting, then stop."""
        await self.drain()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def add(self, task_id: int, state: str, message_id: int | None = None) -> None:
        self._waiting.append((task_id, state, message_id))
        self._wake.set()

    @property
    def held(self) -> int:
        """Outcomes not yet written (waiting, or in the write in progress)."""
        return len(self._waiting) + self._writing

    async def drain(self) -> None:
        """Return once every outcome added so far is written, or has been tried and failed.

        While the database cannot be written (a full disk) the outcomes stay held and are
        retried every second; waiting for them would hang whoever drains until there is room.
        """
        async with self._written:
            await self._written.wait_for(
                lambda: not self._writing and (not self._waiting or self._failing)
            )

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            batch, self._waiting = self._waiting, []
            self._writing = len(batch)
            try:
                await self._store.run(self._write, batch, self._clock.now())
                self._failing = False
            except Exception:
                # The tasks stay "sending": they are written on the next try, or re-sent after a
                # restart (at-least-once), never lost.
                log.exception("could not record %s send outcomes; retrying", len(batch))
                self._waiting = batch + self._waiting
                self._failing = True
            finally:
                self._writing = 0
                async with self._written:
                    self._written.notify_all()
            if self._failing:
                await asyncio.sleep(RETRY_WRITE_SECONDS)
                self._wake.set()
