"""Numbers, doses, days and times as each language writes them; the language of a Telegram code."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot import i18n


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    yield
    i18n.use(i18n.DEFAULT)


@pytest.mark.parametrize(
    ("language", "dose", "shown"),
    [
        ("en", "1", "1.0 mg"),
        ("en", "0.5", "0.5 mg"),
        ("en", "0.25", "0.25 mg"),
        ("en", "4.50", "4.5 mg"),
        ("de", "1", "1,0 mg"),
        ("de", "0.25", "0,25 mg"),
    ],
)
def test_doses(language: str, dose: str, shown: str) -> None:
    i18n.use(language)
    assert i18n.mg(Decimal(dose)) == shown


def test_days_and_times() -> None:
    saturday_10pm = datetime(2026, 11, 28, 21, 0, tzinfo=UTC)
    berlin = ZoneInfo("Europe/Berlin")
    assert i18n.day(date(2026, 11, 28)) == "Sat 28 Nov"
    assert i18n.when(saturday_10pm, berlin) == "Sat 28 Nov at 22:00"
    i18n.use("de")
    assert i18n.day(date(2026, 11, 28)) == "Sa., 28. Nov."
    assert i18n.when(saturday_10pm, berlin) == "Sa., 28. Nov. um 22:00"


@pytest.mark.parametrize(
    ("code", "language"),
    [("de", "de"), ("de-AT", "de"), ("DE", "de"), ("en-GB", "en"), ("fr", "en"), (None, "en")],
)
def test_language_for_a_telegram_code(code: str | None, language: str) -> None:
    assert i18n.language_for(code) == language


def test_an_unknown_language_falls_back_to_english() -> None:
    i18n.use("xx")
    assert i18n.current() == "en"
