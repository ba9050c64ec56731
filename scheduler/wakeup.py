"""The one APScheduler job: a wake-up armed for the earliest due instant in the database.

APScheduler holds a constant number of jobs however many patients there are. When the wake-up
fires it claims and prepares due tasks a chunk at a time (one transaction each) and hands them to
the dispatcher, then re-arms itself. It never sleeps longer than ``MAX_SLEEP`` so a system clock
jump is caught within minutes.

Writes from another process (the operator's ``ldn-bot admin …`` moving a reminder, setting a
dose, pausing, changing a rule) are noticed within ``WATCH_EVERY``: a small loop asks SQLite's
``PRAGMA data_version`` of the bot's connection, which changes only when another connection
committed (one cheap call on the database thread, however many patients there are, and no
table read), and re-arms when it did. The bot's own writes re-arm through ``poke``.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from sqlite_utils import Database

from scheduler import caregiving
from scheduler.care_dispatch import CareDispatcher
from scheduler.claim import claim_and_prepare
from scheduler.clock import Clock
from scheduler.dispatch import Dispatcher
from storage import care_tasks, tasks
from storage.db import Store

log = logging.getLogger(__name__)

JOB_ID = "wakeup"
MAX_SLEEP = timedelta(minutes=10)
WATCH_EVERY = 15.0  # seconds between looks for another process's writes
AFTER_FAILED_SCAN = timedelta(seconds=5)  # e.g. disk full: try again soon, not in a tight loop
CHUNK = 32  # tasks per claim: one transaction, and few prepared messages waiting to be sent
# Caregivers' rows per claim: small, because the scan waits while their queue is full and only
# looks at the patients' due tasks again between claims (a reminder waits at most this many
# paced summaries: 8 / 28.5 s ≈ 0.3 s).
CARE_CHUNK = 8


class Wakeup:
    """Arms, fires and re-arms the single wake-up job."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        dispatcher: Dispatcher,
        *,
        chunk: int = CHUNK,
        care: CareDispatcher | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._dispatcher = dispatcher
        self._care = care
        self._chunk = chunk
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._tick_lock = asyncio.Lock()
        self._ticked = asyncio.Event()
        self._last_scan_failed = False
        self._poke_pending = False
        self._armed_for: datetime | None = None
        self.watch_every = WATCH_EVERY
        self._watcher: asyncio.Task[None] | None = None
        dispatcher.on_reschedule = self.poke
        if care is not None:
            care.on_reschedule = self.poke

    async def start(self) -> None:
        """Put crashed in-flight tasks back, start APScheduler and arm the first wake-up."""
        recovered = await self._store.run(tasks.recover_in_flight)
        if recovered:
            log.warning("re-queued %s tasks that were in flight at the last stop", recovered)
        if self._care is not None:
            await self._store.run(care_tasks.recover_in_flight)
            await self._store.run(caregiving.arm_missing_summaries, self._clock.now())
        seen = await self._store.run(_data_version)  # before arming: nothing slips between
        self._scheduler.start()
        await self.arm()
        self._watcher = asyncio.get_running_loop().create_task(self._watch(seen))

    def shutdown(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            self._watcher = None
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    async def _watch(self, seen: int) -> None:
        """Re-arm when another process committed to the database (see the module docstring)."""
        while True:
            await asyncio.sleep(self.watch_every)
            try:
                version = await self._store.run(_data_version)
            except Exception:  # the store closing or lost: its own guard tells the bot
                log.debug("could not read data_version", exc_info=True)
                continue
            if version != seen:
                seen = version
                self.poke()

    @property
    def job_count(self) -> int:
        return len(self._scheduler.get_jobs())

    async def arm(self, *, not_before: timedelta = timedelta(0)) -> None:
        """(Re-)arm the job for the earliest pending task, or for MAX_SLEEP from now."""
        earliest = await self._store.run(_earliest_due)
        now = self._clock.now()
        target = now + MAX_SLEEP if earliest is None else min(earliest, now + MAX_SLEEP)
        target = max(target, now + not_before)
        delay = max((target - now).total_seconds(), 0.0)
        self._armed_for = target
        self._scheduler.add_job(
            self._tick,
            trigger=DateTrigger(datetime.now(UTC) + timedelta(seconds=delay)),
            id=JOB_ID,
            replace_existing=True,
            misfire_grace_time=None,  # run however late: the database knows what is due
            coalesce=True,
            # A tick re-arms the job while it is still running; with one instance allowed,
            # APScheduler would skip (and so lose) that next run. Ticks serialise on _tick_lock.
            max_instances=3,
        )

    def poke(self) -> None:
        """Something was (re)scheduled: re-arm soon. Cheap and safe to call often."""
        if self._poke_pending or not self._scheduler.running:
            return
        self._poke_pending = True

        async def rearm() -> None:
            self._poke_pending = False
            await self.arm()

        asyncio.get_running_loop().create_task(rearm())

    async def _tick(self) -> None:
        pause = timedelta(0)
        self._last_scan_failed = False
        try:
            async with self._tick_lock:
                while True:
                    claimed = await self._store.run(
                        claim_and_prepare, self._clock.now(), self._chunk
                    )
                    for prepared in claimed.ready:
                        await self._dispatcher.submit(prepared)
                    if claimed.count == self._chunk:
                        continue  # patients' reminders first: a caregiver's summary can wait
                    if self._care is None:
                        break
                    cared = await self._store.run(
                        caregiving.claim_and_prepare, self._clock.now(), CARE_CHUNK
                    )
                    for ready in cared.ready:
                        await self._care.submit(ready)
                    if cared.count < CARE_CHUNK:
                        break
        except Exception:
            log.exception("wake-up scan failed; trying again shortly")
            pause = AFTER_FAILED_SCAN
            self._last_scan_failed = True
        finally:
            self._ticked.set()
            await self.arm(not_before=pause)

    async def settle(self, max_rounds: int = 1000) -> None:
        """Fire until nothing is due at the clock's ``now`` and every send is done (tests, CLI)."""
        for _ in range(max_rounds):
            self._ticked.clear()
            async with self._tick_lock:  # a scan in progress has handed over what it claimed
                pass
            await self._dispatcher.idle()
            if self._care is not None:
                await self._care.idle()
            earliest = await self._store.run(_earliest_due)
            due_now = earliest is not None and earliest <= self._clock.now()
            # Tasks whose outcome waits for the database (a full disk) are done, as far as
            # sending goes: they are written as soon as there is room.
            in_flight = await self._store.run(tasks.in_flight) - self._dispatcher.unrecorded
            if self._care is not None:
                in_flight += await self._store.run(care_tasks.in_flight) - self._care.unrecorded
            if not due_now and in_flight <= 0:
                return
            if due_now:
                await self.arm()
            # Claimed but not yet queued means a scan is running; it sets _ticked when done.
            await self._ticked.wait()
            if self._last_scan_failed:
                return  # the database refuses writes (full disk): retried after a pause
        raise RuntimeError("scheduler did not settle")


def _data_version(db: Database) -> int:
    """Changes when another connection commits to the file (never for this one's own writes)."""
    return int(db.execute("PRAGMA data_version").fetchone()[0])


def _earliest_due(db: Database) -> datetime | None:
    """The earliest pending row, a patient's task or a caregiver's."""
    found = [t for t in (tasks.earliest_due(db), care_tasks.earliest_due(db)) if t is not None]
    return min(found) if found else None
