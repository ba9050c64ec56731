"""The event loop blocked for 3 s right at fire time (F19): the reminder still goes out, because
the wake-up job runs however late it is (misfire_grace_time=None). A guard test shows that
APScheduler's default grace of 1 s would have dropped the same job silently.

APScheduler times its jobs by the system clock, so these tests take real seconds; the bot's own
clock moves with real time here (``RealTimeClock``) so that what is due matches what fires.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

from bot.app import services_of
from tests.clock import FakeClock
from tests.faults.conftest import MakeBot
from tests.faults.helpers import REMINDER, reminders, task_states

pytestmark = pytest.mark.faults
ANA = 1001
BLOCK_SECONDS = 3.0
BEDTIME_UTC = datetime(2026, 11, 28, 21, 0, tzinfo=UTC)  # 22:00 in Berlin


class RealTimeClock(FakeClock):
    """A FakeClock that also runs on with real (monotonic) time once created."""

    def __init__(self, start: datetime) -> None:
        super().__init__(start)
        self._origin = time.monotonic()

    def now(self) -> datetime:
        return super().now() + timedelta(seconds=time.monotonic() - self._origin)

    def restart_at(self, instant: datetime) -> None:
        """Jump to ``instant`` and run on from there."""
        super().set(instant)
        self._origin = time.monotonic()


class LoopBlocker:
    """Blocks the event loop with a plain ``time.sleep`` (as stray sync I/O would)."""

    def __init__(self) -> None:
        self.span: tuple[float, float] | None = None

    def block_soon(self, seconds: float) -> None:
        asyncio.get_running_loop().call_soon(self._block, seconds)

    def _block(self, seconds: float) -> None:
        start = time.monotonic()
        time.sleep(seconds)
        self.span = (start, time.monotonic())


async def test_reminder_still_sent_when_the_loop_is_blocked_at_fire_time(
    make_bot: MakeBot, caplog: pytest.LogCaptureFixture
) -> None:
    lead = 0.5  # the wake-up fires half a second after arming, in the middle of the block
    clock = RealTimeClock(BEDTIME_UTC - timedelta(hours=1))
    bot = await make_bot(clock=clock)
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    assert bot.app is not None
    clock.restart_at(BEDTIME_UTC - timedelta(seconds=lead))
    await services_of(bot.app).wakeup.arm()
    fire_at = time.monotonic() + lead
    blocker = LoopBlocker()
    blocker.block_soon(BLOCK_SECONDS)
    await bot.emu.wait_for_message(ANA, contains=REMINDER, timeout=BLOCK_SECONDS + 10)
    assert blocker.span is not None
    assert blocker.span[0] < fire_at < blocker.span[1]  # the loop really was stuck at fire time
    await bot.settle()  # the send queue has recorded the outcome
    assert task_states(bot) == ["sent"]
    assert reminders(bot, ANA) == 1
    missed = [r for r in caplog.records if "was missed by" in r.getMessage()]
    assert missed == []
    assert caplog.records  # the capture works, so the empty list above means something
    assert logging.getLogger("apscheduler").getEffectiveLevel() <= logging.WARNING


async def test_guard_apscheduler_default_grace_drops_a_late_job() -> None:
    scheduler = AsyncIOScheduler(timezone=UTC)
    missed: list[str] = []
    ran: list[str] = []
    ours_ran = asyncio.Event()

    def on_missed(event: JobExecutionEvent) -> None:
        missed.append(event.job_id)

    async def job(name: str) -> None:
        ran.append(name)
        if name == "grace=None":
            ours_ran.set()

    scheduler.add_listener(on_missed, EVENT_JOB_MISSED)
    scheduler.start()
    try:
        when = DateTrigger(datetime.now(UTC) + timedelta(seconds=0.5))
        scheduler.add_job(job, when, args=["default"], id="default")  # grace: APScheduler's 1 s
        scheduler.add_job(job, when, args=["grace=None"], id="ours", misfire_grace_time=None)
        LoopBlocker().block_soon(BLOCK_SECONDS)
        await asyncio.wait_for(ours_ran.wait(), BLOCK_SECONDS + 10)
    finally:
        scheduler.shutdown(wait=False)
    assert ran == ["grace=None"]
    assert missed == ["default"]
