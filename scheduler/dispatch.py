"""The bounded send queue: prepared tasks in, sends out, outcomes recorded in batches.

A fixed number of workers keep a small number of requests in flight (cheap for the HTTP client and
within Telegram's limits); transient failures go back into the due table with a backoff, so nothing
is dropped and nothing is retried in a tight loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import timedelta

from scheduler import due
from scheduler.claim import give_up_or_retry
from scheduler.clock import Clock
from scheduler.delivery import (
    OutcomeUnknown,
    RecipientUnreachable,
    RetryLater,
    Send,
    Undeliverable,
)
from scheduler.prepared import Prepared
from scheduler.recorder import Recorder
from scheduler.retries import backoff_seconds
from storage import tasks
from storage.db import Store
from storage.tasks import Task
from titration.reminders import TaskKind

log = logging.getLogger(__name__)

# Far longer than anything waits in the queue; past this many entries, older ones are dropped.
WITHDRAWN_FOR = 600.0
_FORGET_WITHDRAWN_OVER = 1024


class Dispatcher:
    """Workers that take prepared tasks from a bounded queue and see each one through."""

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
        self._queue: asyncio.Queue[Prepared] = asyncio.Queue(maxsize=concurrency * 4)
        self._workers: list[asyncio.Task[None]] = []
        self._recorder = Recorder(store, clock)
        self._withdrawn: dict[int, float] = {}  # patient id -> when (monotonic)
        self.on_reschedule = on_reschedule

    def start(self) -> None:
        self._recorder.start()
        self._workers = [
            asyncio.create_task(self._work(), name=f"dispatch-{n}")
            for n in range(self._concurrency)
        ]

    async def stop(self) -> None:
        """Finish what is queued and record it, then stop the workers."""
        await self.idle()
        for worker in self._workers:
            worker.cancel()
        for worker in self._workers:
            with contextlib.suppress(asyncio.CancelledError):
                await worker
        self._workers = []
        await self._recorder.stop()

    async def submit(self, prepared: Prepared) -> None:
        """Queue a prepared task; waits while the queue is full (back-pressure on the scan)."""
        await self._queue.put(prepared)

    def withdraw(self, patient_id: int) -> None:
        """The patient paused or erased their data: what is already prepared for them is not
        sent. (Their pending tasks were cancelled in the database; this covers the messages
        prepared and waiting in this queue, up to a couple of seconds when paced. One that a
        worker has already taken, and that waits for its pacer slot, still goes.)"""
        now = time.monotonic()
        if len(self._withdrawn) > _FORGET_WITHDRAWN_OVER:
            stale = now - WITHDRAWN_FOR
            self._withdrawn = {p: at for p, at in self._withdrawn.items() if at > stale}
        self._withdrawn[patient_id] = now

    def _was_withdrawn(self, prepared: Prepared) -> bool:
        at = self._withdrawn.get(prepared.task.patient_id)
        return at is not None and at >= prepared.prepared_at

    @property
    def unrecorded(self) -> int:
        """Tasks sent (or given up) whose outcome is not yet written to the database."""
        return self._recorder.held

    async def idle(self) -> None:
        """Return once every queued task has been seen through and its outcome recorded."""
        await self._queue.join()
        await self._recorder.drain()

    async def _work(self) -> None:
        while True:
            prepared = await self._queue.get()
            task = prepared.task
            try:
                await self._deliver(prepared)
            except Exception:
                log.exception("task %s (%s) failed unexpectedly", task.id, task.kind)
                try:
                    await self._store.run(give_up_or_retry, task, self._clock.now())
                    self.on_reschedule()
                except Exception:  # keep the worker alive; recovery re-queues it on restart
                    log.exception("could not reschedule task %s", task.id)
            finally:
                self._queue.task_done()

    async def _deliver(self, prepared: Prepared) -> None:
        """Send one prepared message and hand its outcome on."""
        task, outgoing = prepared.task, prepared.outgoing
        assert outgoing is not None
        if self._was_withdrawn(prepared):
            self._recorder.add(task.id, "cancelled")
            return
        try:
            message_id = await self._send(outgoing)
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
                self._recorder.add(task.id, "sent")
        except Undeliverable:
            log.error("task %s (%s) refused by Telegram; not retrying", task.id, task.kind)
            self._recorder.add(task.id, "not_sent")
        else:
            self._recorder.add(task.id, "sent", message_id)

    async def _retry(self, task: Task, after: float | None) -> None:
        """Try again later. Transient Telegram failures are not capped: the task's own grace
        window (``decide``) ends them."""
        delay = after + 0.5 if after is not None else backoff_seconds(task.attempts)
        when = self._clock.now() + timedelta(seconds=delay)
        await self._store.run(tasks.retry_at, task.id, when)
        self.on_reschedule()
