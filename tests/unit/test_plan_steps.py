"""Plan math for both kinds of plan, as tables: the linear formula and an explicit step list
(0.5 → 1.0 → 1.5 → 3.0 → 4.5 with nights per step) — next dose, nights at a dose, when a step is
due, and the calendar ahead."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from titration.models import DEFAULT_PLAN, DosePeriod, Plan, Step, plan_from_steps
from titration.plan import (
    calendar,
    in_maintenance,
    next_dose,
    nights_at,
    nights_until_step,
    step_to_offer,
    step_up_due,
    validate_plan,
)

D = Decimal
STEPS = plan_from_steps(
    (
        Step(D("0.5"), 7),
        Step(D("1.0"), 7),
        Step(D("1.5"), 14),
        Step(D("3.0"), 14),
        Step(D("4.5"), 0),
    )
)
LINEAR = DEFAULT_PLAN  # 0.5 + 0.5 every 14 nights to 4.5


def test_a_step_list_plan_describes_its_first_step() -> None:
    assert (STEPS.start_mg, STEPS.step_mg, STEPS.interval_days, STEPS.target_mg) == (
        D("0.5"),
        D("0.5"),
        7,
        D("4.5"),
    )
    assert STEPS.stepwise and not LINEAR.stepwise
    assert validate_plan(STEPS) == STEPS


@pytest.mark.parametrize(
    ("plan", "current", "following"),
    [
        pytest.param(LINEAR, "0.5", "1.0", id="linear_first_step"),
        pytest.param(LINEAR, "1.2", "1.7", id="linear_off_grid_adds_the_step"),
        pytest.param(LINEAR, "4.2", "4.5", id="linear_capped_at_target"),
        pytest.param(LINEAR, "4.5", None, id="linear_at_target"),
        pytest.param(STEPS, "0.5", "1.0", id="steps_first"),
        pytest.param(STEPS, "1.5", "3.0", id="steps_jump_of_1_5"),
        pytest.param(STEPS, "3.0", "4.5", id="steps_last"),
        pytest.param(STEPS, "1.2", "1.5", id="steps_off_grid_goes_to_the_next_listed"),
        pytest.param(STEPS, "0.25", "0.5", id="steps_below_the_list"),
        pytest.param(STEPS, "4.5", None, id="steps_at_target"),
    ],
)
def test_next_dose(plan: Plan, current: str, following: str | None) -> None:
    assert next_dose(plan, D(current)) == (D(following) if following else None)


@pytest.mark.parametrize(
    ("plan", "current", "nights"),
    [
        pytest.param(LINEAR, "0.5", 14, id="linear_every_step_alike"),
        pytest.param(LINEAR, "3.0", 14, id="linear_later_step"),
        pytest.param(STEPS, "0.5", 7, id="steps_first"),
        pytest.param(STEPS, "1.5", 14, id="steps_third_is_longer"),
        pytest.param(STEPS, "1.2", 7, id="steps_off_grid_uses_the_step_below"),
        pytest.param(STEPS, "0.25", 7, id="steps_below_the_list_uses_the_first"),
    ],
)
def test_nights_at_a_dose(plan: Plan, current: str, nights: int) -> None:
    assert nights_at(plan, D(current)) == nights


@pytest.mark.parametrize(
    ("plan", "current", "taken", "due"),
    [
        pytest.param(STEPS, "0.5", 6, False, id="steps_one_short"),
        pytest.param(STEPS, "0.5", 7, True, id="steps_exactly"),
        pytest.param(STEPS, "1.5", 7, False, id="steps_longer_step_not_yet"),
        pytest.param(STEPS, "1.5", 14, True, id="steps_longer_step_due"),
        pytest.param(STEPS, "4.5", 99, False, id="steps_maintenance"),
        pytest.param(LINEAR, "0.5", 13, False, id="linear_one_short"),
        pytest.param(LINEAR, "0.5", 14, True, id="linear_exactly"),
    ],
)
def test_step_up_due(plan: Plan, current: str, taken: int, due: bool) -> None:
    assert step_up_due(plan, D(current), taken) is due


def test_the_offer_follows_the_list_and_still_waits_for_holds_and_side_effects() -> None:
    def offer(current: str, taken: int, **kw: object) -> Decimal | None:
        held = kw.get("held")
        return step_to_offer(
            STEPS,
            D(current),
            taken,
            held_until_nights=held if isinstance(held, int) else None,
            side_effect_open=bool(kw.get("effect")),
        )

    assert offer("1.5", 14) == D("3.0")
    assert offer("1.5", 14, held=17) is None
    assert offer("1.5", 14, effect=True) is None
    assert nights_until_step(STEPS, D("1.5"), 4) == 10
    assert in_maintenance(STEPS, D("4.5"))


def test_the_calendar_of_a_step_list_uses_each_steps_nights() -> None:
    history = [
        DosePeriod(D("0.5"), date(2026, 11, 1), date(2026, 11, 7), 7),
        DosePeriod(D("1.0"), date(2026, 11, 8), None, 3),
    ]
    periods = calendar(STEPS, history, today=date(2026, 11, 11))
    assert periods[:2] == history
    assert periods[2:] == [
        DosePeriod(D("1.5"), date(2026, 11, 15), date(2026, 11, 28), 0),  # 4 more nights at 1.0
        DosePeriod(D("3.0"), date(2026, 11, 29), date(2026, 12, 12), 0),
        DosePeriod(D("4.5"), date(2026, 12, 13), None, 0),
    ]
