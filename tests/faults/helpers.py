"""Small helpers shared by the fault tests: counting reminders and moving the fake clock."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta

from tests.e2e.harness import BotHarness
from tests.emulator import BotApiEmulator

REMINDER = "tonight's LDN"


def reminders(bot: BotHarness, user: int) -> int:
    """How many reminders (first-sent text, edits ignored) the user received."""
    return len(bot.sent_as(user, REMINDER))


def reminder_counts(bot: BotHarness, users: Iterable[int]) -> list[int]:
    return [reminders(bot, user) for user in users]


def send_attempts(emu: BotApiEmulator, user: int | None = None) -> int:
    """sendMessage requests carrying a reminder (for one chat, or all), whatever the answer."""
    return sum(
        REMINDER in str(call.params.get("text", ""))
        and (user is None or call.params.get("chat_id") == user)
        for call in emu.calls_to("sendMessage")
    )


async def advance_until(
    bot: BotHarness,
    done: Callable[[], bool],
    *,
    step: timedelta = timedelta(seconds=2),
    max_steps: int = 200,
) -> int:
    """Move the fake clock in steps (each firing what fell due) until ``done()``; the steps."""
    for steps in range(max_steps):
        if done():
            return steps
        await bot.advance(step)
    raise AssertionError(f"not done after {max_steps} steps of {step}\n{bot.emu.describe()}")


def seed_evening(bot: BotHarness, users: Iterable[int], bedtime: str = "22:00") -> None:
    for user in users:
        bot.seed_patient(user, zone="Europe/Berlin", bedtime=bedtime)


def task_states(bot: BotHarness, kind: str = "reminder", day: str = "2026-11-28") -> list[str]:
    """States of every patient's task of ``kind`` for the dose day (the harness's first night)."""
    rows = bot.db("SELECT state FROM due_tasks WHERE kind = ? AND dose_day = ?", [kind, day])
    return sorted(str(state) for (state,) in rows)
