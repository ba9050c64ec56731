"""Telegram refusing the small calls around a button press (F3–F5): the edit is "not modified"
or the message is gone, or the press is too old to answer. The press itself must still count."""

from __future__ import annotations

import pytest

from tests.e2e.harness import BotHarness

pytestmark = pytest.mark.faults
ANA = 1001
TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


async def reminded(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    await bot.advance_to_local("Europe/Berlin", "22:00")


async def test_edit_of_a_vanished_message_falls_back_to_a_new_one(bot: BotHarness) -> None:
    await reminded(bot)
    bot.emu.fail_next(
        "editMessageText", status=400, description="Bad Request: message to edit not found"
    )
    before = bot.count(ANA)
    bot.emu.press_button(ANA, "Taken")
    await bot.handled()
    assert bot.db("SELECT status FROM dose_events") == [("taken",)]
    assert [m.body for m in bot.emu.messages(ANA)[before:]] == [
        "✅ 0.5 mg taken at 22:00. Sleep well!"
    ]


async def test_not_modified_counts_as_success_and_stays_quiet(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    await reminded(bot)
    bot.emu.fail_next(
        "editMessageText",
        status=400,
        description="Bad Request: message is not modified: specified new message content and "
        "reply markup are exactly the same as a current content and reply markup of the message",
    )
    before = bot.count(ANA)
    bot.emu.press_button(ANA, "Taken")
    await bot.handled()
    assert bot.db("SELECT status FROM dose_events") == [("taken",)]
    assert bot.count(ANA) == before  # no fallback message, no error message
    assert [r for r in caplog.records if r.levelno >= 30 and r.name.startswith("bot")] == []


async def test_a_tap_made_while_the_bot_was_down_is_still_recorded(bot: BotHarness) -> None:
    await reminded(bot)
    await bot.stop()
    bot.emu.press_button(ANA, "Taken")  # queued at Telegram while the bot restarts
    bot.emu.callback_answer_timeout = 0.0  # by the time the bot answers it, it is too old
    await bot.start()
    await bot.handled()
    assert bot.emu.calls_to("answerCallbackQuery")[-1].response == {
        "ok": False,
        "error_code": 400,
        "description": TOO_OLD,
    }
    assert bot.db("SELECT status FROM dose_events") == [("taken",)]
    assert any("taken at" in m.body for m in bot.emu.messages(ANA))
