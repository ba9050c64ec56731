"""Checks every update passes before any feature sees it, and the catch-alls after.

Group −2: every button press answered, once; private chats only (health data stays out of
groups; the bot leaves them) and each update processed once (Telegram may deliver an update
twice). Then, last: unknown commands, unexpected media, and block/unblock notices.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3

from telegram import CallbackQuery, ChatMember, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot import i18n, texts
from bot.handlers.common import call
from bot.services import services
from care import reminders
from care.people import arrive

log = logging.getLogger(__name__)

_GONE = (ChatMember.BANNED, ChatMember.LEFT)


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer button presses; drop duplicates; leave groups; let private-chat updates through.

    Every press is answered here, once, before any handler runs (Telegram expires unanswered
    queries within seconds, and the person's spinner turns until then). A press that is certainly
    new is answered before the database is asked, so a busy evening never slows the spinner.
    """
    svc = services(context)
    press = update.callback_query
    certainly_new = svc.seen_updates.first_sight(update.update_id)
    if press is not None and certainly_new:
        await answer_quietly(press)
    user = update.effective_user
    user_id = user.id if user is not None else None
    i18n.use(i18n.language_for(user.language_code if user is not None else None))
    try:
        arrival = await svc.store.run(arrive, update.update_id, user_id, svc.clock.now())
    except sqlite3.Error as error:
        # Nothing can be saved right now: say so, and do not let a handler act on the update.
        log.warning("update %s not recorded: %s", update.update_id, type(error).__name__)
        if press is not None and not certainly_new:
            await answer_quietly(press)
        if update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE:
            with contextlib.suppress(Exception):
                await context.bot.send_message(update.effective_chat.id, texts.save_failed())
        raise ApplicationHandlerStop from None
    if not arrival.first_time:
        log.info("update %s delivered again; ignored", update.update_id)
        raise ApplicationHandlerStop
    if not certainly_new:
        svc.seen_updates.found_new(update.update_id)  # the mark re-anchors on a moved sequence
        if press is not None:
            await answer_quietly(press)
    if user is not None:
        i18n.use(arrival.language or i18n.language_for(user.language_code))
        svc.open_questions.note(user.id, arrival.awaiting)
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        change = update.my_chat_member
        removed = change is not None and change.new_chat_member.status in _GONE
        if not removed:
            log.info("leaving non-private chat %s", chat.id)
            try:
                await context.bot.leave_chat(chat.id)
            except Exception as error:  # whether or not we could leave, the update stops here
                log.warning("could not leave chat %s: %s", chat.id, type(error).__name__)
        raise ApplicationHandlerStop
    if user is None:
        # No sender (a message without "from", a channel post): nobody to answer or to act for.
        log.info("update %s has no sender; ignored", update.update_id)
        raise ApplicationHandlerStop


async def answer_quietly(query: CallbackQuery) -> None:
    """Stop the button's spinner. Telegram expires queries after ~15 s ("query is too old"),
    e.g. for a tap made while the bot was down: the tap itself must still be applied (F5)."""
    try:
        await query.answer()
    except TelegramError as error:
        log.info("callback answer failed: %s", type(error).__name__)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(texts.unknown_command())


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(texts.not_text())


async def member_changed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The person blocked or unblocked the bot (my_chat_member in their private chat)."""
    change = update.my_chat_member
    if change is None:
        return
    svc = services(context)
    now = svc.clock.now()
    status = change.new_chat_member.status
    if status in _GONE:
        await call(context, reminders.blocked, change.from_user.id, now)
    elif status == ChatMember.MEMBER and await call(
        context, reminders.unblocked, change.from_user.id, now
    ):
        svc.wakeup.poke()
