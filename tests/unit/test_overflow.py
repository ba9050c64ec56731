"""What a chat whose backlog is full hears: one "slow down", and a notice on every press."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any, cast

from telegram import CallbackQuery, Chat, Message, Update, User
from telegram.ext import Application

from bot import flood_texts, i18n
from bot.overflow import slow_down

WHEN = datetime(2026, 12, 1, tzinfo=UTC)


class FakeBot:
    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []
        self.answers: list[tuple[str, str | None]] = []

    async def send_message(self, chat_id: int, text: str, **_: Any) -> None:
        self.sent.append((chat_id, text))

    async def answer_callback_query(
        self, callback_query_id: str, text: str | None = None, **_: Any
    ) -> bool:
        self.answers.append((callback_query_id, text))
        return True


class FakeApp:
    def __init__(self) -> None:
        self.bot = FakeBot()
        self.tasks: list[asyncio.Future[Any]] = []

    def create_task(self, coroutine: Any, name: str | None = None) -> None:
        self.tasks.append(asyncio.ensure_future(coroutine))


def _message(update_id: int, language: str) -> Update:
    user = User(7, "Ana", is_bot=False, language_code=language)
    chat = Chat(7, Chat.PRIVATE)
    return Update(update_id, message=Message(update_id, WHEN, chat, from_user=user, text="hi"))


def _press(update_id: int, bot: FakeBot) -> Update:
    user = User(7, "Ana", is_bot=False, language_code="en")
    message = Message(1, WHEN, Chat(7, Chat.PRIVATE))
    query = CallbackQuery(f"q{update_id}", user, "inst", message=message, data="v1:x")
    query.set_bot(cast(Any, bot))
    return Update(update_id, callback_query=query)


async def test_one_slow_down_in_the_persons_language_and_every_press_answered() -> None:
    app = FakeApp()
    on_overflow = slow_down(cast(Application[Any, Any, Any, Any, Any, Any], app))
    on_overflow(_message(1, "de"), True)
    for n in range(2, 50):
        on_overflow(_message(n, "de"), False)  # the rest of the flood: nothing said
    on_overflow(_press(50, app.bot), False)
    on_overflow(_press(51, app.bot), False)
    await asyncio.gather(*app.tasks)

    i18n.use("de")
    assert app.bot.sent == [(7, flood_texts.slow_down())]
    assert "Nachrichten" in app.bot.sent[0][1]
    i18n.use("en")
    assert app.bot.answers == [
        ("q50", flood_texts.slow_down_press()),
        ("q51", flood_texts.slow_down_press()),
    ]
