"""A full disk (F33), made with ``PRAGMA max_page_count`` on the bot's own connection: a patient's
write fails and they are told it was not saved (never a false success), nothing is half-written,
and reminders that fall due meanwhile are retried once there is room again, not lost.

Each test first checks that the write it is about really failed (and the one before it did
not), so a fill that stops biting fails the test instead of letting it pass unexercised."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot import texts
from tests.e2e.harness import BotHarness
from tests.faults.conftest import MakeBot
from tests.faults.diskfull import fill, unfill
from tests.faults.helpers import reminder_counts, seed_evening

pytestmark = pytest.mark.faults
ANA = 1001


def bodies_since(bot: BotHarness, before: int) -> list[str]:
    return [m.body for m in bot.emu.messages(ANA)[before:]]


async def full(bot: BotHarness, *tables: str) -> None:
    assert bot.store is not None
    await bot.store.run(fill, tables=tables)


async def room_again(bot: BotHarness) -> None:
    assert bot.store is not None
    await bot.store.run(unfill)


def recorded(bot: BotHarness, update_id: int) -> bool:
    """Whether the gate's duplicate check wrote the update down."""
    rows = bot.db("SELECT COUNT(*) FROM processed_updates WHERE update_id = ?", [update_id])
    return rows == [(1,)]


async def test_consent_on_a_full_disk_is_not_saved_and_the_person_is_told(
    bot: BotHarness,
) -> None:
    await bot.say(ANA, "/start", expect="Is it OK to store")
    await full(bot, "patients")  # a new patient row needs a page that cannot be had
    before = bot.count(ANA)
    bot.emu.press_button(ANA, "Yes, I agree")
    await bot.handled()
    # The gate's own write still had room: what failed is the consent itself.
    assert recorded(bot, bot.emu.last_update_id)
    assert bodies_since(bot, before) == [texts.save_failed()]  # and no next question
    question = bot.message_with_button(ANA, "Yes, I agree")
    assert question.edits == []  # not marked as answered either
    assert bot.db("SELECT COUNT(*) FROM patients WHERE telegram_id = ?", [ANA]) == [(0,)]
    assert bot.db("SELECT COUNT(*) FROM audit_log") == [(0,)]  # no consent record without one
    assert bot.db("PRAGMA integrity_check") == [("ok",)]
    # Space again: the same button works.
    await room_again(bot)
    await bot.tap(ANA, "Yes, I agree", expect="opioid")
    assert bot.db("SELECT COUNT(*) FROM patients WHERE telegram_id = ?", [ANA]) == [(1,)]
    assert bot.db("SELECT action FROM audit_log") == [("consent.given",)]


async def _at_bedtime_question(bot: BotHarness) -> None:
    await bot.say(ANA, "/start", expect="Is it OK to store")
    await bot.tap(ANA, "Yes, I agree", expect="opioid")
    for expect in ("allergic", "liver disease", "time zone"):
        await bot.tap(ANA, "No", expect=expect)
    await bot.say(ANA, "Berlin", expect="What time do you usually go to bed")


async def test_a_failed_duplicate_check_does_not_go_on_to_save_the_answer(
    bot: BotHarness,
) -> None:
    await _at_bedtime_question(bot)
    await full(bot, "processed_updates")  # the gate's bookkeeping insert cannot get a page
    before = bot.count(ANA)
    update = bot.emu.send_text(ANA, "22:30")
    await bot.handled()
    # The duplicate check really failed: the update is not written down, so a redelivery
    # could not be told from a new message. (Saving the bedtime is an UPDATE in place that
    # would still fit: nothing but the gate stands between this answer and the database.)
    assert not recorded(bot, update["update_id"])
    assert bodies_since(bot, before) == [texts.save_failed()]  # told, and no next question
    assert bot.db("SELECT bedtime FROM patients WHERE telegram_id = ?", [ANA]) == [(None,)]
    # Space again: the same answer, typed again, is taken.
    await room_again(bot)
    await bot.say(ANA, "22:30", expect="dose plan")
    assert bot.db("SELECT bedtime FROM patients WHERE telegram_id = ?", [ANA]) == [("22:30",)]


async def test_reminders_due_on_a_full_disk_are_retried_not_lost(
    make_bot: MakeBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await make_bot(rate_limit=False)
    users = range(6000, 6100)
    seed_evening(bot, users)
    # Preparing a night writes a dose event and three follow-up tasks per patient: far more
    # than the room left in the tables' last pages once the file cannot grow.
    await full(bot)
    async with asyncio.timeout(60):  # a scan that retries in a loop fails here, not at 600 s
        await bot.advance_to_local("Europe/Berlin", "22:00")
    counts = reminder_counts(bot, users)
    unsent = [u for u, n in zip(users, counts, strict=True) if n == 0]
    assert unsent and set(counts) == {0, 1}
    assert any("could not prepare task" in r.getMessage() for r in caplog.records)
    # Nothing half-written: a night's dose event exists exactly when its reminder went out.
    assert bot.db("SELECT COUNT(*) FROM dose_events") == [(len(users) - len(unsent),)]
    pending = bot.db(
        "SELECT COUNT(*) FROM due_tasks WHERE kind = 'reminder' AND dose_day = '2026-11-28' "
        "AND state = 'pending' AND attempts >= 1"
    )
    assert pending == [(len(unsent),)]  # waiting to be retried
    async with asyncio.timeout(60):
        await bot.advance(timedelta(seconds=30))  # still full: retried and failed again
        await room_again(bot)
        for _ in range(6):
            await bot.advance(timedelta(seconds=30))
    assert reminder_counts(bot, users) == [1] * len(users)
    assert bot.db("SELECT COUNT(*) FROM dose_events") == [(len(users),)]
    assert bot.db("PRAGMA integrity_check") == [("ok",)]
