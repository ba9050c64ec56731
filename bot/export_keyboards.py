"""/export's keyboards: the formats, a report's period, and [Send] / [Cancel].

Callback data: ``v1:exp:fmt:<format>``, ``v1:exp:per:<format>:<period>`` and
``v1:exp:go:<yes|no>:<format>:<minute offered>[:<period>]`` (``bot.callbacks``).
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import export_texts as words
from bot.callbacks import (
    CallbackData,
    ExportFormatButton,
    ExportPeriodButton,
    ExportSendButton,
    YesNo,
)
from care.exports import ExportFormat, ExportPeriod


def _button(text: str, callback: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=callback.pack())


def formats(reports: bool) -> InlineKeyboardMarkup:
    """One format a row; only the complete copy while no plan has started."""
    offered = list(ExportFormat) if reports else [ExportFormat.JSON]
    return InlineKeyboardMarkup(
        [[_button(words.format_label(f), ExportFormatButton(f))] for f in offered]
    )


def periods(fmt: ExportFormat) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_button(words.period_label(p), ExportPeriodButton(fmt, p)) for p in ExportPeriod]]
    )


def send(fmt: ExportFormat, period: ExportPeriod | None, issued: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button(words.send(), ExportSendButton(YesNo.YES, fmt, issued, period)),
                _button(words.cancel(), ExportSendButton(YesNo.NO, fmt, issued, period)),
            ]
        ]
    )
