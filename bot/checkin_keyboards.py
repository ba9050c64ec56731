"""Check-in keyboards and their callback codes (shared by the handlers and the scheduled sender).

Callback data: ``v1:ci:<effect code|none|done>:<checkin id>``, ``v1:sev:<code>:<m|o|s>:<id>``,
``v1:ben:<measure|start|later>:<rating id>[_<0-10>]``.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import checkin_texts as words
from bot.callbacks import (
    BenefitAction,
    BenefitButton,
    CallbackData,
    EffectButton,
    SeverityButton,
)
from titration.benefits import Measure
from titration.side_effects import Effect, Severity

CODES = {
    Effect.DREAMS: "dr",
    Effect.INSOMNIA: "in",
    Effect.HEADACHE: "he",
    Effect.STOMACH: "st",
    Effect.PAIN_FATIGUE: "pf",
    Effect.OTHER: "ot",
}
BY_CODE = {code: effect for effect, code in CODES.items()}
SEVERITY_CODES = {Severity.MILD: "m", Severity.MODERATE: "o", Severity.SEVERE: "s"}
SEVERITY_BY_CODE = {code: sev for sev, code in SEVERITY_CODES.items()}


def _button(text: str, callback: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=callback.pack())


def question_keyboard(checkin_id: int, selected: list[str]) -> InlineKeyboardMarkup:
    effects = [
        _button(("✓ " if CODES[e] in selected else "") + label, EffectButton(CODES[e], checkin_id))
        for e, label in words.EFFECT_LABELS.items()
    ]
    pairs = [effects[i : i + 2] for i in range(0, len(effects), 2)]
    last = [_button(words.NONE_BUTTON, EffectButton("none", checkin_id))]
    if selected:
        last = [_button(words.DONE_BUTTON, EffectButton("done", checkin_id))]
    return InlineKeyboardMarkup([*pairs, last])


def severity_keyboard(checkin_id: int, effect: Effect) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button(
                    label,
                    SeverityButton(CODES[effect], SEVERITY_CODES[sev], checkin_id),
                )
                for sev, label in words.SEVERITY_LABELS.items()
            ]
        ]
    )


def measure_keyboard(rating_id: int, measure: Measure) -> InlineKeyboardMarkup:
    buttons = [
        _button(str(n), BenefitButton(BenefitAction(measure.value), rating_id, n))
        for n in range(11)
    ]
    return InlineKeyboardMarkup([buttons[:6], buttons[6:]])


def baseline_keyboard(rating_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button(words.BASELINE_YES, BenefitButton(BenefitAction.START, rating_id)),
                _button(words.BASELINE_LATER, BenefitButton(BenefitAction.LATER, rating_id)),
            ]
        ]
    )
