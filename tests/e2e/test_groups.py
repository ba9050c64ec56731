"""Groups (issue 16, item 7): health data stays in private chats, so the bot leaves any group it
is added to, without a word there, whatever is said in the group before it is gone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.harness import BotHarness
from tests.emulator import BotApiEmulator
from tests.emulator.objects import bot_user_json
from tests.emulator.state import GroupChat
from tests.emulator.users import text_content

pytestmark = pytest.mark.e2e

ANA = 1001
GROUP = -500123


def add_bot_to_group(emu: BotApiEmulator, user: int, group_id: int) -> GroupChat:
    """``user`` adds the bot to a new group: Telegram's my_chat_member (left → member)."""
    group = emu.state.groups[group_id] = GroupChat(group_id, "Fibro friends")
    bot = bot_user_json(emu.state.bot_id)
    emu.send_update(
        {
            "my_chat_member": {
                "chat": group.chat_json(),
                "from": emu.state.chat(user).user_json(),
                "date": int(emu.state.now()),
                "old_chat_member": {"user": bot, "status": "left"},
                "new_chat_member": {"user": bot, "status": "member"},
            }
        }
    )
    return group


def say_in_group(emu: BotApiEmulator, user: int, group: GroupChat, text: str) -> dict[str, Any]:
    message = {
        "message_id": 1000 + emu.last_update_id,
        "date": int(emu.state.now()),
        "chat": group.chat_json(),
        "from": emu.state.chat(user).user_json(),
        **text_content(text),
    }
    return emu.send_update({"message": message})


def calls_about(emu: BotApiEmulator, chat_id: int) -> list[str]:
    return [call.method for call in emu.calls if call.params.get("chat_id") == chat_id]


async def test_the_bot_leaves_a_group_it_is_added_to_and_says_nothing_there(
    bot: BotHarness, emu: BotApiEmulator
) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    group = add_bot_to_group(emu, ANA, GROUP)
    # Said in the group before the bot is gone: commands, a dose, a medicine the bot warns about.
    for text in ("/start", "/today@ldn_test_bot", "taken", "I also take tramadol"):
        say_in_group(emu, ANA, group, text)
    await emu.wait_for(lambda: not group.bot_is_member, what="the bot left the group")
    await bot.handled()  # the last update: Telegram's notice that the bot left

    left = [call for call in emu.calls_to("leaveChat") if call.status == 200]
    assert [call.params["chat_id"] for call in left] == [GROUP]
    assert set(calls_about(emu, GROUP)) == {"leaveChat"}  # not a word in the group
    assert emu.messages(ANA) == []  # nor about it in ANA's private chat
    assert bot.db("SELECT COUNT(*) FROM dose_events") == [(0,)]  # "taken" changed nothing


async def test_a_group_the_bot_was_removed_from_is_left_alone(
    bot: BotHarness, emu: BotApiEmulator
) -> None:
    group = add_bot_to_group(emu, ANA, GROUP)
    await emu.wait_for(lambda: not group.bot_is_member, what="the bot left the group")
    await bot.handled()
    assert len(emu.calls_to("leaveChat")) == 1  # its own "left" notice asks for nothing more

    emu.send_text(ANA, "/start")  # the person's private chat works as ever
    await emu.wait_for_message(ANA, contains="Is it OK to store")
    assert set(calls_about(emu, GROUP)) == {"leaveChat"}
