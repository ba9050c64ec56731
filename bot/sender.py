"""Sends scheduled messages for the scheduler, turning Telegram errors into delivery outcomes."""

from __future__ import annotations

import logging

import httpx
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut

from bot import checkin_texts as words
from bot import keyboards, texts
from bot.checkin_keyboards import question_keyboard
from scheduler.delivery import (
    OutcomeUnknown,
    Outgoing,
    RecipientUnreachable,
    RetryLater,
    Send,
    Undeliverable,
)
from titration.reminders import TaskKind

log = logging.getLogger(__name__)

_UNSENT_TIMEOUTS = (httpx.ConnectTimeout, httpx.PoolTimeout)


def render(message: Outgoing) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons of a scheduled message."""
    if message.kind is TaskKind.CHECKIN:
        return words.QUESTION, question_keyboard(message.event_id, [])
    card = message.card
    assert card is not None
    snooze = message.kind is TaskKind.REMINDER
    buttons = keyboards.dose(message.event_id, snooze=snooze)
    if message.kind is TaskKind.NUDGE:
        return texts.nudge(card), buttons
    text = texts.reminder(card)
    if card.held_for:
        text += "\n" + words.held(card.held_for)
    return text, buttons


def unreachable_reason(error: Forbidden) -> str:
    text = error.message.lower()
    if "blocked" in text:
        return "blocked"
    if "deactivated" in text:
        return "deactivated"
    return "not_started"


def make_sender(bot: Bot) -> Send:
    """The Send function the scheduler calls: returns the message id or raises a DeliveryError."""

    async def send(message: Outgoing) -> int:
        text, buttons = render(message)
        try:
            sent = await bot.send_message(message.chat_id, text, reply_markup=buttons)
        except Forbidden as error:
            raise RecipientUnreachable(unreachable_reason(error)) from error
        except RetryAfter as error:
            after = error.retry_after
            seconds = after.total_seconds() if hasattr(after, "total_seconds") else float(after)
            raise RetryLater(seconds) from error
        except TimedOut as error:
            if isinstance(error.__cause__, _UNSENT_TIMEOUTS):
                raise RetryLater() from error
            raise OutcomeUnknown() from error
        except BadRequest as error:
            log.error("Telegram refused a %s message: %s", message.kind, type(error).__name__)
            raise Undeliverable() from error
        except InvalidToken as error:
            raise Undeliverable() from error
        except NetworkError as error:
            raise RetryLater() from error
        return sent.message_id

    return send
