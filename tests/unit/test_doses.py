"""Dose, step and interval parsing: what people type, and the friendly refusals."""

from decimal import Decimal

import pytest

from titration.doses import parse_dose, parse_interval, parse_step
from titration.errors import InputError, Problem


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
    ("typed", "problem", "value", "suggestion"),
    [
        pytest.param("45", Problem.DOSE_LOOKS_HIGH, "45", Decimal("4.5"), id="missing_point_45"),
        pytest.param("15", Problem.DOSE_LOOKS_HIGH, "15", Decimal("1.5"), id="missing_point_15"),
        pytest.param("450", Problem.NOT_A_LOW_DOSE, "450", None, id="hundreds"),
        pytest.param("50", Problem.NOT_A_LOW_DOSE, "50", None, id="addiction_dose"),
        pytest.param("6", Problem.DOSE_NEEDS_CLINIC, "6", None, id="above_patient_limit"),
        pytest.param("0.05", Problem.BELOW_SMALLEST_DOSE, "0.05", None, id="too_small"),
        pytest.param("abc", Problem.NOT_A_NUMBER, None, None, id="not_a_number"),
        pytest.param("1.5.5", Problem.NOT_A_NUMBER, None, None, id="two_points"),
        pytest.param("9" * 500, Problem.NOT_A_NUMBER, None, None, id="huge_input"),
    ],
)
def test_parse_dose_refuses(
    typed: str, problem: Problem, value: str | None, suggestion: Decimal | None
) -> None:
    with pytest.raises(InputError) as caught:
        parse_dose(typed)
    assert caught.value.problem is problem
    assert caught.value.value == (Decimal(value) if value is not None else None)
    assert caught.value.suggestion == suggestion
    if problem is Problem.NOT_A_NUMBER:
        assert caught.value.example == Decimal("1.5")  # what a dose looks like


def test_step_and_interval_ranges() -> None:
    assert parse_step("0.25") == Decimal("0.25")
    assert parse_interval("14 days") == 14
    with pytest.raises(InputError) as caught:
        parse_step("10")
    assert caught.value.problem is Problem.STEP_OUT_OF_RANGE
    assert caught.value.suggestion == Decimal("1")
    with pytest.raises(InputError) as caught:
        parse_step("5")
    assert caught.value.problem is Problem.STEP_OUT_OF_RANGE
    assert caught.value.suggestion is None
    with pytest.raises(InputError) as caught:
        parse_step("a bit")
    assert (caught.value.problem, caught.value.example) == (Problem.NOT_A_NUMBER, Decimal("0.5"))
    with pytest.raises(InputError) as caught:
        parse_interval("60")
    assert (caught.value.problem, caught.value.value) == (
        Problem.INTERVAL_OUT_OF_RANGE,
        Decimal(60),
    )
    with pytest.raises(InputError) as caught:
        parse_interval("two weeks")
    assert caught.value.problem is Problem.NOT_DAYS


def test_refusals_carry_no_english() -> None:
    """The domain says what is wrong in codes and values; the bot words it per language."""
    for parse, typed in ((parse_dose, "45"), (parse_step, "5"), (parse_interval, "x")):
        with pytest.raises(InputError) as caught:
            parse(typed)
        assert str(caught.value) == caught.value.problem.value
        assert not hasattr(caught.value, "message")
