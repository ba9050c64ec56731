"""429 storms: scripted Too Many Requests and Telegram's own limits set lower than our pacing.
Every reminder is delivered exactly once, none dropped, each retry waits retry_after."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

import pytest

from tests.e2e.harness import BotHarness
from tests.emulator import RecordedCall
from tests.faults.helpers import (
    advance_until,
    reminder_counts,
    seed_evening,
    send_attempts,
    task_states,
)

pytestmark = [
    pytest.mark.faults,
    pytest.mark.per_chat_pace,
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]

LIMITER_RETRIES = 3  # bot.app.telegram_pace(): Pacer(max_retries=3)


def everyone_reminded(bot: BotHarness, users: range) -> bool:
    return min(reminder_counts(bot, users)) >= 1


@pytest.mark.parametrize(
    "storm", [6, pytest.param(30, marks=pytest.mark.slow), pytest.param(60, marks=pytest.mark.slow)]
)
async def test_scripted_429_storm_delivers_each_reminder_exactly_once(
    bot: BotHarness, storm: int
) -> None:
    users = range(3000, 3016)
    seed_evening(bot, users)
    # 30 is more than the rate limiter's 3 retries per send can absorb: then the send
    # queue reschedules the reminder and the clock has to move on.
    bot.emu.fail_next("sendMessage", status=429, retry_after=1, times=storm)
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await advance_until(bot, lambda: everyone_reminded(bot, users))
    assert reminder_counts(bot, users) == [1] * len(users)
    assert bot.emu.count_429 == storm
    assert send_attempts(bot.emu) == len(users) + storm
    assert task_states(bot) == ["sent"] * len(users)
    assert_retry_after_was_waited(bot.emu.calls_to("sendMessage"))


def assert_retry_after_was_waited(calls: list[RecordedCall]) -> None:
    """After a 429 the rate limiter waits retry_after (1 s, real time) before its next try; its
    fourth 429 in a row goes back to the send queue, which waits on the bot's (fake) clock."""
    by_chat: defaultdict[int, list[RecordedCall]] = defaultdict(list)
    for call in calls:
        by_chat[call.params["chat_id"]].append(call)
    for attempts in by_chat.values():
        in_a_row = 0
        for this, following in pairwise(attempts):
            in_a_row = in_a_row + 1 if this.status == 429 else 0
            if in_a_row > LIMITER_RETRIES:
                in_a_row = 0
            elif in_a_row:
                assert following.time - this.time >= 1.0


async def _limited_storm(bot: BotHarness, users: range, global_limit: int) -> None:
    seed_evening(bot, users)
    bot.emu.enforce_limits = True
    bot.emu.global_limit = global_limit  # Telegram stricter than the 28.5/s we pace to
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await advance_until(bot, lambda: everyone_reminded(bot, users))
    assert bot.emu.count_429 > 0
    assert reminder_counts(bot, users) == [1] * len(users)
    assert send_attempts(bot.emu) == len(users) + bot.emu.count_429
    assert task_states(bot) == ["sent"] * len(users)


async def test_telegram_limit_below_our_pacing_drops_nothing(bot: BotHarness) -> None:
    await _limited_storm(bot, range(3100, 3120), global_limit=10)


@pytest.mark.slow
async def test_long_storm_under_a_strict_limit_drops_nothing(bot: BotHarness) -> None:
    await _limited_storm(bot, range(3200, 3320), global_limit=4)
