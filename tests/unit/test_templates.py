"""Clinic templates and rules in the domain: reading a plan and a dose form, the checks (a high
target needs a yes, 10 mg or more is refused), and the schedule rules' ranges."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

import pytest

from titration.clinic_rules import (
    DEFAULT_RULES,
    RuleError,
    RuleProblem,
    from_stored,
    parse_value,
    with_rule,
)
from titration.models import Plan, Step
from titration.templates import (
    DoseForm,
    Template,
    TemplateError,
    TemplateProblem,
    check_template,
    parse_clock,
    parse_form,
    parse_nudge,
    parse_plan,
    steps_text,
)

D = Decimal


@pytest.mark.parametrize(
    ("text", "steps"),
    [
        pytest.param("0.5x14 1x14 1.5x14 3x14 4.5", "0.5x14 1x14 1.5x14 3x14 4.5", id="list"),
        pytest.param("0,5x7 → 1,0x7 → 1,5", "0.5x7 1.0x7 1.5", id="german_commas_arrows"),
        pytest.param("0.5 mg x 3, 1 mg", "0.5x3 1", id="mg_and_commas"),
        pytest.param("2", "2", id="single_step"),
        pytest.param("0.5+0.5x14 to 4.5", "0.5+0.5x14 to 4.5", id="formula"),
        pytest.param("1 + 0.5 × 7 bis 3", "1+0.5x7 to 3", id="formula_german"),
    ],
)
def test_plans_are_read_and_written_back_alike(text: str, steps: str) -> None:
    assert steps_text(parse_plan(text)) == steps


def test_a_step_list_keeps_each_steps_nights() -> None:
    plan = parse_plan("0.5x3 1x5 1.5")
    assert plan.steps == (Step(D("0.5"), 3), Step(D("1"), 5), Step(D("1.5"), 0))


@pytest.mark.parametrize(
    ("text", "problem", "value"),
    [
        pytest.param("lots", TemplateProblem.PLAN_UNREADABLE, None, id="words"),
        pytest.param("0.5 1x3 2", TemplateProblem.NIGHTS_MISSING, D("0.5"), id="nights_missing"),
        pytest.param("1x3 0.5", TemplateProblem.NOT_RISING, D("0.5"), id="falling"),
        pytest.param("0.5x2 1", TemplateProblem.NIGHTS_OUT_OF_RANGE, D(2), id="two_nights"),
        pytest.param("0.5x3 45", TemplateProblem.NOT_A_LOW_DOSE, D(45), id="typo_45"),
        pytest.param("0.05x3 1", TemplateProblem.DOSE_TOO_SMALL, D("0.05"), id="too_small"),
        pytest.param("3+0.5x7 to 1", TemplateProblem.START_ABOVE_TARGET, D(3), id="backwards"),
        pytest.param("0.5+2x7 to 4.5", TemplateProblem.STEP_OUT_OF_RANGE, D(2), id="big_step"),
        pytest.param("0.5+0.5x14 to 10", TemplateProblem.NOT_A_LOW_DOSE, D(10), id="ten_mg"),
    ],
)
def test_plans_that_are_refused(text: str, problem: TemplateProblem, value: Decimal) -> None:
    with pytest.raises(TemplateError) as caught:
        parse_plan(text)
    assert (caught.value.problem, caught.value.value) == (problem, value)


def template(plan: str) -> Template:
    return Template("Rose", parse_plan(plan))


def test_a_target_above_4_5_needs_an_explicit_yes() -> None:
    with pytest.raises(TemplateError) as caught:
        check_template(template("0.5+0.5x7 to 6"), high_target_confirmed=False)
    assert caught.value.problem is TemplateProblem.TARGET_NEEDS_CONFIRMATION
    assert check_template(template("0.5+0.5x7 to 6"), high_target_confirmed=True)
    assert check_template(template("0.5+0.5x7 to 4.5"), high_target_confirmed=False)


@pytest.mark.parametrize(
    ("name", "problem"),
    [("  ", TemplateProblem.NAME_EMPTY), ("x" * 41, TemplateProblem.NAME_TOO_LONG)],
)
def test_a_template_needs_a_short_name(name: str, problem: TemplateProblem) -> None:
    with pytest.raises(TemplateError) as caught:
        check_template(Template(name, parse_plan("1")), high_target_confirmed=False)
    assert caught.value.problem is problem


def test_dose_forms_times_and_nudges() -> None:
    assert parse_form("Capsule") == (DoseForm.CAPSULE, None)
    assert parse_form("liquid 1 mg/ml") == (DoseForm.LIQUID, D(1))
    assert parse_form("flüssig 0,5") == (DoseForm.LIQUID, D("0.5"))
    for bad, problem in (
        ("powder", TemplateProblem.FORM_UNREADABLE),
        ("liquid 50 mg/ml", TemplateProblem.CONCENTRATION_OUT_OF_RANGE),
    ):
        with pytest.raises(TemplateError) as caught:
            parse_form(bad)
        assert caught.value.problem is problem
    assert parse_clock("22:30") == time(22, 30) and parse_clock("7.05") == time(7, 5)
    assert parse_nudge("90") == 90 and parse_nudge("45 min") == 45
    for bad in ("25:00", "noon"):
        with pytest.raises(TemplateError):
            parse_clock(bad)
    for bad in ("5", "1000", "²"):
        with pytest.raises(TemplateError):
            parse_nudge(bad)


def test_a_linear_plan_reads_as_before() -> None:
    assert parse_plan("0.5+0.5x14 to 4.5") == Plan(D("0.5"), D("0.5"), 14, D("4.5"))


# Schedule rules ------------------------------------------------------------------------------


def test_rule_defaults_match_the_constants_they_replace() -> None:
    from titration.checkins import DAILY_AFTER_CHANGE, WEEK
    from titration.reminders import CLOSE_AFTER, LATE_GRACE, NUDGE_AFTER
    from titration.side_effects import DEFAULT_THRESHOLDS

    rules = DEFAULT_RULES
    assert (rules.nudge_after, rules.late_window, rules.missed_after) == (
        NUDGE_AFTER,
        LATE_GRACE,
        CLOSE_AFTER,
    )
    assert (rules.checkin_daily_days, rules.checkin_maintenance_days) == (DAILY_AFTER_CHANGE, WEEK)
    assert rules.thresholds == DEFAULT_THRESHOLDS
    assert rules.caregiver_alert_after == 2


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        pytest.param("nudge_after_minutes", 5, RuleProblem.OUT_OF_RANGE, id="nudge_too_soon"),
        pytest.param("caregiver_missed_alert", 8, RuleProblem.OUT_OF_RANGE, id="alert_8"),
        pytest.param("frequent_reports", 8, RuleProblem.REPORTS_ABOVE_WINDOW, id="8_of_7"),
        pytest.param("missed_after_hours", 4, RuleProblem.NUDGE_AFTER_MISSED, id="nudge_late"),
        pytest.param("bedtime", 1, RuleProblem.UNKNOWN, id="unknown"),
    ],
)
def test_rules_that_are_refused(name: str, value: int, problem: RuleProblem) -> None:
    rules = with_rule(DEFAULT_RULES, "nudge_after_minutes", 300)  # 5 h: 4 h would close first
    with pytest.raises(RuleError) as caught:
        with_rule(rules, name, value)
    assert caught.value.problem is problem


def test_rule_values_as_typed() -> None:
    assert parse_value("caregiver_missed_alert", "off") == 0
    assert with_rule(DEFAULT_RULES, "caregiver_missed_alert", 0).caregiver_alert_after is None
    with pytest.raises(RuleError) as caught:
        parse_value("moderate_run", "three")
    assert caught.value.problem is RuleProblem.NOT_A_NUMBER
    with pytest.raises(RuleError):
        parse_value("moderate_run", "off")


def test_stored_values_out_of_range_or_unknown_fall_back_to_the_defaults() -> None:
    rules = from_stored({"moderate_run": 2, "nudge_after_minutes": 9999, "retired_rule": 4})
    assert rules.moderate_run == 2
    assert rules.nudge_after_minutes == DEFAULT_RULES.nudge_after_minutes


@pytest.mark.parametrize(
    ("nudge_minutes", "sent_minutes_before", "action"),
    [
        pytest.param(120, 60, "send", id="default_gap_met"),
        pytest.param(120, 59, "drop", id="default_too_soon_after_a_late_reminder"),
        pytest.param(30, 30, "send", id="short_nudge_on_time"),
        pytest.param(30, 14, "drop", id="short_nudge_too_soon"),
    ],
)
def test_a_nudge_waits_half_its_delay_after_the_reminder(
    nudge_minutes: int, sent_minutes_before: int, action: str
) -> None:
    from datetime import UTC, datetime, timedelta

    from titration.clinic_rules import nudge_delay
    from titration.reminders import TaskKind, decide

    now = datetime(2026, 12, 1, 22, 0, tzinfo=UTC)
    delay = nudge_delay(DEFAULT_RULES, nudge_minutes if nudge_minutes != 120 else None)
    decided = decide(
        TaskKind.NUDGE,
        due_at=now,
        now=now,
        dose_open=True,
        reminder_sent_at=now - timedelta(minutes=sent_minutes_before),
        nudge_after=delay,
    )
    assert decided.value == action
