"""Inline and reply keyboards: buttons over typing, a few per row for thumbs on a phone."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.callbacks import Callback
from titration.doses import format_mg
from titration.screening import Answer, Question

BEDTIMES = ("21:00", "21:30", "22:00", "22:30", "23:00", "23:30")


def _button(text: str, callback: Callback) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=callback.pack())


def rows(buttons: Sequence[InlineKeyboardButton], per_row: int) -> InlineKeyboardMarkup:
    grouped = [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]
    return InlineKeyboardMarkup(grouped)


def consent() -> InlineKeyboardMarkup:
    return rows(
        [
            _button(texts.CONSENT_YES, Callback("ob", "consent", "yes")),
            _button(texts.CONSENT_NO, Callback("ob", "consent", "no")),
        ],
        2,
    )


def screening(question: Question) -> InlineKeyboardMarkup:
    choices = [(texts.YES, Answer.YES), (texts.NO, Answer.NO)]
    if question in (Question.OPIOIDS, Question.ALLERGY):
        choices.append((texts.UNSURE, Answer.UNSURE))
    return rows(
        [
            _button(label, Callback("scr", question.value, answer.value))
            for label, answer in choices
        ],
        3,
    )


def zones(names: Sequence[str]) -> InlineKeyboardMarkup:
    return rows(
        [
            _button(name.split("/")[-1].replace("_", " "), Callback("zone", "pick", name))
            for name in names
        ],
        3,
    )


CHECKIN_TIMES = ("07:00", "07:30", "08:00", "08:30", "09:00", "10:00")


def bedtimes(times: tuple[str, ...] = BEDTIMES) -> InlineKeyboardMarkup:
    return rows([_button(t, Callback("bed", "pick", t.replace(":", ""))) for t in times], 3)


def plan_choice() -> InlineKeyboardMarkup:
    return rows(
        [
            _button(texts.PLAN_DEFAULT, Callback("plan", "default")),
            _button(texts.PLAN_CUSTOM, Callback("plan", "custom")),
        ],
        1,
    )


PLAN_FIELD_CHOICES = {
    "start": ("0.5", "1.0", "1.5"),
    "step": ("0.25", "0.5", "1.0"),
    "interval": ("7", "10", "14"),
    "target": ("3.0", "4.0", "4.5"),
}


def plan_field(field: str) -> InlineKeyboardMarkup:
    choices = PLAN_FIELD_CHOICES[field]
    suffix = " days" if field == "interval" else " mg"
    return rows([_button(c + suffix, Callback("plan", field, c)) for c in choices], 3)


def did_you_mean(field: str, value: Decimal) -> InlineKeyboardMarkup:
    return rows(
        [_button(texts.DID_YOU_MEAN.format(value=value), Callback("plan", field, str(value)))], 1
    )


def confirm_setup() -> InlineKeyboardMarkup:
    return rows(
        [
            _button(texts.CONFIRM_YES, Callback("ob", "confirm", "yes")),
            _button(texts.CONFIRM_EDIT, Callback("ob", "confirm", "edit")),
        ],
        2,
    )


def dose(event_id: int, *, snooze: bool = True) -> InlineKeyboardMarkup:
    arg = str(event_id)
    buttons = [_button(texts.TAKEN_BUTTON, Callback("dose", "taken", arg))]
    if snooze:
        buttons.append(_button(texts.SNOOZE_BUTTON, Callback("dose", "snooze", arg)))
    buttons.append(_button(texts.SKIP_BUTTON, Callback("dose", "skip", arg)))
    return rows(buttons, 2)


def step_offer(current: Decimal, following: Decimal) -> InlineKeyboardMarkup:
    return rows(
        [
            _button(
                texts.step_up_button(format_mg(following)), Callback("step", "up", str(following))
            ),
            _button(texts.stay_button(format_mg(current)), Callback("step", "stay", str(current))),
        ],
        1,
    )


def settings() -> InlineKeyboardMarkup:
    return rows(
        [
            _button(texts.SETTINGS_BEDTIME, Callback("set", "bedtime")),
            _button(texts.SETTINGS_ZONE, Callback("set", "zone")),
            _button(texts.SETTINGS_CHECKIN, Callback("set", "checkin")),
        ],
        2,
    )


def forget() -> InlineKeyboardMarkup:
    return rows(
        [
            _button(texts.FORGET_YES, Callback("forget", "yes")),
            _button(texts.FORGET_NO, Callback("forget", "no")),
        ],
        2,
    )
