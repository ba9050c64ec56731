"""Sends scheduled messages for the scheduler, turning Telegram errors into delivery outcomes."""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import ExtBot

from bot import checkin_texts as words
from bot import dose_texts, i18n, keyboards
from bot.aiohttp_request import NotSent
from bot.checkin_keyboards import question_keyboard
from bot.pacing import SCHEDULED, retry_after_seconds
from scheduler.delivery import (
    DeliveryError,
    OutcomeUnknown,
    Outgoing,
    RecipientUnreachable,
    RetryLater,
    Send,
    Undeliverable,
)
from titration.reminders import TaskKind

log = logging.getLogger(__name__)


def render(message: Outgoing) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons of a scheduled message, in the patient's language."""
    i18n.use(message.language)
    if message.kind is TaskKind.CHECKIN:
        return words.question(), question_keyboard(message.event_id, ())
    card = message.card
    assert card is not None
    snooze = message.kind is TaskKind.REMINDER
    buttons = keyboards.dose(message.event_id, snooze=snooze, morning=card.morning)
    if message.kind is TaskKind.NUDGE:
        return dose_texts.nudge(card), buttons
    text = dose_texts.reminder(card)
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


def network_outcome(error: NetworkError) -> DeliveryError:
    """What a NetworkError (TimedOut included) means for delivery.

    - ``NotSent`` cause: the request class failed before the request left (no connection could
      be made or had), so sending again is safe.
    - No cause, or PTB's own parse error as the cause: Telegram (or a proxy) answered with an
      error status such as 502 with an HTML page; it did not take the message.
    - Any other cause is a transport failure after the request may have been written (a timeout
      waiting for the answer, a dropped connection, a truncated answer): Telegram may have
      accepted the message, so the outcome is unknown.
    """
    cause = error.__cause__
    if isinstance(cause, NotSent):
        return RetryLater()
    if isinstance(error, TimedOut):
        return OutcomeUnknown()
    if cause is None or isinstance(cause, TelegramError):
        return RetryLater()
    return OutcomeUnknown()


def make_sender(bot: ExtBot[Any]) -> Send:
    """The Send function the scheduler calls: returns the message id or raises a DeliveryError.

    Scheduled messages give way to replies in the pacer: nobody is waiting on them this second.
    """
    pace = SCHEDULED if bot.rate_limiter is not None else None

    async def send(message: Outgoing) -> int:
        text, buttons = render(message)
        try:
            sent = await bot.send_message(
                message.chat_id, text, reply_markup=buttons, rate_limit_args=pace
            )
        except Forbidden as error:
            raise RecipientUnreachable(unreachable_reason(error)) from error
        except RetryAfter as error:
            raise RetryLater(retry_after_seconds(error)) from error
        except BadRequest as error:
            log.error("Telegram refused a %s message: %s", message.kind, type(error).__name__)
            raise Undeliverable() from error
        except InvalidToken as error:
            raise Undeliverable() from error
        except NetworkError as error:  # after BadRequest, its subclass; TimedOut is one too
            raise network_outcome(error) from error
        except TelegramError as error:
            if isinstance(error.__cause__, ValueError):
                # A 2xx answer whose body PTB could not parse: Telegram took the message.
                raise OutcomeUnknown() from error
            raise
        return sent.message_id

    return send
