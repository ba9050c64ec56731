"""Sends caregivers' summaries and alerts for the scheduler (``scheduler.care_dispatch``).

A summary goes as a photo of its chart (``bot.summary_charts``, rendered in a worker process) with
the words as its caption. Paced as bulk (``bot.pacing.BULK``): behind replies and behind the
patients' reminders; a photo counts like any message. Telegram
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
from bot.summary_charts import SummaryCharts
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


CAPTION_LIMIT = 1024  # Telegram's limit for a photo's caption


def make_care_sender(bot: ExtBot[Any], charts: SummaryCharts | None = None) -> CareSend:
    """The CareSend the caregivers' queue calls: the message id, or a DeliveryError.

    A summary goes as its chart with the words as the caption (one message, paced like one);
    without ``charts``, or when the chart fails, as text."""
    pace = BULK if bot.rate_limiter is not None else None

    async def deliver(message: CareOutgoing) -> int:
        text, buttons = render(message)
        summary, record = message.summary, message.record
        png = None
        if charts is not None and summary is not None and record is not None:
            png = await charts.render(record, summary.scope)
        if png is not None and len(text) <= CAPTION_LIMIT:
            sent = await bot.send_photo(
                message.chat_id, png, caption=text, filename="summary.png", rate_limit_args=pace
            )
        else:
            sent = await bot.send_message(
                message.chat_id, text, reply_markup=buttons, rate_limit_args=pace
            )
        return sent.message_id

    async def send(message: CareOutgoing) -> int:
        try:
            return await deliver(message)
        except Forbidden as error:
            raise RecipientUnreachable(unreachable_reason(error)) from error
        except RetryAfter as error:
            raise RetryLater(retry_after_seconds(error)) from error
        except (BadRequest, InvalidToken) as error:
            log.error("Telegram refused a caregiver's %s: %s", message.kind, type(error).__name__)
            raise Undeliverable() from error
        except NetworkError as error:
            raise network_outcome(error) from error

    return send
