"""Caregivers' summaries (pure): when they fall due, which nights they cover, humane alert hours,
the figures, where the plan stands, and what each scope leaves out."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from titration.benefits import Measure
from titration.care_summary import (
    Held,
    PlanState,
    humane,
    next_summary,
    nights_of,
    plan_state,
    shared_record,
    summarise,
)
from titration.caregiving import Scope, SummaryCadence
from titration.models import DEFAULT_PLAN
from titration.record import (
    BenefitRating,
    DoseStep,
    EffectReport,
    Night,
    NightStatus,
    PatientRecord,
    Suggestion,
)
from titration.side_effects import Effect, Severity

BERLIN = ZoneInfo("Europe/Berlin")
LA = ZoneInfo("America/Los_Angeles")
TOKYO = ZoneInfo("Asia/Tokyo")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("cadence", "zone", "now", "day", "due"),
    [
        # Saturday noon UTC: the coming Sunday 19:00 in each zone.
        pytest.param("weekly", BERLIN, utc(2026, 11, 28, 12), date(2026, 11, 29),
                     utc(2026, 11, 29, 18), id="weekly_berlin"),
        pytest.param("weekly", LA, utc(2026, 11, 28, 12), date(2026, 11, 29),
                     utc(2026, 11, 30, 3), id="weekly_los_angeles_is_monday_utc"),
        pytest.param("weekly", TOKYO, utc(2026, 11, 29, 10, 1), date(2026, 12, 6),
                     utc(2026, 12, 6, 10), id="weekly_just_after_goes_to_next_week"),
        pytest.param("daily", BERLIN, utc(2026, 11, 28, 12), date(2026, 11, 28),
                     utc(2026, 11, 28, 19), id="daily_today"),
        pytest.param("daily", BERLIN, utc(2026, 11, 28, 19), date(2026, 11, 29),
                     utc(2026, 11, 29, 19), id="daily_at_the_instant_is_tomorrow"),
        pytest.param("weekly", BERLIN, utc(2027, 3, 27, 12), date(2027, 3, 28),
                     utc(2027, 3, 28, 17), id="weekly_across_spring_forward"),
    ],
)  # fmt: skip
def test_next_summary(
    cadence: str, zone: ZoneInfo, now: datetime, day: date, due: datetime
) -> None:
    assert next_summary(SummaryCadence(cadence), zone, now) == (day, due)


@pytest.mark.parametrize(
    ("instant", "zone", "sent"),
    [
        pytest.param(utc(2026, 11, 30, 7), BERLIN, utc(2026, 11, 30, 7), id="08_berlin_now"),
        pytest.param(utc(2026, 11, 30, 7), LA, utc(2026, 11, 30, 16), id="23_la_next_morning"),
        pytest.param(utc(2026, 11, 30, 11), LA, utc(2026, 11, 30, 16), id="03_la_same_morning"),
        pytest.param(utc(2026, 11, 30, 19, 59), BERLIN, utc(2026, 11, 30, 19, 59),
                     id="20_59_berlin_now"),
        pytest.param(utc(2026, 11, 30, 20), BERLIN, utc(2026, 12, 1, 7), id="21_berlin_waits"),
    ],
)  # fmt: skip
def test_alerts_wait_for_a_humane_hour(instant: datetime, zone: ZoneInfo, sent: datetime) -> None:
    assert humane(instant, zone) == sent
    assert 8 <= sent.astimezone(zone).hour < 21


def test_a_summary_covers_closed_nights_up_to_last_night() -> None:
    today = date(2026, 11, 30)
    assert nights_of(SummaryCadence.WEEKLY, today) == (date(2026, 11, 23), date(2026, 11, 29))
    assert nights_of(SummaryCadence.DAILY, today) == (date(2026, 11, 29), date(2026, 11, 29))


FIRST = date(2026, 9, 1)
REMINDER = timedelta(hours=21)


def night(day: date, status: str, answered_after: timedelta | None = None) -> Night:
    at = datetime.combine(day, datetime.min.time(), UTC) + REMINDER
    answered = at + answered_after if answered_after is not None else None
    return Night(day, at, Decimal("1.5"), NightStatus(status), answered)


def record(
    nights: list[Night],
    *,
    last: date = date(2026, 11, 29),
    ratings: tuple[BenefitRating, ...] = (),
    suggestions: tuple[Suggestion, ...] = (),
) -> PatientRecord:
    baseline = BenefitRating(FIRST, "baseline", dict.fromkeys(Measure, 6))
    return PatientRecord(
        zone=BERLIN,
        first=last - timedelta(days=6),
        last=last,
        plan=DEFAULT_PLAN,
        steps=(DoseStep(Decimal("0.5"), FIRST, "start"), DoseStep(Decimal("1.5"), FIRST, "x")),
        nights=tuple(nights),
        checkins=(),
        ratings=ratings,
        suggestions=suggestions,
        baseline=baseline,
    )


D = [date(2026, 11, 23) + timedelta(days=n) for n in range(7)]
MIN = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("nights", "figures"),
    [
        pytest.param([], (0, 0, 0, 0, 0, 0, None), id="nothing_yet"),
        pytest.param([night(D[0], "taken", 30 * MIN)], (1, 1, 1, 0, 0, 0, 100),
                     id="thirty_minutes_is_on_time"),
        pytest.param([night(D[0], "taken", 31 * MIN)], (1, 1, 0, 1, 0, 0, 100),
                     id="thirty_one_is_late"),
        pytest.param([night(D[0], "late", 3 * 60 * MIN), night(D[1], "skipped"),
                      night(D[2], "missed"), night(D[3], "pending")],
                     (3, 1, 0, 1, 1, 1, 33), id="each_kind_once_open_not_counted"),
        pytest.param([night(d, "taken", MIN) for d in D[:6]] + [night(D[6], "missed")],
                     (7, 6, 6, 0, 0, 1, 86), id="six_of_seven"),
    ],
)  # fmt: skip
def test_summary_figures(nights: list[Night], figures: tuple[int | None, ...]) -> None:
    plan = PlanState(Decimal("1.5"), Decimal("4.5"), Decimal("2.0"), 3, None)
    a = summarise(record(nights), Scope.ADHERENCE, plan, ()).adherence
    assert (a.scheduled, a.taken, a.on_time, a.late, a.skipped, a.missed, a.percent) == figures


@pytest.mark.parametrize(
    ("current", "taken", "offer", "held_until", "effect_open", "expected"),
    [
        pytest.param("1.5", 5, "none", None, False, ("2.0", 9, None), id="on_the_way"),
        pytest.param("1.5", 14, "none", None, True, ("2.0", 0, Held.SIDE_EFFECT), id="effect"),
        pytest.param("1.5", 14, "offered", None, False, ("2.0", 0, Held.OFFERED), id="offered"),
        pytest.param("1.5", 15, "held", 21, False, ("2.0", 0, Held.BY_PATIENT), id="held"),
        pytest.param("1.5", 21, "held", 21, False, ("2.0", 0, None), id="hold_over"),
        pytest.param("4.5", 30, "none", None, True, (None, None, None), id="at_target"),
    ],
)  # fmt: skip
def test_where_the_plan_stands(
    current: str,
    taken: int,
    offer: str,
    held_until: int | None,
    effect_open: bool,
    expected: tuple[str | None, int | None, Held | None],
) -> None:
    state = plan_state(
        record([]),
        Decimal(current),
        taken,
        step_offer=offer,
        held_until_nights=held_until,
        side_effect_open=effect_open,
    )
    following = Decimal(expected[0]) if expected[0] is not None else None
    assert (state.next_mg, state.nights_until_step, state.held) == (following, *expected[1:])


def test_adherence_only_leaves_effects_suggestions_benefits_and_the_reason_out() -> None:
    week_13 = date(2026, 11, 29)
    weekly = BenefitRating(week_13, "weekly", {**dict.fromkeys(Measure, 6), Measure.PAIN: 3})
    sent = datetime(2026, 11, 25, 8, tzinfo=UTC)
    said = Suggestion(Effect.HEADACHE, "persistent", date(2026, 11, 24), sent)
    rec = record([night(D[0], "taken", MIN)], ratings=(weekly,), suggestions=(said,))
    held = PlanState(Decimal("1.5"), Decimal("4.5"), Decimal("2.0"), 0, Held.SIDE_EFFECT)

    full = summarise(rec, Scope.FULL, held, (Effect.HEADACHE,))
    assert full.persistent == (Effect.HEADACHE,) and full.suggestions == (Effect.HEADACHE,)
    assert full.benefits is not None and full.week == 13
    assert [(c.measure, c.baseline, c.latest) for c in full.benefits if c.delta] == [
        (Measure.PAIN, 6, 3)
    ]
    assert full.plan.held is Held.SIDE_EFFECT

    shared = summarise(rec, Scope.ADHERENCE, held, (Effect.HEADACHE,))
    assert (shared.persistent, shared.suggestions, shared.benefits) == ((), (), None)
    assert shared.plan.held is Held.WAITING  # on hold, without saying it is a side effect
    assert shared.adherence == full.adherence


def test_benefits_are_not_judged_before_week_8() -> None:
    early = date(2026, 9, 20)  # week 3
    weekly = BenefitRating(early, "weekly", dict.fromkeys(Measure, 2))
    plan = PlanState(None, None, None, None, None)
    summary = summarise(record([], last=early, ratings=(weekly,)), Scope.FULL, plan, ())
    assert summary.benefits is None and summary.week == 3


def test_the_shared_record_never_holds_the_patients_words_and_adherence_holds_no_health() -> None:
    report = EffectReport(D[0], Decimal("1.5"), {Effect.OTHER: Severity.MILD}, note="my words")
    rating = BenefitRating(D[1], "weekly", dict.fromkeys(Measure, 4))
    rec = replace(record([night(D[0], "taken", MIN)], ratings=(rating,)), checkins=(report,))

    full = shared_record(rec, Scope.FULL)
    assert [c.note for c in full.checkins] == [None] and full.checkins[0].effects
    assert full.ratings == (rating,) and full.nights == rec.nights

    shared = shared_record(rec, Scope.ADHERENCE)
    left = (shared.checkins, shared.ratings, shared.suggestions, shared.baseline)
    assert left == ((), (), (), None)
    assert shared.nights == rec.nights and shared.steps == rec.steps
