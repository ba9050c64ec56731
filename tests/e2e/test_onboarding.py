"""A patient walks through onboarding: consent, screening, zone, bedtime, plan, confirm."""

from __future__ import annotations

import pytest

from tests.e2e.harness import BotHarness, onboard

pytestmark = pytest.mark.e2e
ANA = 1001


async def test_happy_path_ends_with_first_reminder_time(bot: BotHarness) -> None:
    done = await onboard(bot, ANA, zone="Berlin", bedtime="22:30")
    assert "Sat 28 Nov at 22:30" in done.body
    rows = bot.db("SELECT status, zone, bedtime, current_dose_mg FROM patients")
    assert rows == [("active", "Europe/Berlin", "22:30", "0.5")]
    reminder = bot.db("SELECT kind, dose_day, state FROM due_tasks ORDER BY kind DESC")
    # Tonight's reminder, and the first morning check-in after the first dose.
    assert reminder == [("reminder", "2026-11-28", "pending"), ("checkin", "2026-11-29", "pending")]
