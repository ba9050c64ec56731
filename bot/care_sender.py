"""Sends caregivers' summaries and alerts for the scheduler (``scheduler.care_dispatch``).

Paced as bulk (``bot.pacing.BULK``): behind replies and behind the patients' reminders. Telegram
errors become the same delivery outcomes as for the patients' messages (``bot.sender``).
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import ExtBot

from bot import i18n, summary_texts
from bot.callbacks import CaregiverAction, CaregiverButton
from bot.pacing import BULK, retry_after_seconds
from bot.sender import network_outcome, unreachable_reason
from scheduler.care_dispatch import CareSend
from scheduler.caregiving import CareOutgoing
from scheduler.delivery import RecipientUnreachable, RetryLater, Undeliverable
from titration.care_summary import CareKind

log = logging.getLogger(__name__)


def render(message: CareOutgoing) -> tuple[str, InlineKeyboardMarkup | None]:
    """The text (and, under an alert, the [Acknowledge] button) in the caregiver's language."""
    i18n.use(message.language)
    if message.kind is CareKind.SUMMARY:
        assert message.summary is not None
        return summary_texts.summary(message.patient_name, message.summary), None
    since = i18n.day(message.day) if message.day is not None else None
    text = summary_texts.alert(
        message.kind, message.patient_name, message.detail, message.nights, since
    )
    data = CaregiverButton(CaregiverAction.ACKNOWLEDGE, message.task_id).pack()
    button = InlineKeyboardButton(summary_texts.acknowledge_button(), callback_data=data)
    return text, InlineKeyboardMarkup([[button]])


def make_care_sender(bot: ExtBot[Any]) -> CareSend:
    """The CareSend the caregivers' queue calls: the message id, or a DeliveryError."""
    pace = BULK if bot.rate_limiter is not None else None

    async def send(message: CareOutgoing) -> int:
        text, buttons = render(message)
        try:
            sent = await bot.send_message(
                message.chat_id, text, reply_markup=buttons, rate_limit_args=pace
            )
        except Forbidden as error:
            raise RecipientUnreachable(unreachable_reason(error)) from error
        except RetryAfter as error:
            raise RetryLater(retry_after_seconds(error)) from error
        except (BadRequest, InvalidToken) as error:
            log.error("Telegram refused a caregiver's %s: %s", message.kind, type(error).__name__)
            raise Undeliverable() from error
        except NetworkError as error:
            raise network_outcome(error) from error
        return sent.message_id

    return send
