"""5xx from the Bot API (HTML pages from a proxy, or JSON), repeatedly, then recovery: every
reminder is retried with backoff and delivered exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.e2e.harness import BotHarness
from tests.faults.conftest import MakeBot
from tests.faults.helpers import (
    advance_until,
    reminder_counts,
    reminders,
    seed_evening,
    send_attempts,
    task_states,
)

pytestmark = pytest.mark.faults

BAD_GATEWAY = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
GATEWAY_TIMEOUT = "<html><body><h1>504 Gateway Time-out</h1></body></html>"
ANSWERS = {
    "502-html": {"status": 502, "body": BAD_GATEWAY, "content_type": "text/html"},
    "500-json": {"status": 500},
    "503-json": {"status": 503},
    "504-html": {"status": 504, "body": GATEWAY_TIMEOUT, "content_type": "text/html"},
}


@pytest.mark.parametrize("answer", ANSWERS.values(), ids=ANSWERS.keys())
async def test_repeated_5xx_then_recovery_delivers_once(
    make_bot: MakeBot, answer: dict[str, object]
) -> None:
    bot = await make_bot(rate_limit=False)  # the rate limiter never retries a 5xx anyway
    users = range(4000, 4010)
    failures = 25  # several failures for most patients, in a row for some
    seed_evening(bot, users)
    bot.emu.fail_next("sendMessage", times=failures, **answer)  # type: ignore[arg-type]
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await advance_until(bot, lambda: min(reminder_counts(bot, users)) >= 1)
    assert reminder_counts(bot, users) == [1] * len(users)
    assert send_attempts(bot.emu) == len(users) + failures
    assert bot.emu.faults.pending() == 0
    assert task_states(bot) == ["sent"] * len(users)
    attempts = bot.db("SELECT SUM(attempts) FROM due_tasks WHERE kind = 'reminder'")
    assert attempts == [(len(users) + failures,)]  # one claim per request: no hidden resends


async def test_ten_minute_outage_still_delivers_within_the_grace_window(bot: BotHarness) -> None:
    user = 4100
    bot.seed_patient(user, zone="Europe/Berlin", bedtime="22:00")
    bot.emu.fail_next(
        "sendMessage", status=502, body=BAD_GATEWAY, content_type="text/html", times=10_000
    )
    await bot.advance_to_local("Europe/Berlin", "22:00")
    for _ in range(20):  # ten minutes of 502s
        await bot.advance(timedelta(seconds=30))
    bot.emu.faults.clear()  # Telegram is back at 22:10, well inside the two-hour grace
    await bot.advance_to_local("Europe/Berlin", "23:00")
    assert reminders(bot, user) == 1
    assert task_states(bot) == ["sent"]
