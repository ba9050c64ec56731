"""The update processor keeps nothing per chat or per user once their updates are handled."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Chat, Message, Update, User
from telegram.ext import ApplicationBuilder, MessageHandler, filters

from bot.updates import PerChatUpdateProcessor


def _update(update_id: int, person: int) -> Update:
    user = User(person, "Ana", is_bot=False)
    chat = Chat(person, Chat.PRIVATE)
    message = Message(update_id, datetime(2026, 12, 1, tzinfo=UTC), chat, from_user=user, text="hi")
    return Update(update_id, message=message)


async def test_nothing_is_kept_per_distinct_chat_or_user() -> None:
    processor = PerChatUpdateProcessor(8)
    app = ApplicationBuilder().token("1:x").concurrent_updates(processor).job_queue(None).build()
    processor.application = app
    app._initialized = True
    seen: list[int] = []

    async def handle(update: Update, _context: object) -> None:
        seen.append(update.update_id)

    app.add_handler(MessageHandler(filters.TEXT, handle))
    for n in range(1, 201):
        update = _update(n, 10_000 + n)  # each from another person
        await processor.process_update(update, app.process_update(update))

    assert len(seen) == 200
    # PTB notes every chat and user for a persistence this bot does not have; before the fix
    # these held 200 ids each and grew with every new person for the life of the process.
    assert not app._chat_ids_to_be_updated_in_persistence
    assert not app._user_ids_to_be_updated_in_persistence
    assert not app.user_data and not app.chat_data
    assert not processor._chats
