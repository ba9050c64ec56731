"""What every handler does the same way: who is pressing, one call into ``care``, and the three
ways of answering (a new message, the pressed message changed, a polite refusal)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlite_utils import Database
from telegram import (
    InlineKeyboardMarkup,
    InputMediaPhoto,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import CallbackContext

from bot import follow_texts, texts
from bot.callbacks import CallbackData
from bot.services import services
from care.caregiving import caregiver_only
from care.people import Refusal

Context = CallbackContext[Any, Any, Any, Any]
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
P = ParamSpec("P")
T = TypeVar("T")


def presser_id(update: Update) -> int:
    """The Telegram id of the person behind the update (the gate lets no update without one)."""
    assert update.effective_user is not None
    return update.effective_user.id


async def call(
    context: Context, fn: Callable[Concatenate[Database, P], T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """One intention: ``fn(db, …)`` from ``care``, on the database thread."""
    return await services(context).store.run(fn, *args, **kwargs)


async def send(context: Context, chat_id: int, text: str, markup: Markup | None = None) -> None:
    await context.bot.send_message(chat_id, text, reply_markup=markup)


async def reply(update: Update, context: Context, text: str, markup: Markup | None = None) -> None:
    """A new message in the chat the update came from."""
    await send(context, presser_id(update), text, markup)


def _on_pressed_message(update: Update) -> bool:
    """True when the pressed message really carries this button (not forged or replayed)."""
    query = update.callback_query
    markup = getattr(query.message, "reply_markup", None) if query is not None else None
    if query is None or markup is None:
        return False
    return any(b.callback_data == query.data for row in markup.inline_keyboard for b in row)


async def show(
    update: Update, context: Context, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Change the pressed message to ``text`` (and ``markup``); a new message instead when the
    press is forged (its data is not on the message) or the message can no longer be edited."""
    query = update.callback_query
    if query is None or not _on_pressed_message(update):
        await reply(update, context, text, markup)
        return
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            await reply(update, context, text, markup)


async def show_photo(
    update: Update,
    context: Context,
    png: bytes,
    caption: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Change the pressed photo message to ``png`` with ``caption`` (and ``markup``); a new photo
    instead when the press is forged or the message can no longer be edited."""
    query = update.callback_query
    if query is not None and _on_pressed_message(update):
        media = InputMediaPhoto(png, caption=caption, filename="chart.png")
        try:
            await query.edit_message_media(media, reply_markup=markup)
            return
        except BadRequest as error:
            if "not modified" in error.message.lower():
                return
    await send_photo(context, presser_id(update), png, caption, markup)


async def send_photo(
    context: Context, chat_id: int, png: bytes, caption: str, markup: Markup | None = None
) -> None:
    """A PNG as a photo, ``caption`` under it."""
    await context.bot.send_photo(
        chat_id, png, caption=caption, reply_markup=markup, filename="chart.png"
    )


async def show_answer(update: Update, context: Context, answer: str) -> None:
    """Keep the pressed question's text, add the chosen answer under it, remove its buttons."""
    query = update.callback_query
    if query is None or query.message is None or not _on_pressed_message(update):
        return
    question = getattr(query.message, "text_html", None) or ""
    try:
        await query.edit_message_text(f"{question}\n\n<i>→ {answer}</i>")
    except BadRequest:  # too old to edit, or unchanged: the answer counts all the same
        return


REFUSALS = {
    Refusal.NEED_START: texts.need_start,
    Refusal.NOT_ACTIVE: texts.not_active,
    Refusal.NOT_YOURS: texts.not_yours,
    Refusal.STALE: texts.invalid_button,
    Refusal.NO_RECORD: texts.data_deleted,
    Refusal.NOT_ADMIN: texts.not_admin,
    Refusal.NOT_CAREGIVER: texts.not_caregiver,
    Refusal.SHARING_ENDED: texts.sharing_ended,
    Refusal.OUT_OF_SCOPE: texts.out_of_scope,
}


async def refuse(update: Update, context: Context, refusal: Refusal) -> None:
    """The one polite answer to a press or message that cannot be carried out. A button pressed
    by someone with no record (care's "send /start first") is an old message after /forget:
    only people with a record were ever sent buttons. A patient's command from a caregiver is
    explained to them instead."""
    if refusal is Refusal.NEED_START and update.callback_query is not None:
        refusal = Refusal.NO_RECORD
    if refusal is Refusal.NEED_START and await _explained_to_caregiver(update, context):
        return
    await reply(update, context, REFUSALS[refusal]())


async def _explained_to_caregiver(update: Update, context: Context) -> bool:
    """A patient's command (/today, /invite …) from someone who only follows others: say whom
    it is for and what they can use instead, rather than "send /start"."""
    message = update.effective_message
    text = message.text if message is not None else None
    if not text or not text.startswith("/"):
        return False
    following = await call(context, caregiver_only, presser_id(update))
    if following is None:
        return False
    command = text.split()[0].removeprefix("/").split("@")[0]
    await reply(update, context, follow_texts.patients_only(command, list(following)))
    return True


MAX_TEXT = 1000  # longer typed answers are refused before anything reads them


async def typed_text(update: Update, context: Context) -> str | None:
    """The typed answer, or None (and a friendly "please keep it shorter") when it is too long."""
    message = update.effective_message
    assert message is not None and message.text is not None
    if len(message.text) > MAX_TEXT:
        await reply(update, context, texts.too_long(MAX_TEXT))
        return None
    return message.text


ButtonT = TypeVar("ButtonT", bound=CallbackData)


async def pressed_button(update: Update, context: Context, area: type[ButtonT]) -> ButtonT | None:
    """The pressed button's data as ``area``; None (and the polite refusal) when it does not fit:
    forged, damaged, or from an older version of the bot."""
    query = update.callback_query
    pressed = area.parse(query.data if query is not None else None)
    if pressed is None:
        await invalid_button(update, context)
    return pressed


async def invalid_button(update: Update, context: Context) -> None:
    """Callback data that fits no schema: forged, or from an older version of the bot."""
    await refuse(update, context, Refusal.STALE)


def genuine_press(update: Update) -> bool:
    """True when the pressed message carries the pressed button: not forged, not replayed on a
    message whose buttons are gone."""
    return _on_pressed_message(update)
