"""The same update delivered twice (F12) is handled once: one reply, one state change.

A polling bot meets duplicates as two copies in one batch, as an update redelivered to a
restarted process that handled it but died before confirming it (a fresh process polls from
offset 0), or as a stale copy arriving while it runs. All three are tested here.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from bot.updates import PerChatUpdateProcessor
from tests.e2e.harness import BotHarness
from tests.emulator import BotApiEmulator

pytestmark = pytest.mark.faults
ANA = 1001


def watch_updates(bot: BotHarness) -> list[int]:
    """update_id of every update the bot finished with, duplicates included, in order."""
    assert bot.app is not None
    processor = bot.app.update_processor
    assert isinstance(processor, PerChatUpdateProcessor)
    seen: list[int] = []
    previous = processor.on_done

    def done(update: object) -> None:
        seen.append(getattr(update, "update_id", -1))
        if previous is not None:
            previous(update)

    processor.on_done = done
    return seen


def press_taken(emu: BotApiEmulator) -> tuple[str, dict[str, Any]]:
    """Tap Taken; returns the query id and (a copy of) the update Telegram queued for it."""
    query_id = emu.press_button(ANA, "Taken")
    return query_id, copy.deepcopy(emu.state.updates[-1])


async def reminded(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    await bot.advance_to_local("Europe/Berlin", "22:00")


def assert_taken_once(bot: BotHarness, query_id: str, calls_before: int) -> None:
    emu = bot.emu
    assert bot.db("SELECT status FROM dose_events") == [("taken",)]
    answers = emu.calls_to("answerCallbackQuery")
    assert [c.params["callback_query_id"] for c in answers] == [query_id]
    edits = emu.calls_to("editMessageText")
    assert len(edits) == 1 and "taken at 22:00" in edits[0].params["text"]
    assert len(emu.calls_to("sendMessage")) == calls_before  # no extra message either


async def test_two_copies_in_one_batch_change_the_dose_once(bot: BotHarness) -> None:
    await reminded(bot)
    seen = watch_updates(bot)
    sends = len(bot.emu.calls_to("sendMessage"))
    query_id, update = press_taken(bot.emu)
    bot.emu.send_update(update)  # the same update_id again, before the bot polls
    assert bot.emu.pending_updates() == 2
    uid = update["update_id"]
    await bot.emu.wait_for(lambda: seen.count(uid) == 2, what="both copies handled")
    assert_taken_once(bot, query_id, sends)
    assert bot.db("SELECT COUNT(*) FROM processed_updates WHERE update_id = ?", [uid]) == [(1,)]


async def test_redelivery_to_a_restarted_bot_changes_nothing(bot: BotHarness) -> None:
    await reminded(bot)
    sends = len(bot.emu.calls_to("sendMessage"))
    query_id, update = press_taken(bot.emu)
    await bot.handled(update["update_id"])
    # The process dies before its next getUpdates confirmed the offset: the new process,
    # polling from offset 0, is handed the same update again.
    await bot.restart()
    seen = watch_updates(bot)
    bot.emu.send_update(update)
    await bot.emu.wait_for(lambda: update["update_id"] in seen, what="redelivered update handled")
    assert_taken_once(bot, query_id, sends)


async def test_a_typed_message_delivered_twice_gets_one_reply(bot: BotHarness) -> None:
    seen = watch_updates(bot)
    update = copy.deepcopy(bot.emu.send_text(ANA, "/start"))
    bot.emu.send_update(update)
    await bot.emu.wait_for(lambda: seen.count(update["update_id"]) == 2, what="both copies")
    messages = bot.emu.messages(ANA)
    assert len(messages) == 1 and "Is it OK to store" in messages[0].body
    assert bot.db("SELECT COUNT(*) FROM patients") == [(0,)]  # consent not given yet


async def test_double_tap_records_one_dose_and_answers_both(bot: BotHarness) -> None:
    await reminded(bot)
    seen = watch_updates(bot)
    first = bot.emu.press_button(ANA, "Taken")
    second = bot.emu.press_button(ANA, "Taken")  # a second tap before the first is handled
    await bot.emu.wait_for(lambda: len(seen) == 2, what="both taps handled")
    assert bot.db("SELECT status FROM dose_events") == [("taken",)]
    assert set(bot.emu.callback_answers) >= {first, second}
    texts = [c.params["text"] for c in bot.emu.calls_to("editMessageText")]
    assert len(texts) == 2 and "taken at 22:00" in texts[0] and "already" in texts[1]


async def test_a_stale_copy_reaching_the_running_bot_changes_nothing(bot: BotHarness) -> None:
    await reminded(bot)
    sends = len(bot.emu.calls_to("sendMessage"))
    query_id, update = press_taken(bot.emu)
    await bot.handled(update["update_id"])
    seen = watch_updates(bot)
    # The emulator only drops confirmed ids on the *next* getUpdates, so a copy sent while a
    # long poll is open reaches the bot even though its id is below the bot's offset.
    bot.emu.send_update(update)
    await bot.emu.wait_for(lambda: update["update_id"] in seen, what="stale copy handled")
    assert_taken_once(bot, query_id, sends)
