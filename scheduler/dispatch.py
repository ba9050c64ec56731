"""The bounded send queue: load → decide → send → record, for each due task.

A fixed number of workers keep a small number of requests in flight (cheap for httpx and within
Telegram's limits); transient failures go back into the due table with a backoff, so nothing is
dropped and nothing is retried in a tight loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable
from datetime import timedelta

from scheduler import due
from scheduler.clock import Clock
from scheduler.delivery import (
    OutcomeUnknown,
    RecipientUnreachable,
    RetryLater,
    Send,
    Undeliverable,
)
from storage import tasks
from storage.db import Store
from storage.tasks import Task
from titration.reminders import TaskKind

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
MAX_BACKOFF_SECONDS = 300.0


def backoff_seconds(attempts: int) -> float:
    """Capped exponential backoff with jitter: ~2 s, 4 s, 8 s … up to five minutes."""
    base: float = min(2.0**attempts, MAX_BACKOFF_SECONDS)
    return base * random.uniform(0.8, 1.2)


class Dispatcher:
    """Workers that take claimed tasks from a bounded queue and see each one through."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        send: Send,
        *,
        concurrency: int = 8,
        on_reschedule: Callable[[], None] = lambda: None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._send = send
        self._concurrency = concurrency
        self._queue: asyncio.Queue[Task] = asyncio.Queue(maxsize=concurrency * 4)
        self._workers: list[asyncio.Task[None]] = []
        self.on_reschedule = on_reschedule

    def start(self) -> None:
        self._workers = [
            asyncio.create_task(self._work(), name=f"dispatch-{n}")
            for n in range(self._concurrency)
        ]

    async def stop(self) -> None:
        """Finish what is queued, then stop the workers."""
        await self._queue.join()
        for worker in self._workers:
            worker.cancel()
        for worker in self._workers:
            with contextlib.suppress(asyncio.CancelledError):
                await worker
        self._workers = []

    async def submit(self, task: Task) -> None:
        """Queue a claimed task; waits while the queue is full (back-pressure on the scan)."""
        await self._queue.put(task)

    async def idle(self) -> None:
        """Return once every queued task has been seen through."""
        await self._queue.join()

    async def _work(self) -> None:
        while True:
            task = await self._queue.get()
            try:
                await self.process(task)
            except Exception:
                log.exception("task %s (%s) failed unexpectedly", task.id, task.kind)
                try:
                    await self._retry(task, None, capped=True)
                except Exception:  # keep the worker alive; recovery re-queues it on restart
                    log.exception("could not reschedule task %s", task.id)
            finally:
                self._queue.task_done()

    async def process(self, task: Task) -> None:
        """See one claimed task through: prepare, send if needed, record the outcome."""
        prepared = await self._store.run(due.prepare, task, self._clock.now())
        self.on_reschedule()
        if prepared.outgoing is None:
            await self._store.run(tasks.finish, task.id, prepared.final_state, self._clock.now())
            return
        try:
            message_id = await self._send(prepared.outgoing)
        except RecipientUnreachable as exc:
            log.info("patient %s unreachable (%s); pausing their reminders", task.patient_id, exc)
            await self._store.run(due.record_unreachable, task, exc.reason, self._clock.now())
        except RetryLater as exc:
            await self._retry(task, exc.after)
        except OutcomeUnknown:
            # Telegram may have delivered it. Reminders get one more try (the dose id makes a
            # duplicate harmless); after that we count it as sent rather than nag.
            if task.kind is TaskKind.REMINDER and task.attempts < 2:
                await self._retry(task, 1.0)
            else:
                await self._store.run(tasks.finish, task.id, "sent", self._clock.now())
        except Undeliverable:
            log.error("task %s (%s) refused by Telegram; not retrying", task.id, task.kind)
            await self._store.run(tasks.finish, task.id, "not_sent", self._clock.now())
        else:
            await self._store.run(tasks.finish, task.id, "sent", self._clock.now(), message_id)

    async def _retry(self, task: Task, after: float | None, *, capped: bool = False) -> None:
        """Try again later. Transient Telegram failures are not capped: the task's own grace
        window (``decide``) ends them; only unexpected errors give up after MAX_ATTEMPTS."""
        if capped and task.attempts >= MAX_ATTEMPTS:
            log.error("task %s (%s) gave up after %s attempts", task.id, task.kind, task.attempts)
            await self._store.run(tasks.finish, task.id, "not_sent", self._clock.now())
            return
        delay = after + 0.5 if after is not None else backoff_seconds(task.attempts)
        when = self._clock.now() + timedelta(seconds=delay)
        await self._store.run(tasks.retry_at, task.id, when)
        self.on_reschedule()
