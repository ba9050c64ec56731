"""The dose form's numbers: concentrations people type, and the volume of a liquid dose."""

from __future__ import annotations

from decimal import Decimal

import pytest

from titration.dose_form import FormError, FormProblem, read_concentration, volume


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        pytest.param("1", Decimal(1), id="bare"),
        pytest.param("1 mg/ml", Decimal(1), id="with_unit"),
        pytest.param("0,5 mg/ml", Decimal("0.5"), id="german_comma"),
        pytest.param("0.5mg per ml", Decimal("0.5"), id="per"),
        pytest.param("2,5 mg pro ml", Decimal("2.5"), id="pro"),
        pytest.param(" 0.1 ", Decimal("0.1"), id="lowest"),
        pytest.param("10", Decimal(10), id="highest"),
    ],
)
def test_concentrations_people_type(typed: str, read: Decimal) -> None:
    assert read_concentration(typed) == read


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        pytest.param("strong", FormProblem.NOT_A_CONCENTRATION, id="words"),
        pytest.param("1 mg", FormProblem.NOT_A_CONCENTRATION, id="mg_only"),
        pytest.param("-1", FormProblem.NOT_A_CONCENTRATION, id="negative"),
        pytest.param("0.05", FormProblem.CONCENTRATION_OUT_OF_RANGE, id="too_weak"),
        pytest.param("0", FormProblem.CONCENTRATION_OUT_OF_RANGE, id="zero"),
        pytest.param("20 mg/ml", FormProblem.CONCENTRATION_OUT_OF_RANGE, id="too_strong"),
        pytest.param("100", FormProblem.CONCENTRATION_OUT_OF_RANGE, id="hundred"),
    ],
)
def test_concentrations_refused(typed: str, problem: FormProblem) -> None:
    with pytest.raises(FormError) as caught:
        read_concentration(typed)
    assert caught.value.problem is problem


@pytest.mark.parametrize(
    ("dose", "strength", "ml", "unusual"),
    [
        pytest.param("0.5", "1", "0.50", False, id="half_mg_at_1"),
        pytest.param("4.5", "1", "4.50", False, id="target_at_1"),
        pytest.param("1.5", "0.5", "3.00", False, id="weak_liquid"),
        pytest.param("1.0", "3", "0.33", False, id="rounded_down"),
        pytest.param("2.0", "3", "0.67", False, id="rounded_up"),
        pytest.param("0.5", "10", "0.05", False, id="smallest_measurable"),
        pytest.param("0.4", "10", "0.04", True, id="too_small_to_measure"),
        pytest.param("2.0", "0.1", "20.00", False, id="largest_sensible"),
        pytest.param("4.5", "0.1", "45.00", True, id="too_much_liquid"),
    ],
)
def test_volume_of_a_dose(dose: str, strength: str, ml: str, unusual: bool) -> None:
    measured = volume(Decimal(dose), Decimal(strength))
    assert (measured.ml, measured.unusual) == (Decimal(ml), unusual)
    assert str(measured.ml) == ml  # always two decimals


def test_a_concentration_is_positive() -> None:
    with pytest.raises(ValueError):
        volume(Decimal("0.5"), Decimal(0))
