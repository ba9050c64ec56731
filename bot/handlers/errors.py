"""The one error handler: log ids and the exception type, never message contents or tokens."""

from __future__ import annotations

import logging
import sqlite3

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError
from telegram.ext import ContextTypes

from bot import texts

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log what failed (ids and type only); tell the person when their input was not saved."""
    error = context.error
    update_id = user_id = None
    chat_id: int | None = None
    if isinstance(update, Update):
        update_id = update.update_id
        user_id = update.effective_user.id if update.effective_user else None
        chat_id = update.effective_chat.id if update.effective_chat else None
    if isinstance(error, BadRequest) and "not modified" in error.message.lower():
        return
    if isinstance(error, Forbidden | NetworkError):
        log.warning("update %s user %s: %s", update_id, user_id, type(error).__name__)
        return
    log.error(
        "update %s user %s failed: %s",
        update_id,
        user_id,
        type(error).__name__,
        exc_info=(type(error), error, error.__traceback__) if error is not None else None,
    )
    if isinstance(error, sqlite3.Error) and chat_id is not None:
        try:
            await context.bot.send_message(chat_id, texts.save_failed())
        except Exception as exc:  # the error handler must never raise
            log.warning(
                "could not tell user %s about a failed save: %s", user_id, type(exc).__name__
            )
