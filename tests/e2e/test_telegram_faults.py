"""Telegram errors while sending reminders: 429, 5xx with HTML, timeouts, blocked users."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.e2e.harness import BotHarness, onboard
from tests.emulator import BotApiEmulator

pytestmark = pytest.mark.e2e
ANA = 1001


def reminder_count(bot: BotHarness) -> int:
    return len(bot.sent_as(ANA, "tonight's LDN"))


def send_attempts(emu: BotApiEmulator) -> int:
    return sum(
        "tonight's LDN" in str(c.params.get("text", "")) for c in emu.calls_to("sendMessage")
    )


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_429_is_retried_after_retry_after(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    bot.emu.fail_next("sendMessage", status=429, retry_after=1)
    await bot.advance_to_local("Europe/Berlin", "22:00")
    assert bot.emu.count_429 == 1
    assert reminder_count(bot) == 1 and send_attempts(bot.emu) == 2


async def test_502_with_html_body_is_retried_with_backoff(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    bot.emu.fail_next(
        "sendMessage",
        status=502,
        body="<html><h1>502 Bad Gateway</h1></html>",
        content_type="text/html",
        times=2,
    )
    await bot.advance_to_local("Europe/Berlin", "22:00")
    assert reminder_count(bot) == 0
    assert bot.db(
        "SELECT state, attempts FROM due_tasks WHERE kind = 'reminder' AND dose_day = '2026-11-28'"
    ) == [("pending", 1)]
    await bot.advance(timedelta(seconds=3))  # first backoff: about 2 s
    await bot.advance(timedelta(seconds=5))  # second: about 4 s
    assert reminder_count(bot) == 1 and send_attempts(bot.emu) == 3


async def test_dropped_connection_is_retried(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    bot.emu.fail_next("sendMessage", drop_connection=True)
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await bot.advance(timedelta(seconds=3))
    assert reminder_count(bot) == 1


@pytest.fixture
async def fast_timeout_bot(emu: BotApiEmulator, tmp_path: Path) -> AsyncIterator[BotHarness]:
    harness = BotHarness(emu, tmp_path / "ldn.db", read_timeout=0.3)
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()


async def test_read_timeout_outcome_unknown_retries_once(fast_timeout_bot: BotHarness) -> None:
    bot = fast_timeout_bot
    await onboard(bot, ANA)
    # Telegram delivers the message but answers too late: the bot cannot know it arrived.
    bot.emu.fail_next("sendMessage", delay=0.6, then_succeed_late=True, times=2)
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await bot.advance(timedelta(seconds=2))
    await bot.advance(timedelta(seconds=2))
    # Retried exactly once, then counted as sent: at most one duplicate, never a flood.
    assert reminder_count(bot) == 2
    assert bot.db(
        "SELECT state FROM due_tasks WHERE kind = 'reminder' AND dose_day = '2026-11-28'"
    ) == [("sent",)]
    # Both copies carry the same dose id, so either button records the one night once.
    await bot.tap(ANA, "Taken", expect="taken at")
    assert bot.db("SELECT status FROM dose_events") == [("taken",)]


async def test_blocked_user_is_marked_unreachable_and_resumes_on_start(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    bot.emu.fail_next(
        "sendMessage", status=403, description="Forbidden: bot was blocked by the user"
    )
    await bot.advance_to_local("Europe/Berlin", "22:00")
    assert bot.db("SELECT unreachable_reason FROM patients") == [("blocked",)]
    assert bot.db("SELECT COUNT(*) FROM due_tasks WHERE state = 'pending' AND kind != 'close'") == [
        (0,)
    ]
    await bot.advance(timedelta(days=1, hours=1))
    assert reminder_count(bot) == 0  # nothing sent to someone who blocked us
    back = await bot.say(ANA, "/start", expect="Welcome back")
    assert "Mon 30 Nov at 22:00" in back.body
    assert bot.db("SELECT unreachable_since FROM patients") == [(None,)]
    await bot.advance_to_local("Europe/Berlin", "22:00")
    assert reminder_count(bot) == 1


async def test_block_notice_pauses_and_unblock_resumes(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    bot.emu.block(ANA)
    await bot.handled()
    assert bot.db("SELECT unreachable_reason FROM patients") == [("blocked",)]
    await bot.advance_to_local("Europe/Berlin", "22:00")
    assert reminder_count(bot) == 0 and send_attempts(bot.emu) == 0
    bot.emu.unblock(ANA)
    await bot.handled()
    await bot.advance_to_local("Europe/Berlin", "22:00")
    assert reminder_count(bot) == 1


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_evening_burst_is_paced_within_telegrams_limits(bot: BotHarness) -> None:
    users = range(5000, 5045)
    for user in users:
        bot.seed_patient(user, zone="Europe/Berlin", bedtime="22:00")
    bot.emu.enforce_limits = True
    await bot.advance_to_local("Europe/Berlin", "22:00")
    assert [len(bot.sent_as(u, "tonight's LDN")) for u in users] == [1] * len(users)
    assert bot.emu.count_429 == 0
