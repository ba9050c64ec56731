"""The update processor: one chat's backlog is bounded and holds no one else's place."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User
from telegram.ext import ApplicationBuilder, MessageHandler, filters

from bot.updates import PerChatUpdateProcessor


def _update(update_id: int, person: int) -> Update:
    user = User(person, "Ana", is_bot=False)
    chat = Chat(person, Chat.PRIVATE)
    message = Message(update_id, datetime(2026, 12, 1, tzinfo=UTC), chat, from_user=user, text="hi")
    return Update(update_id, message=message)


async def test_a_flooding_chat_is_bounded_and_others_are_handled_meanwhile() -> None:
    processor = PerChatUpdateProcessor(2, backlog=3)
    app = ApplicationBuilder().token("1:x").concurrent_updates(processor).job_queue(None).build()
    app._initialized = True
    release = asyncio.Event()
    handled: list[int] = []
    overflow: list[tuple[int, bool]] = []
    processor.on_overflow = lambda update, first: overflow.append((update.update_id, first))

    async def handle(update: Update, _context: object) -> None:
        if update.effective_chat is not None and update.effective_chat.id == 1:
            await release.wait()  # Ana's answers take their time (paced)
        handled.append(update.update_id)

    app.add_handler(MessageHandler(filters.TEXT, handle))
    flood = [
        asyncio.ensure_future(processor.process_update(u, app.process_update(u)))
        for u in (_update(n, 1) for n in range(1, 101))
    ]
    # More updates than the running bound (2) wait in Ana's chat: they must hold no slot.
    others = [_update(1000 + n, 2 + n) for n in range(5)]
    for update in others:
        await asyncio.wait_for(processor.process_update(update, app.process_update(update)), 1)
    assert handled == [1000, 1001, 1002, 1003, 1004]
    assert len(overflow) == 97 and [first for _, first in overflow].count(True) == 1

    release.set()
    await asyncio.gather(*flood)
    assert handled[5:] == [1, 2, 3]  # her first three, in order; the rest dropped
    assert not processor._chats  # nothing kept once the chat is idle
