"""The caregivers' send queue: prepared summaries and alerts in, sends out, outcomes in batches.

Separate from the patients' queue (``scheduler.dispatch``) so a Sunday evening's summaries never
stand in front of a bedtime reminder: the wake-up claims the patients' due rows first, and the
sender paces caregivers' messages behind the patients' scheduled ones (``bot.pacing``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from scheduler.caregiving import CareOutgoing, CarePrepared
from scheduler.clock import Clock
from scheduler.delivery import OutcomeUnknown, RecipientUnreachable, RetryLater, Undeliverable
from scheduler.recorder import Recorder
from scheduler.retries import MAX_ATTEMPTS, backoff_seconds
from storage import care_tasks
from storage.db import Store

log = logging.getLogger(__name__)

CareSend = Callable[[CareOutgoing], Awaitable[int]]


class CareDispatcher:
    """Workers that take prepared caregiver messages from a bounded queue and send each once.

    Each worker renders its summary's chart before waiting for a send slot, so ``concurrency``
    is also how many charts are rendered ahead: eight keep a slot from going unused while a
    chart is drawn (a worker process's chart takes tens of ms on a busy machine)."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        send: CareSend,
        *,
        concurrency: int = 8,
        on_reschedule: Callable[[], None] = lambda: None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._send = send
        self._concurrency = concurrency
        self._queue: asyncio.Queue[CarePrepared] = asyncio.Queue(maxsize=concurrency * 2)
        self._workers: list[asyncio.Task[None]] = []
        self._recorder = Recorder(store, clock, care_tasks.finish_many)
        self.on_reschedule = on_reschedule

    def start(self) -> None:
        self._recorder.start()
        self._workers = [
            asyncio.create_task(self._work(), name=f"care-dispatch-{n}")
            for n in range(self._concurrency)
        ]

    async def stop(self) -> None:
        await self.idle()
        for worker in self._workers:
            worker.cancel()
        for worker in self._workers:
            with contextlib.suppress(asyncio.CancelledError):
                await worker
        self._workers = []
        await self._recorder.stop()

    async def submit(self, prepared: CarePrepared) -> None:
        """Queue one; waits while the queue is full (back-pressure on the scan)."""
        await self._queue.put(prepared)

    @property
    def unrecorded(self) -> int:
        return self._recorder.held

    async def idle(self) -> None:
        await self._queue.join()
        await self._recorder.drain()

    async def _work(self) -> None:
        while True:
            prepared = await self._queue.get()
            try:
                await self._deliver(prepared)
            except Exception:
                log.exception("caregiver task %s failed unexpectedly", prepared.task.id)
                self._recorder.add(prepared.task.id, "not_sent")
            finally:
                self._queue.task_done()

    async def _deliver(self, prepared: CarePrepared) -> None:
        task, outgoing = prepared.task, prepared.outgoing
        assert outgoing is not None
        try:
            message_id = await self._send(outgoing)
        except RecipientUnreachable:
            log.info("caregiver of link %s unreachable; task %s not sent", task.link_id, task.id)
            self._recorder.add(task.id, "not_sent")
        except RetryLater as exc:
            if task.attempts >= MAX_ATTEMPTS:
                self._recorder.add(task.id, "not_sent")
                return
            delay = exc.after + 0.5 if exc.after is not None else backoff_seconds(task.attempts)
            when = self._clock.now() + timedelta(seconds=delay)
            await self._store.run(care_tasks.retry_at, task.id, when)
            self.on_reschedule()
        except OutcomeUnknown:
            self._recorder.add(task.id, "sent")  # never twice: a caregiver is not nagged
        except Undeliverable:
            log.error("caregiver task %s refused by Telegram; not retrying", task.id)
            self._recorder.add(task.id, "not_sent")
        else:
            self._recorder.add(task.id, "sent", message_id)
