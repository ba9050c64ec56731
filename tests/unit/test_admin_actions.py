"""The clinic's changes to one patient, straight on the care layer: the dose a clinic may type,
a hold that keeps the step-up from being proposed, and a confirmation that only applies what
was asked, by someone who is an admin at that moment."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlite_utils import Database

from care import admin_actions, staff
from care.admin import CLI
from care.admin_actions import AdminAction, Asked, Done
from care.doses import offer_step_if_due
from care.people import Refusal
from storage import doses, patients
from storage.db import Store
from tests.seeding import onboarded_patient
from titration.doses import needs_confirmation, parse_clinic_dose
from titration.errors import InputError, Problem

START = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
BOSS, ANA = 500, 1001


@pytest.mark.parametrize(
    ("typed", "dose"),
    [("2", "2.0"), ("2.5 mg", "2.5"), ("4,5", "4.5"), ("0.25", "0.25"), ("6", "6.0")],
)
def test_a_clinic_may_type_any_low_dose(typed: str, dose: str) -> None:
    assert str(parse_clinic_dose(typed)) == dose


@pytest.mark.parametrize(
    ("typed", "problem", "suggestion"),
    [
        ("45", Problem.DOSE_LOOKS_HIGH, Decimal("4.5")),
        ("10", Problem.DOSE_LOOKS_HIGH, Decimal("1")),
        ("95", Problem.NOT_A_LOW_DOSE, None),
        ("0.05", Problem.BELOW_SMALLEST_DOSE, None),
        ("two", Problem.NOT_A_NUMBER, None),
    ],
)
def test_ten_mg_or_more_is_refused(typed: str, problem: Problem, suggestion: object) -> None:
    with pytest.raises(InputError) as refused:
        parse_clinic_dose(typed)
    assert (refused.value.problem, refused.value.suggestion) == (problem, suggestion)


def test_above_the_patient_limit_needs_confirming() -> None:
    assert not needs_confirmation(Decimal("4.5")) and needs_confirmation(Decimal("4.6"))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "ldn.db")
    yield opened
    opened.close()


def due_for_a_step(db: Database) -> int:
    """Ana took 0.5 mg for 14 nights: the step to 1.0 mg is due; BOSS is an admin."""
    patient_id = onboarded_patient(db, ANA, zone="Europe/Berlin", bedtime="22:00", now=START)
    for night in range(14):
        day = START.date() + timedelta(days=night)
        at = datetime(day.year, day.month, day.day, 21, tzinfo=UTC)
        event = doses.ensure(db, patient_id, day, at, Decimal("0.5"))
        doses.answer(db, event.id, "taken", at + timedelta(minutes=5))
    staff.bootstrap(db, [BOSS], START)
    return patient_id


def test_a_clinic_hold_keeps_the_step_from_being_proposed_until_released(store: Store) -> None:
    pid = store.run_sync(due_for_a_step)
    now = START + timedelta(days=14)

    def press(db: Database, action: AdminAction) -> object:
        asked = admin_actions.start(db, BOSS, pid, action, now)
        assert not isinstance(asked, Refusal) and asked.outcome is Asked.CONFIRM
        return admin_actions.confirm(db, BOSS, pid, action, False, now)

    def offer(db: Database) -> object:
        patient = patients.by_id(db, pid)
        assert patient is not None
        return offer_step_if_due(db, patient, now)

    held = store.run_sync(press, AdminAction.HOLD)
    assert getattr(held, "outcome", None) is Done.DONE
    assert store.run_sync(offer) is None
    released = store.run_sync(press, AdminAction.RELEASE)
    assert getattr(released, "outcome", None) is Done.DONE
    assert getattr(store.run_sync(offer), "next_mg", None) == Decimal("1.0")


def test_a_confirmation_applies_only_the_open_question_and_only_for_an_admin(
    store: Store,
) -> None:
    pid = store.run_sync(due_for_a_step)
    now = START + timedelta(days=14)

    def flow(db: Database) -> None:
        admin_actions.start(db, BOSS, pid, AdminAction.DOSE, now)
        assert getattr(admin_actions.answer(db, BOSS, "6", now), "step", None) == "admin_reason"
        confirm = admin_actions.answer(db, BOSS, "letter from Dr B", now)
        assert not isinstance(confirm, Refusal) and confirm.high and confirm.value == "6.0"
        other = admin_actions.confirm(db, BOSS, pid, AdminAction.PAUSE, False, now)
        assert getattr(other, "outcome", None) is Done.STALE
        plain = admin_actions.confirm(db, BOSS, pid, AdminAction.DOSE, False, now)
        assert getattr(plain, "outcome", None) is Done.NEEDS_HIGH
        assert admin_actions.confirm(db, ANA, pid, AdminAction.DOSE, True, now) is (
            Refusal.NOT_ADMIN
        )
        done = admin_actions.confirm(db, BOSS, pid, AdminAction.DOSE, True, now)
        assert getattr(done, "outcome", None) is Done.DONE
        assert patients.dose_changes(db, pid)[-1][0] == Decimal("6.0")
        note = db.execute("SELECT note FROM dose_changes ORDER BY id DESC LIMIT 1").fetchone()
        assert note == ("letter from Dr B",)
        again = admin_actions.confirm(db, BOSS, pid, AdminAction.DOSE, True, now)
        assert getattr(again, "outcome", None) is Done.STALE  # applied once

    store.run_sync(flow)


def test_the_operator_needs_the_explicit_confirmation_too(store: Store) -> None:
    pid = store.run_sync(due_for_a_step)
    now = START + timedelta(days=14)
    args = (CLI, pid, AdminAction.DOSE, "6.0", "letter")
    first = store.run_sync(admin_actions.apply_as_operator, *args, False, now)
    assert getattr(first, "outcome", None) is Done.NEEDS_HIGH
    second = store.run_sync(admin_actions.apply_as_operator, *args, True, now)
    assert getattr(second, "outcome", None) is Done.DONE
    missing = store.run_sync(
        admin_actions.apply_as_operator, CLI, 99, AdminAction.PAUSE, None, None, False, now
    )
    assert missing is Refusal.STALE
