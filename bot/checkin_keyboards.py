"""Check-in and benefit keyboards (shared by the handlers and the scheduled sender).

Callback data: ``v1:ci:<effect code|none|done>:<checkin id>``, ``v1:sev:<code>:<m|o|s>:<id>``,
``v1:ben:<start|later>:<rating id>`` and ``v1:ben:<measure>:<rating id>:<0-10>``; the codes are
``care.checkins.CODES`` and ``LEVELS``.
"""

from __future__ import annotations

from collections.abc import Collection

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import checkin_texts as words
from bot.callbacks import (
    BenefitAction,
    BenefitButton,
    CallbackData,
    EffectButton,
    SeverityButton,
)
from care.benefits import MAX_SCORE
from care.checkins import CODES, DONE, LEVELS, NONE
from titration.benefits import Measure
from titration.side_effects import Effect


def _button(text: str, callback: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=callback.pack())


def question_keyboard(checkin_id: int, selected: Collection[Effect]) -> InlineKeyboardMarkup:
    """The effects two a row (ticked ones marked), then [None of these] or, once any is
    ticked, [Done]."""
    effects = [
        _button(
            ("✓ " if effect in selected else "") + words.effect_label(effect),
            EffectButton(CODES[effect], checkin_id),
        )
        for effect in words.EFFECT_LABELS
    ]
    pairs = [effects[i : i + 2] for i in range(0, len(effects), 2)]
    if selected:
        last = [_button(words.done_button(), EffectButton(DONE, checkin_id))]
    else:
        last = [_button(words.none_button(), EffectButton(NONE, checkin_id))]
    return InlineKeyboardMarkup([*pairs, last])


def severity_keyboard(checkin_id: int, effect: Effect) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button(
                    words.severity_label(level), SeverityButton(CODES[effect], code, checkin_id)
                )
                for level, code in LEVELS.items()
            ]
        ]
    )


def measure_keyboard(rating_id: int, measure: Measure) -> InlineKeyboardMarkup:
    buttons = [
        _button(str(n), BenefitButton(BenefitAction(measure.value), rating_id, n))
        for n in range(MAX_SCORE + 1)
    ]
    return InlineKeyboardMarkup([buttons[:6], buttons[6:]])


def baseline_keyboard(rating_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button(words.baseline_yes(), BenefitButton(BenefitAction.START, rating_id)),
                _button(words.baseline_later(), BenefitButton(BenefitAction.LATER, rating_id)),
            ]
        ]
    )
