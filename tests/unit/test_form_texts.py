"""How a liquid dose and a morning reminder read, in English and German."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bot import dose_texts, form_texts, i18n
from titration.reminders import ReminderCard

AT = datetime(2026, 11, 29, 7, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    yield
    i18n.use("en")


@pytest.mark.parametrize(
    ("language", "dose", "strength", "expected"),
    [
        ("en", "0.5", "1", "0.5 mg = 0.5 ml of your 1 mg/ml liquid"),
        ("en", "1.0", "3", "1.0 mg = 0.33 ml of your 3 mg/ml liquid"),
        ("de", "0.5", "2", "0,5 mg = 0,25 ml deiner Lösung mit 2 mg/ml"),
        ("de", "4.5", "1.5", "4,5 mg = 3 ml deiner Lösung mit 1,5 mg/ml"),
    ],
)
def test_a_liquid_dose_in_ml(language: str, dose: str, strength: str, expected: str) -> None:
    i18n.use(language)
    assert form_texts.liquid_dose(Decimal(dose), Decimal(strength)) == expected


@pytest.mark.parametrize(
    ("language", "note"),
    [("en", "check it with your pharmacist"), ("de", "mit deiner Apotheke")],
)
def test_an_unusual_volume_asks_to_check_with_the_pharmacist(language: str, note: str) -> None:
    i18n.use(language)
    too_much = form_texts.liquid_dose(Decimal("4.5"), Decimal("0.1"))  # 45 ml
    too_little = form_texts.liquid_dose(Decimal("0.4"), Decimal("10"))  # 0.04 ml
    usual = form_texts.liquid_dose(Decimal("0.5"), Decimal("10"))  # 0.05 ml
    assert note in too_much and note in too_little and note not in usual


def card(*, morning: bool, snoozed: bool = False) -> ReminderCard:
    return ReminderCard(
        dose_mg=Decimal("1.0"),
        night_at_dose=3,
        interval_days=14,
        target_mg=Decimal("4.5"),
        maintenance=False,
        previous_missed=True,
        late=False,
        step_question_open=False,
        snoozed=snoozed,
        morning=morning,
    )


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_morning_reminder_never_says_tonight(language: str) -> None:
    i18n.use(language)
    night_words = ("tonight", "Sleep well", "Last night", "heute Abend", "Schlaf gut", "Nacht")
    texts = [
        dose_texts.reminder(card(morning=True)),
        dose_texts.reminder(card(morning=True, snoozed=True)),
        dose_texts.nudge(card(morning=True)),
        dose_texts.taken("1.0 mg", AT, morning=True),
        dose_texts.skipped("1.0 mg", morning=True),
        dose_texts.snooze_used(morning=True),
        dose_texts.already("missed", morning=True),
        dose_texts.skip_button(morning=True),
    ]
    for text in texts:
        assert not any(word in text for word in night_words), text
    bedtime = dose_texts.reminder(card(morning=False))
    assert any(word in bedtime for word in night_words)
