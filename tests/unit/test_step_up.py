"""Answering the step-up offer (care.doses) against a real SQLite file: one transaction, so the
wake-up cannot prepare tonight's reminder between the decision and the dose change, and an offer
made before a side effect began cannot be accepted while that side effect holds the step."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlite_utils import Database

from care.doses import StepAnswer, StepChoice, StepOutcome, answer_step_offer
from care.people import Refusal
from scheduler.claim import claim_and_prepare
from storage import checkins, doses, patients, tasks
from storage.db import Store, connect
from tests.seeding import onboarded_patient
from titration.reminders import TaskKind
from titration.side_effects import Effect, Severity

ANA = 1001
START = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)  # Berlin, bedtime 22:00 (21:00 UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "ldn.db")
    yield opened
    opened.close()


def offered_after_two_weeks(db: Database) -> tuple[int, date]:
    """Ana took 0.5 mg for 14 nights and was offered 1.0 mg; tonight's reminder is armed.
    Returns her id and tonight's dose day."""
    patient_id = onboarded_patient(db, ANA, zone="Europe/Berlin", bedtime="22:00", now=START)
    first = START.date()
    for night in range(14):
        day = first + timedelta(days=night)
        bedtime = datetime(day.year, day.month, day.day, 21, tzinfo=UTC)
        event = doses.ensure(db, patient_id, day, bedtime, Decimal("0.5"))
        doses.answer(db, event.id, "taken", bedtime + timedelta(minutes=5))
    tonight = first + timedelta(days=14)
    tonight_at = datetime(tonight.year, tonight.month, tonight.day, 21, tzinfo=UTC)
    # Tonight's reminder is armed and not yet prepared; so far the first nights were only rows.
    db.execute("DELETE FROM due_tasks WHERE patient_id = ?", [patient_id])
    tasks.schedule(db, patient_id, TaskKind.REMINDER, tonight, tonight_at)
    patients.update(db, patient_id, START, step_offer="offered")
    return patient_id, tonight


def test_a_wake_up_during_the_answer_waits_and_tonight_gets_the_new_dose(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    patient_id, tonight = store.run_sync(offered_after_two_weeks)
    bedtime = datetime(tonight.year, tonight.month, tonight.day, 21, tzinfo=UTC)
    pressed_at = bedtime - timedelta(seconds=1)
    wake_up_done = threading.Event()

    def wake_up() -> None:
        # The scheduler's own claim on a second connection, as another writer would do.
        other = connect(store.path)
        try:
            claim_and_prepare(other, bedtime, 32)
        finally:
            other.close()
            wake_up_done.set()

    real_pending = tasks.pending_reminder
    raced: list[bool] = []

    def pending_then_wake_up(db: Database, pid: int) -> object:
        found = real_pending(db, pid)
        # The moment a split transaction would lose: tonight's night was read as unprepared.
        thread = threading.Thread(target=wake_up)
        thread.start()
        raced.append(wake_up_done.wait(timeout=1.0))
        return found

    monkeypatch.setattr(tasks, "pending_reminder", pending_then_wake_up)
    result = store.run_sync(answer_step_offer, ANA, StepChoice.UP, Decimal("1.0"), pressed_at)
    assert wake_up_done.wait(timeout=10)

    assert isinstance(result, StepAnswer) and result.outcome is StepOutcome.STEPPED_UP
    assert raced == [False]  # the wake-up could not claim while the answer was being decided
    assert result.from_day == tonight and result.dose_mg == Decimal("1.0")
    event = store.run_sync(doses.for_day, patient_id, tonight)
    assert event is not None and event.dose_mg == Decimal("1.0")  # what the patient was told


def test_an_offer_made_before_a_side_effect_began_waits_for_it_to_ease(store: Store) -> None:
    patient_id, tonight = store.run_sync(offered_after_two_weeks)
    # After the offer: trouble sleeping, moderate, three mornings in a row (persistent).
    for morning in range(3):
        day = tonight + timedelta(days=morning)
        at = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
        checkin = store.run_sync(checkins.open_for, patient_id, day, Decimal("0.5"), 1, at)
        assert checkin is not None
        store.run_sync(checkins.finish, checkin.id, {Effect.INSOMNIA: Severity.MODERATE}, None, at)
    later = datetime(tonight.year, tonight.month, tonight.day, 12, tzinfo=UTC) + timedelta(days=2)

    result = store.run_sync(answer_step_offer, ANA, StepChoice.UP, Decimal("1.0"), later)

    assert isinstance(result, StepAnswer) and result.outcome is StepOutcome.HELD
    assert result.held_for == (Effect.INSOMNIA,)
    patient = store.run_sync(patients.by_id, patient_id)
    assert patient is not None and patient.current_dose_mg == Decimal("0.5")
    assert patient.step_offer == "none"  # offered again after a taken night once it eases
    # Pressing the old button again changes nothing either.
    again = store.run_sync(answer_step_offer, ANA, StepChoice.UP, Decimal("1.0"), later)
    assert isinstance(again, StepAnswer) and again.outcome is StepOutcome.STALE


def test_someone_else_cannot_answer_the_offer(store: Store) -> None:
    store.run_sync(offered_after_two_weeks)
    # Ben has no offer open (no record at all, or a plan of his own that offered nothing).
    result = store.run_sync(answer_step_offer, 2002, StepChoice.UP, Decimal("1.0"), START)
    assert result is Refusal.NO_RECORD
    store.run_sync(onboarded_patient, 2002, zone="Europe/Berlin", bedtime="22:00", now=START)
    again = store.run_sync(answer_step_offer, 2002, StepChoice.UP, Decimal("1.0"), START)
    assert isinstance(again, StepAnswer) and again.outcome is StepOutcome.STALE
    ana = store.run_sync(patients.by_telegram_id, ANA)
    assert ana is not None and ana.current_dose_mg == Decimal("0.5")
