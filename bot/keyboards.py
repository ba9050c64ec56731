"""Inline and reply keyboards: buttons over typing, a few per row for thumbs on a phone."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import dose_texts, privacy_texts, texts
from bot.callbacks import (
    CallbackData,
    ConfirmButton,
    ConfirmChoice,
    ConsentButton,
    DoseButton,
    ForgetButton,
    PlanButton,
    PlanChoice,
    ScreeningButton,
    SettingsButton,
    SettingsChoice,
    StepButton,
    TimeButton,
    YesNo,
    ZoneButton,
)
from bot.i18n import mg
from care.doses import DoseAction, StepChoice
from titration.screening import Answer, Question

BEDTIMES = ("21:00", "21:30", "22:00", "22:30", "23:00", "23:30")


def _button(text: str, callback: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=callback.pack())


def rows(buttons: Sequence[InlineKeyboardButton], per_row: int) -> InlineKeyboardMarkup:
    grouped = [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]
    return InlineKeyboardMarkup(grouped)


def consent() -> InlineKeyboardMarkup:
    return rows(
        [
            _button(texts.CONSENT_YES, ConsentButton(YesNo.YES)),
            _button(texts.CONSENT_NO, ConsentButton(YesNo.NO)),
        ],
        2,
    )


def screening(question: Question) -> InlineKeyboardMarkup:
    choices = [(texts.YES, Answer.YES), (texts.NO, Answer.NO)]
    if question in (Question.OPIOIDS, Question.ALLERGY):
        choices.append((texts.UNSURE, Answer.UNSURE))
    return rows(
        [_button(label, ScreeningButton(question, answer)) for label, answer in choices],
        3,
    )


def zones(names: Sequence[str]) -> InlineKeyboardMarkup:
    return rows(
        [_button(name.split("/")[-1].replace("_", " "), ZoneButton(name)) for name in names],
        3,
    )


CHECKIN_TIMES = ("07:00", "07:30", "08:00", "08:30", "09:00", "10:00")


def bedtimes(times: tuple[str, ...] = BEDTIMES) -> InlineKeyboardMarkup:
    return rows([_button(t, TimeButton(t.replace(":", ""))) for t in times], 3)


def plan_choice() -> InlineKeyboardMarkup:
    return rows(
        [
            _button(texts.PLAN_DEFAULT, PlanButton(PlanChoice.DEFAULT)),
            _button(texts.PLAN_CUSTOM, PlanButton(PlanChoice.CUSTOM)),
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
    return rows(
        [_button(c + suffix, PlanButton(PlanChoice(field), Decimal(c))) for c in choices], 3
    )


def did_you_mean(field: str, value: Decimal) -> InlineKeyboardMarkup:
    return rows(
        [_button(texts.DID_YOU_MEAN.format(value=value), PlanButton(PlanChoice(field), value))], 1
    )


def confirm_setup() -> InlineKeyboardMarkup:
    return rows(
        [
            _button(texts.CONFIRM_YES, ConfirmButton(ConfirmChoice.START)),
            _button(texts.CONFIRM_EDIT, ConfirmButton(ConfirmChoice.EDIT)),
        ],
        2,
    )


def dose(event_id: int, *, snooze: bool = True) -> InlineKeyboardMarkup:
    buttons = [_button(dose_texts.taken_button(), DoseButton(DoseAction.TAKEN, event_id))]
    if snooze:
        buttons.append(_button(dose_texts.snooze_button(), DoseButton(DoseAction.SNOOZE, event_id)))
    buttons.append(_button(dose_texts.skip_button(), DoseButton(DoseAction.SKIP, event_id)))
    return rows(buttons, 2)


def step_offer(current: Decimal, following: Decimal) -> InlineKeyboardMarkup:
    return rows(
        [
            _button(dose_texts.step_up_button(mg(following)), StepButton(StepChoice.UP, following)),
            _button(dose_texts.stay_button(mg(current)), StepButton(StepChoice.STAY, current)),
        ],
        1,
    )


def settings() -> InlineKeyboardMarkup:
    return rows(
        [
            _button(texts.SETTINGS_BEDTIME, SettingsButton(SettingsChoice.BEDTIME)),
            _button(texts.SETTINGS_ZONE, SettingsButton(SettingsChoice.ZONE)),
            _button(texts.SETTINGS_CHECKIN, SettingsButton(SettingsChoice.CHECKIN)),
        ],
        2,
    )


def forget() -> InlineKeyboardMarkup:
    return rows(
        [
            _button(privacy_texts.forget_yes(), ForgetButton(YesNo.YES)),
            _button(privacy_texts.forget_no(), ForgetButton(YesNo.NO)),
        ],
        2,
    )
