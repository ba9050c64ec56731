"""What a chat hears when its backlog is full (``bot.updates.PerChatUpdateProcessor``).

A message beyond the backlog is dropped; the first one dropped while the chat is busy gets one
"slow down" reply, the rest nothing (answering each would only feed the flood, and Telegram lets
a bot send one message a second to a chat). A button pressed meanwhile is not applied but is
answered at once with a short notice, so its spinner never turns until Telegram expires it.
Nothing is said in groups (the gate leaves them).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application

from bot import flood_texts, i18n

log = logging.getLogger(__name__)


def slow_down(app: Application[Any, Any, Any, Any, Any, Any]) -> Callable[[Update, bool], None]:
    """The processor's ``on_overflow``: answers a dropped update in a task of its own."""

    def on_overflow(update: Update, first: bool) -> None:
        if update.callback_query is not None or first:
            app.create_task(_answer(app, update), name="slow down")

    return on_overflow


async def _answer(app: Application[Any, Any, Any, Any, Any, Any], update: Update) -> None:
    user = update.effective_user
    i18n.use(i18n.language_for(user.language_code if user is not None else None))
    press = update.callback_query
    chat = update.effective_chat
    try:
        if press is not None:
            await press.answer(flood_texts.slow_down_press())
        elif chat is not None and chat.type == ChatType.PRIVATE:
            await app.bot.send_message(chat.id, flood_texts.slow_down())
    except TelegramError as error:
        log.info("slow-down answer failed: %s", type(error).__name__)
