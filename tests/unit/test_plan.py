"""Plan math: next step, when a step-up falls due, and the calendar ahead."""

from datetime import date
from decimal import Decimal

import pytest

from titration.errors import InputError, Problem
from titration.models import DEFAULT_PLAN, DosePeriod, Plan
from titration.plan import (
    calendar,
    in_maintenance,
    next_dose,
    nights_until_step,
    step_to_offer,
    step_up_due,
    validate_plan,
)

D = Decimal


def test_next_dose_steps_and_caps_at_target() -> None:
    plan = Plan(D("1.0"), D("1.0"), 7, D("4.5"))
    assert next_dose(plan, D("1.0")) == D("2.0")
    assert next_dose(plan, D("4.0")) == D("4.5")
    assert next_dose(plan, D("4.5")) is None
    assert in_maintenance(plan, D("4.5"))


@pytest.mark.parametrize(
    ("nights", "due"),
    [pytest.param(13, False, id="one_short"), pytest.param(14, True, id="exactly_interval")],
)
def test_step_up_due_after_interval_taken_nights(nights: int, due: bool) -> None:
    assert step_up_due(DEFAULT_PLAN, D("0.5"), nights) is due


def test_no_step_up_in_maintenance() -> None:
    assert not step_up_due(DEFAULT_PLAN, D("4.5"), 100)
    assert nights_until_step(DEFAULT_PLAN, D("4.5"), 0) is None
    assert nights_until_step(DEFAULT_PLAN, D("1.0"), 20) == 0


def test_validate_plan_rejects_start_above_target() -> None:
    with pytest.raises(InputError) as caught:
        validate_plan(Plan(D("3"), D("0.5"), 14, D("1")))
    assert caught.value.problem is Problem.START_ABOVE_TARGET


def test_validate_plan_rejects_a_step_that_never_reaches_the_target() -> None:
    with pytest.raises(InputError) as caught:
        validate_plan(Plan(D("1"), D("0"), 14, D("3")))
    assert caught.value.problem is Problem.STEP_NOT_POSITIVE
    flat = Plan(D("3"), D("0"), 14, D("3"))  # already at the target: no step needed
    assert validate_plan(flat) == flat


def test_calendar_projects_every_step_to_target() -> None:
    history = [
        DosePeriod(D("0.5"), date(2026, 11, 1), date(2026, 11, 14), 14),
        DosePeriod(D("1.0"), date(2026, 11, 15), None, 4),
    ]
    periods = calendar(DEFAULT_PLAN, history, today=date(2026, 11, 19))
    assert periods[:2] == history
    ahead = periods[2:]
    assert [p.dose_mg for p in ahead] == [
        D(x) for x in ("1.5", "2.0", "2.5", "3.0", "3.5", "4.0", "4.5")
    ]
    assert ahead[0].start == date(2026, 11, 29)  # 10 more taken nights at 1.0 mg
    assert ahead[1].start == date(2026, 12, 13)
    assert ahead[0].end == date(2026, 12, 12)
    assert ahead[-1].end is None


def test_calendar_in_maintenance_has_nothing_ahead() -> None:
    history = [DosePeriod(D("4.5"), date(2026, 1, 1), None, 30)]
    assert calendar(DEFAULT_PLAN, history, today=date(2026, 2, 1)) == history


def offer(taken: int, *, held_until: int | None = None, side_effect: bool = False) -> object:
    return step_to_offer(
        DEFAULT_PLAN, D("1.0"), taken, held_until_nights=held_until, side_effect_open=side_effect
    )


def test_the_step_is_offered_once_due_and_not_while_put_off_or_a_side_effect_persists() -> None:
    assert offer(13) is None
    assert offer(14) == D("1.5")
    assert offer(14, held_until=17) is None
    assert offer(17, held_until=17) == D("1.5")
    assert offer(20, side_effect=True) is None
    assert (
        step_to_offer(DEFAULT_PLAN, D("4.5"), 30, held_until_nights=None, side_effect_open=False)
        is None
    )


def test_calendar_does_not_count_a_taken_tonight_twice() -> None:
    # Night 1 at 0.5 mg is taken tonight (28 Nov): 13 to go from tomorrow, step on 12 Dec.
    history = [DosePeriod(D("0.5"), date(2026, 11, 28), None, 1)]
    settled = calendar(DEFAULT_PLAN, history, today=date(2026, 11, 28), tonight_settled=True)
    untaken = [DosePeriod(D("0.5"), date(2026, 11, 28), None, 0)]
    open_ = calendar(DEFAULT_PLAN, untaken, today=date(2026, 11, 28))
    assert settled[1].start == open_[1].start == date(2026, 12, 12)
