"""Input the bot doesn't expect: unknown commands, media, long texts, strangers, repeats, groups."""

from __future__ import annotations

from typing import Any

import pytest
from telegram.ext import CommandHandler

from bot import clinic_texts, onboarding_texts, texts
from tests.e2e.harness import HANDLER_FLOW, BotHarness, BotOptions
from tests.emulator import BotApiEmulator
from tests.emulator.state import CallbackQuery

pytestmark = pytest.mark.e2e
ANA, BEN = 1001, 1002
GROUP = -1001234567890


@pytest.fixture
def bot_options() -> BotOptions:
    return HANDLER_FLOW


# Bookkeeping tables: everything else holds something about a person.
BOOKKEEPING = {"processed_updates", "_sqlite_migrations"}


def stored(bot: BotHarness) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table that could hold something about a person."""
    tables = [
        name
        for (name,) in bot.db("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        if name not in BOOKKEEPING and not name.startswith("sqlite_")
    ]
    assert "patients" in tables and "audit_log" in tables
    return {name: bot.db(f'SELECT * FROM "{name}" ORDER BY rowid') for name in tables}


def nothing_stored(bot: BotHarness) -> bool:
    return all(rows == [] for rows in stored(bot).values())


def new_bodies(bot: BotHarness, user: int, before: int) -> list[str]:
    return [m.body for m in bot.emu.messages(user)[before:]]


async def at_zone_question(bot: BotHarness, user: int) -> None:
    await bot.say(user, "/start", expect="Is it OK to store")
    await bot.tap(user, "Yes, I agree", expect="opioid")
    await bot.tap(user, "No", expect="allergic")
    await bot.tap(user, "No", expect="liver disease")
    await bot.tap(user, "No", expect="time zone")


def ignored_as_duplicate(caplog: pytest.LogCaptureFixture, update_id: int) -> bool:
    wanted = f"update {update_id} delivered again; ignored"
    return any(record.getMessage() == wanted for record in caplog.records)


# Unexpected input ------------------------------------------------------------------------------


async def test_unknown_command_gets_a_friendly_reply(bot: BotHarness) -> None:
    await at_zone_question(bot, ANA)
    before = stored(bot)
    count = bot.count(ANA)
    reply = await bot.say(ANA, "/foo", expect="I don't know that command")
    assert "/help" in reply.body
    assert new_bodies(bot, ANA, count) == [texts.unknown_command()]
    assert stored(bot) == before
    # The question in progress still takes its answer.
    await bot.say(ANA, "Berlin", expect="What time do you usually go to bed")


async def test_photo_gets_an_only_text_reply(bot: BotHarness) -> None:
    count = bot.count(BEN)
    update = bot.emu.send_photo_from_user(BEN)
    await bot.handled(update["update_id"])
    assert new_bodies(bot, BEN, count) == [texts.not_text()]
    assert "I can only read text" in texts.not_text()
    assert nothing_stored(bot)
    # Mid-onboarding too: the photo is no answer, and the step stays.
    await at_zone_question(bot, ANA)
    before = stored(bot)
    count = bot.count(ANA)
    update = bot.emu.send_photo_from_user(ANA)
    await bot.handled(update["update_id"])
    assert new_bodies(bot, ANA, count) == [texts.not_text()]
    assert stored(bot) == before


async def test_very_long_message_gets_a_polite_reply_and_changes_nothing(bot: BotHarness) -> None:
    await at_zone_question(bot, ANA)
    before = stored(bot)
    count = bot.count(ANA)
    text = ("Berlin " * 800)[:5000]
    assert len(text) == 5000
    reply = await bot.say(ANA, text, expect="long message")
    assert "1000 characters" in reply.body
    assert new_bodies(bot, ANA, count) == [reply.body]  # only that: no zone, no other answer
    assert stored(bot) == before
    assert before["patients"] and stored(bot)["patients"][0] == before["patients"][0]


async def test_a_time_no_question_waits_for_points_to_settings(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")  # onboarded: nothing open
    before = stored(bot)
    reply = await bot.say(ANA, "22:30", expect="/settings")
    assert new_bodies(bot, ANA, 0) == [reply.body]
    assert stored(bot) == before  # not taken as a bedtime, or anything else
    await bot.say(ANA, "what is this?", expect="didn't understand")
    assert stored(bot) == before


async def test_text_from_someone_who_never_started_asks_for_start(bot: BotHarness) -> None:
    reply = await bot.say(BEN, "hello, is this the LDN bot?", expect="send /start first")
    assert new_bodies(bot, BEN, 0) == [reply.body]
    assert nothing_stored(bot)
    # A button press from a stranger (no patient row) is not an answer either.
    bot.emu.forge_callback(BEN, 1, "v1:scr:opioids:no")
    await bot.handled()
    assert nothing_stored(bot)


# Duplicates ------------------------------------------------------------------------------------
#
# Telegram delivers an update again when the bot handled it but did not confirm it (getUpdates'
# offset) before stopping, e.g. after a crash. Replaying an update whose id is below the offset the
# running bot already confirmed is not something Telegram does, and the emulator's handling of it
# depends on timing: send_update says such an update is discarded, and it is at the next
# getUpdates, but if a long poll is already open the emulator returns it to the bot at once (seen
# while writing these tests). A test built on that would test the emulator's timing, so two
# realistic ways to get the same update_id to the bot twice are tested instead:
#   1. the same update queued twice before the bot's next getUpdates (one batch, two copies);
#   2. an update the bot handled, redelivered after a restart (the new process starts polling
#      at offset 0, so everything still queued is delivered): the dedupe must survive a restart,
#      i.e. live in the database (processed_updates), not in memory.
# In both, the gate's log line proves the copy did reach the bot and was dropped there.


async def test_update_delivered_twice_in_one_batch_is_handled_once(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    # No await between the two: both copies are queued before the bot polls again.
    update = bot.emu.send_text(ANA, "/start")
    bot.emu.send_update(update)
    await bot.emu.wait_for(
        lambda: ignored_as_duplicate(caplog, update["update_id"]), what="duplicate dropped"
    )
    await bot.handled(update["update_id"])
    assert new_bodies(bot, ANA, 0) == [onboarding_texts.consent()]
    assert bot.db(
        "SELECT update_id FROM processed_updates WHERE update_id = ?", [update["update_id"]]
    ) == [(update["update_id"],)]
    # The next update is handled normally.
    await bot.say(ANA, "/help", expect="Here's what I can do")


async def test_update_redelivered_after_a_restart_is_not_handled_again(
    bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    await bot.say(ANA, "/start", expect="Is it OK to store")
    await bot.tap(ANA, "Yes, I agree", expect="opioid")
    tap = bot.emu.last_update_id
    await bot.tap(ANA, "No", expect="allergic reaction")
    replay = _update_dict(bot.emu, tap)
    assert replay["callback_query"]["data"] == "v1:ob:consent:yes"
    before, rows = bot.count(ANA), stored(bot)
    await bot.stop()
    bot.emu.send_update(replay)  # Telegram delivers the consent tap again
    await bot.start()
    await bot.emu.wait_for(lambda: ignored_as_duplicate(caplog, tap), what="redelivery dropped")
    await bot.say(ANA, "/help", expect="Here's what I can do")
    assert new_bodies(bot, ANA, before) == [texts.help_text()]
    assert stored(bot) == rows
    assert bot.db("SELECT action FROM audit_log") == [("consent.given",)]


def _update_dict(emu: BotApiEmulator, update_id: int) -> dict[str, Any]:
    """The update with ``update_id`` exactly as getUpdates returned it to the bot."""
    for call in reversed(emu.calls_to("getUpdates")):
        for update in (call.response or {}).get("result") or []:
            if update["update_id"] == update_id:
                return dict(update)
    raise AssertionError(f"update {update_id} was never delivered")


# Groups ----------------------------------------------------------------------------------------


def group_update(text: str = "/start") -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": 1,
        "date": 1_795_000_000,
        "chat": {"id": GROUP, "type": "group", "title": "Fibro friends"},
        "from": {"id": ANA, "is_bot": False, "first_name": "Ana"},
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    return {"message": message}


async def test_group_message_makes_the_bot_leave_and_stores_nothing(bot: BotHarness) -> None:
    # The emulator models private chats only; registering the group id lets leaveChat succeed.
    bot.emu.start_chat(GROUP)
    for text in ("/start", "I take 1.5 mg of LDN"):
        update = bot.emu.send_update(group_update(text))
        await bot.handled(update["update_id"])
    leaves = bot.emu.calls_to("leaveChat")
    assert [(c.params.get("chat_id"), c.status) for c in leaves] == [(GROUP, 200), (GROUP, 200)]
    assert bot.emu.messages(GROUP) == [] and bot.emu.messages(ANA) == []
    assert not [c for c in bot.emu.calls if c.params.get("chat_id") == GROUP and c not in leaves]
    assert nothing_stored(bot)


async def test_group_button_is_ignored_even_if_leaving_fails(bot: BotHarness) -> None:
    # leaveChat fails here ("chat not found": the emulator doesn't know the group). The update
    # must still go no further: a consent tap in a group must not create a patient.
    data = "v1:ob:consent:yes"
    bot.emu.start_chat(ANA)  # Ana could be written to privately, so a leak would show there
    # The query is registered like the emulator's own presses, so answering it would succeed.
    query = "group-query-1"
    bot.emu.state.callback_queries[query] = CallbackQuery(query, ANA, 1, data, bot.emu.time_fn())
    update = bot.emu.send_update(
        {
            "callback_query": {
                "id": query,
                "from": {"id": ANA, "is_bot": False, "first_name": "Ana"},
                "message": group_update("Is it OK to store")["message"],
                "chat_instance": str(GROUP),
                "data": data,
            }
        }
    )
    await bot.handled(update["update_id"])
    assert [(c.params.get("chat_id"), c.status) for c in bot.emu.calls_to("leaveChat")] == [
        (GROUP, 400)
    ]
    assert bot.emu.messages(ANA) == []
    assert nothing_stored(bot)


# Commands --------------------------------------------------------------------------------------


async def test_help_and_the_command_menu_match_the_registry(bot: BotHarness) -> None:
    reply = await bot.say(ANA, "/help", expect="Here's what I can do")
    for command in texts.COMMANDS:
        assert f"/{command.name} — {command.description}" in reply.body
    assert bot.emu.commands() == [
        {"command": c.name, "description": c.description} for c in texts.COMMANDS
    ]


async def test_the_command_menu_and_help_are_in_german_for_german_speakers(
    bot: BotHarness,
) -> None:
    german = bot.emu.commands(language_code="de")
    assert [c["command"] for c in german] == [c.name for c in texts.COMMANDS]
    assert {"command": "forget", "description": "Alle deine Daten löschen"} in german
    before = bot.count(BEN)
    update = bot.emu.send_text(BEN, "/help", language_code="de")
    await bot.handled(update["update_id"])
    (reply,) = new_bodies(bot, BEN, before)
    assert reply.startswith("Das kann ich für dich tun:")
    assert "/forget — Alle deine Daten löschen" in reply


async def test_every_registered_command_has_a_handler(bot: BotHarness) -> None:
    assert bot.app is not None
    handled = {
        name
        for group in bot.app.handlers.values()
        for handler in group
        if isinstance(handler, CommandHandler)
        for name in handler.commands
    }
    names = {
        c.name
        for c in (
            *texts.COMMANDS,
            *texts.CAREGIVER_COMMANDS,
            *texts.ADMIN_COMMANDS,
            *clinic_texts.ADMIN_COMMANDS,
        )
    }
    assert names == handled
    # And each one, sent by a newcomer, reaches its handler (never "I don't know that command").
    for name in sorted(names):
        count = bot.count(BEN)
        update = bot.emu.send_text(BEN, f"/{name}")
        await bot.handled(update["update_id"])
        replies = new_bodies(bot, BEN, count)
        assert replies and texts.unknown_command() not in replies, (name, replies)
    assert nothing_stored(bot)
