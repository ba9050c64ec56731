"""Dose, step and interval parsing: what people type, and the friendly refusals."""

from decimal import Decimal

import pytest

from titration.doses import format_mg, parse_dose, parse_interval, parse_step
from titration.errors import InputError


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        pytest.param("0.5", Decimal("0.5"), id="plain"),
        pytest.param("1,5", Decimal("1.5"), id="decimal_comma"),
        pytest.param(" 4.5 mg ", Decimal("4.5"), id="with_unit_and_spaces"),
        pytest.param("3MG", Decimal("3"), id="upper_case_unit"),
        pytest.param("0.1", Decimal("0.1"), id="lowest"),
        pytest.param("1 milligram", Decimal("1"), id="word_unit"),
    ],
)
def test_parse_dose_accepts(typed: str, expected: Decimal) -> None:
    assert parse_dose(typed) == expected


@pytest.mark.parametrize(
    ("typed", "suggestion", "words"),
    [
        pytest.param("45", Decimal("4.5"), "did you mean 4.5 mg", id="missing_point_45"),
        pytest.param("15", Decimal("1.5"), "did you mean 1.5 mg", id="missing_point_15"),
        pytest.param("450", None, "not a low dose", id="hundreds"),
        pytest.param("50", None, "not a low dose", id="addiction_dose"),
        pytest.param("6", None, "need your clinic", id="above_patient_limit"),
        pytest.param("0.05", None, "below the smallest", id="too_small"),
        pytest.param("abc", None, "just the number", id="not_a_number"),
        pytest.param("1.5.5", None, "just the number", id="two_points"),
        pytest.param("9" * 500, None, "just the number", id="huge_input"),
    ],
)
def test_parse_dose_refuses(typed: str, suggestion: Decimal | None, words: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_dose(typed)
    assert caught.value.suggestion == suggestion
    assert words in caught.value.message


def test_step_and_interval_ranges() -> None:
    assert parse_step("0.25") == Decimal("0.25")
    assert parse_interval("14 days") == 14
    with pytest.raises(InputError) as caught:
        parse_step("10")
    assert caught.value.suggestion == Decimal("1")
    with pytest.raises(InputError) as caught:
        parse_step("5")
    assert caught.value.suggestion is None
    with pytest.raises(InputError):
        parse_interval("60")
    with pytest.raises(InputError):
        parse_interval("two weeks")


@pytest.mark.parametrize(
    ("dose", "shown"),
    [("1", "1.0 mg"), ("0.5", "0.5 mg"), ("0.25", "0.25 mg"), ("4.50", "4.5 mg")],
)
def test_format_mg(dose: str, shown: str) -> None:
    assert format_mg(Decimal(dose)) == shown
