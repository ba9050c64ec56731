"""An outside writer takes the database lock right as a reminder is being sent, and
holds it past two busy timeouts (a long backup or an admin's sqlite3 session at bedtime): once
the lock is gone the reminder must be recorded as sent exactly once, and the bot must still stop
cleanly."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

import pytest

from bot.app import services_of
from scheduler.delivery import Outgoing
from scheduler.dispatch import Dispatcher
from storage.db import BUSY_TIMEOUT_MS
from tests.faults.conftest import MakeBot
from tests.faults.helpers import reminders, task_states
from tests.faults.locking import OutsideWriter

pytestmark = pytest.mark.faults
ANA = 1001
HELD = 2 * BUSY_TIMEOUT_MS / 1000 + 1.0  # longer than preparing *and* rescheduling wait
BEDTIME_UTC_HOUR = 21  # 22:00 in Berlin on the harness's first evening


@pytest.mark.slow
async def test_lock_taken_mid_send_delays_the_reminder_but_does_not_lose_it(
    make_bot: MakeBot,
) -> None:
    bot = await make_bot(rate_limit=False)
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    assert bot.app is not None
    dispatcher = services_of(bot.app).dispatcher
    assert isinstance(dispatcher, Dispatcher)
    writer = OutsideWriter(bot.db_path)
    send = dispatcher._send

    async def lock_then_send(message: Outgoing) -> int:
        if writer.taken_at is None:  # prepared, not yet recorded: the lock arrives now
            writer.lock()
        return await send(message)

    dispatcher._send = lock_then_send
    try:
        bot.clock.set(bot.clock.now().replace(hour=BEDTIME_UTC_HOUR, minute=0))
        await services_of(bot.app).wakeup.arm()
        await bot.emu.wait_for(lambda: writer.taken_at is not None, what="the outside lock")
        await writer.release_after(HELD)
        for _ in range(10):  # the lock is gone: retries run on the bot's clock
            await asyncio.wait_for(bot.advance(timedelta(seconds=30)), 5)
        assert reminders(bot, ANA) == 1
        assert task_states(bot) == ["sent"]
        await bot.stop()
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await bot.stop()
