"""The in-process transport: PTB's own Bot, calls answered by an emulator that never listens."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import BadRequest, InvalidToken, NetworkError, TimedOut

from tests.emulator import BotApiEmulator
from tests.emulator.inprocess import BASE_URL, InProcessRequest, split_url

USER = 42


@pytest.fixture
async def offline() -> AsyncIterator[BotApiEmulator]:
    """An emulator that is never started: nothing listens, so only in-process calls reach it."""
    emulator = BotApiEmulator()
    yield emulator
    await emulator.stop()


def bot_for(emu: BotApiEmulator, token: str | None = None, read_timeout: float = 5.0) -> Bot:
    return Bot(
        token or emu.token,
        base_url=BASE_URL,
        request=InProcessRequest(emu, read_timeout=read_timeout),
        get_updates_request=InProcessRequest(emu, read_timeout=read_timeout),
    )


def test_split_url() -> None:
    assert split_url(f"{BASE_URL}1:abc/sendMessage") == ("1:abc", "sendMessage")
    with pytest.raises(ValueError, match="not a Bot API method URL"):
        split_url("http://example.invalid/sendMessage")


async def test_send_edit_and_answer_go_to_the_emulator(offline: BotApiEmulator) -> None:
    offline.start_chat(USER)
    async with bot_for(offline) as bot:
        sent = await bot.send_message(USER, "<b>Hi</b> 123", parse_mode="HTML")
        await bot.edit_message_text("Bye", chat_id=USER, message_id=sent.message_id)
    [message] = offline.messages(USER)
    assert (message.text, message.edits) == ("Bye", ["Hi 123"])
    assert message.params["chat_id"] == USER  # decoded as over HTTP: an int, not "42"
    assert [c.method for c in offline.calls] == ["getMe", "sendMessage", "editMessageText"]


async def test_uploads_arrive_as_files(offline: BotApiEmulator) -> None:
    offline.start_chat(USER)
    async with bot_for(offline) as bot:
        await bot.send_document(USER, b"a,b\n1,2\n", filename="doses.csv", caption="Export")
    [message] = offline.messages(USER)
    assert (message.document, message.filename, message.caption) == (
        b"a,b\n1,2\n",
        "doses.csv",
        "Export",
    )


async def test_get_updates_long_polls_until_an_update_arrives(offline: BotApiEmulator) -> None:
    async with bot_for(offline) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        await offline.wait_for(lambda: offline.open_polls == 1, what="poll held open")
        assert not poll.done()
        offline.send_text(USER, "/start")
        [update] = await asyncio.wait_for(poll, 5)
        assert update.message is not None and update.message.text == "/start"
        assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()
    assert offline.pending_updates() == 0


async def test_errors_come_back_as_ptb_raises_them(offline: BotApiEmulator) -> None:
    offline.start_chat(USER)
    async with bot_for(offline) as bot:
        offline.fail_next("sendMessage", status=400, description="Bad Request: chat not found")
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(USER, "x")
        offline.fail_next("sendMessage", drop_connection=True)
        with pytest.raises(NetworkError, match="dropped"):
            await bot.send_message(USER, "x")
    with pytest.raises(InvalidToken):
        async with bot_for(offline, token="1:wrong"):
            pass


async def test_a_late_answer_times_out_but_the_action_happens(offline: BotApiEmulator) -> None:
    offline.start_chat(USER)
    released = False
    async with bot_for(offline, read_timeout=0.05) as bot:
        offline.fail_next("sendMessage", then_succeed_late=True, held_until=lambda: released)
        with pytest.raises(TimedOut):
            await bot.send_message(USER, "Time for tonight")
        assert [m.text for m in offline.messages(USER)] == ["Time for tonight"]
        released = True
        offline.notify()
        await offline.wait_for(lambda: offline.calls[-1].status == 200, what="late answer")


async def test_shutdown_ends_a_poll_still_held(offline: BotApiEmulator) -> None:
    bot = bot_for(offline, read_timeout=60)
    await bot.initialize()
    poll = asyncio.create_task(bot.get_updates(timeout=60))
    await offline.wait_for(lambda: offline.open_polls == 1, what="poll held open")
    poll.cancel()
    await bot.shutdown()
    assert offline.open_polls == 0
    with pytest.raises(asyncio.CancelledError):
        await poll
