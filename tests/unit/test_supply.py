"""Supply arithmetic (titration.supply): what a dose takes, how long a supply lasts across the
plan's steps, the one notice a counted dose calls for, and reading a typed amount."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from titration.dose_form import DoseForm
from titration.supply import (
    REORDER_DAYS,
    AmountError,
    AmountProblem,
    Notice,
    Step,
    SupplyUnit,
    Told,
    lasts,
    notice_after,
    per_dose,
    read_amount,
    take,
    told_after,
    unit_for,
    within_limits,
)

D = Decimal
MON = date(2026, 11, 30)


def test_units_follow_the_dose_form() -> None:
    assert unit_for(DoseForm.LIQUID) is SupplyUnit.ML
    assert unit_for(DoseForm.CAPSULE) is SupplyUnit.CAPSULE
    assert unit_for(DoseForm.TABLET) is SupplyUnit.CAPSULE


@pytest.mark.parametrize(
    ("unit", "dose", "mg_per_ml", "expected"),
    [
        pytest.param(SupplyUnit.CAPSULE, "4.5", None, "1", id="capsule_one_per_dose"),
        pytest.param(SupplyUnit.ML, "0.5", "1", "0.50", id="liquid_1mg_per_ml"),
        pytest.param(SupplyUnit.ML, "1.5", "2", "0.75", id="liquid_2mg_per_ml"),
        pytest.param(SupplyUnit.ML, "1", "3", "0.33", id="liquid_measured_to_hundredth"),
    ],
)
def test_what_one_dose_takes(
    unit: SupplyUnit, dose: str, mg_per_ml: str | None, expected: str
) -> None:
    strength = D(mg_per_ml) if mg_per_ml is not None else None
    assert per_dose(unit, D(dose), strength) == D(expected)


def test_a_liquid_without_its_strength_cannot_be_counted() -> None:
    with pytest.raises(ValueError, match="concentration"):
        per_dose(SupplyUnit.ML, D("0.5"), None)


@pytest.mark.parametrize(
    ("on_hand", "needed", "took"),
    [("30", "1", "1"), ("0.3", "0.5", "0.3"), ("0", "1", "0"), ("2.5", "0.5", "0.5")],
)
def test_a_dose_never_takes_the_supply_below_zero(on_hand: str, needed: str, took: str) -> None:
    assert take(D(on_hand), D(needed)) == D(took)


@pytest.mark.parametrize(
    ("on_hand", "steps", "doses", "last", "counts_step"),
    [
        pytest.param("30", [(0, "1")], 30, 29, False, id="capsules_one_a_day"),
        pytest.param("0", [(0, "1")], 0, None, False, id="empty"),
        pytest.param("0.4", [(0, "0.5")], 0, None, False, id="not_enough_for_one"),
        pytest.param("10.2", [(0, "0.5")], 20, 19, False, id="liquid_remainder_not_a_dose"),
        pytest.param("10", [(0, "0.5"), (5, "1")], 12, 11, True, id="liquid_step_up_shortens_it"),
        pytest.param("2", [(0, "0.5"), (5, "1")], 4, 3, False, id="runs_out_before_the_step"),
        pytest.param("3.5", [(0, "0.5"), (5, "1"), (7, "1.5")], 6, 5, True, id="a_step_then_out"),
        pytest.param("7", [(0, "0.5"), (1, "1"), (3, "1.5")], 6, 5, True, id="two_steps_ahead"),
        pytest.param("1", [(-3, "0.5"), (2, "1")], 2, 1, False, id="step_started_before_today"),
    ],
)
def test_how_long_a_supply_lasts(
    on_hand: str,
    steps: list[tuple[int, str]],
    doses: int,
    last: int | None,
    counts_step: bool,
) -> None:
    plan = [Step(MON + timedelta(days=start), D(each)) for start, each in steps]
    lasted = lasts(D(on_hand), MON, plan)
    assert lasted.doses == doses
    assert lasted.last_day == (None if last is None else MON + timedelta(days=last))
    assert lasted.counts_step is counts_step


def test_step_arithmetic_in_full() -> None:
    # 10 ml: five days at 0.5 ml (2.5 ml), then 7.5 ml at 1 ml a day = 7 more days.
    lasted = lasts(D(10), MON, [Step(MON, D("0.5")), Step(MON + timedelta(days=5), D(1))])
    assert (lasted.doses, lasted.counts_step) == (12, True)


@pytest.mark.parametrize(
    ("before", "left", "days", "told", "expected"),
    [
        pytest.param("9", "8", 8, Told(), None, id="plenty"),
        pytest.param("8", "7", REORDER_DAYS, Told(), Notice.REORDER, id="seven_left"),
        pytest.param("7", "6", 6, Told(reorder=True), None, id="reorder_told_once"),
        pytest.param("4", "3", 3, Told(), Notice.REORDER, id="set_low_then_counted"),
        pytest.param("1", "0", 0, Told(reorder=True), Notice.RAN_OUT, id="the_last_of_it"),
        pytest.param("0.3", "0", 0, Told(), Notice.RAN_OUT, id="short_took_what_was_left"),
        pytest.param("0", "0", 0, Told(True, True), Notice.CHECK, id="taken_from_an_empty_count"),
        pytest.param("0", "0", 0, Told(True, True, True), None, id="check_told_once"),
        pytest.param("0", "0", 0, Told(), Notice.CHECK, id="counted_from_zero"),
        pytest.param("1", "0.5", 0, Told(reorder=True), None, id="a_little_left_not_a_dose"),
    ],
)
def test_the_one_notice_after_a_dose(
    before: str, left: str, days: int, told: Told, expected: Notice | None
) -> None:
    assert notice_after(D(before), D(left), days, told) is expected


@pytest.mark.parametrize(
    ("told", "notice", "left", "after"),
    [
        (Told(), Notice.REORDER, "7", Told(reorder=True)),
        (Told(), Notice.RAN_OUT, "0", Told(reorder=True, empty=True)),
        (Told(True, True), Notice.CHECK, "0", Told(True, True, True)),
        (Told(reorder=True), None, "0.2", Told(reorder=True)),
    ],
)
def test_what_has_been_told_afterwards(
    told: Told, notice: Notice | None, left: str, after: Told
) -> None:
    assert told_after(told, notice, D(left)) == after


def test_integers_are_stored_as_written() -> None:
    assert str(read_amount("30", SupplyUnit.CAPSULE, refill=False)) == "30"
    assert str(read_amount("1000", SupplyUnit.CAPSULE, refill=False)) == "1000"
    assert str(read_amount("30,50", SupplyUnit.ML, refill=False)) == "30.50"
    assert within_limits(D(1000), SupplyUnit.CAPSULE)
    assert not within_limits(D(1001), SupplyUnit.CAPSULE)
    assert within_limits(D(2000), SupplyUnit.ML)
    assert not within_limits(D("-0.01"), SupplyUnit.ML)


@pytest.mark.parametrize(
    ("typed", "unit", "refill", "expected"),
    [
        ("30", SupplyUnit.CAPSULE, False, "30"),
        ("30 capsules", SupplyUnit.CAPSULE, True, "30"),
        ("30 Kapseln", SupplyUnit.CAPSULE, True, "30"),
        (" 0 ", SupplyUnit.CAPSULE, False, "0"),
        ("30,5", SupplyUnit.ML, False, "30.5"),
        ("30.5 ml", SupplyUnit.ML, False, "30.5"),
        ("100ml", SupplyUnit.ML, True, "100"),
        ("12,25", SupplyUnit.ML, False, "12.25"),
    ],
)
def test_amounts_people_type(typed: str, unit: SupplyUnit, refill: bool, expected: str) -> None:
    assert read_amount(typed, unit, refill=refill) == D(expected)


@pytest.mark.parametrize(
    ("typed", "unit", "refill", "problem"),
    [
        ("thirty", SupplyUnit.CAPSULE, False, AmountProblem.NOT_A_NUMBER),
        ("", SupplyUnit.ML, False, AmountProblem.NOT_A_NUMBER),
        ("30 bottles of 5", SupplyUnit.ML, False, AmountProblem.NOT_A_NUMBER),
        ("-5", SupplyUnit.CAPSULE, False, AmountProblem.NEGATIVE),
        ("−5 ml", SupplyUnit.ML, False, AmountProblem.NEGATIVE),
        ("0", SupplyUnit.CAPSULE, True, AmountProblem.NOTHING_ADDED),
        ("2.5", SupplyUnit.CAPSULE, False, AmountProblem.NOT_WHOLE),
        ("5000", SupplyUnit.CAPSULE, False, AmountProblem.TOO_MUCH),
        ("1001", SupplyUnit.CAPSULE, True, AmountProblem.TOO_MUCH),
        ("2000,5", SupplyUnit.ML, False, AmountProblem.TOO_MUCH),
        ("1e3", SupplyUnit.ML, False, AmountProblem.NOT_A_NUMBER),
        ("NaN", SupplyUnit.ML, False, AmountProblem.NOT_A_NUMBER),
    ],
)
def test_amounts_refused_with_a_reason(
    typed: str, unit: SupplyUnit, refill: bool, problem: AmountProblem
) -> None:
    with pytest.raises(AmountError) as raised:
        read_amount(typed, unit, refill=refill)
    assert raised.value.problem is problem
