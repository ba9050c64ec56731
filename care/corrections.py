"""Correcting a tap: [Undo] under tonight's answer, and a night corrected afterwards from /today
or /history ("I took it but forgot to tap", "I marked taken by mistake").

Each intention is one transaction: the presser, the night's owner and state, the change, the
step-up count that follows it and the audit entry. The rules are ``titration.corrections``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlite_utils import Database

from care.doses import StepOffer, offer_step_if_due
from care.people import Refusal, enrolled_presser, presser_dose
from care.supply import SupplyNote, count_taken, give_back
from storage import audit, checkins, doses, patients, tasks
from storage.db import write_transaction
from storage.doses import DoseEvent
from storage.patients import Patient
from titration import corrections as rules
from titration import plan as plan_rules
from titration.record import NightStatus
from titration.reminders import NUDGE_MIN_GAP, TaskKind


class UndoOutcome(StrEnum):
    REOPENED = "reopened"  # the night is open again: the reminder's buttons come back
    STILL_OPEN = "still_open"  # it was not answered (or undone already): the buttons as they are
    CLOSED = "closed"  # the night has closed: correct it from /today or /history


@dataclass(frozen=True)
class UndoAnswer:
    outcome: UndoOutcome
    event_id: int
    dose_mg: Decimal
    snooze_left: bool  # whether [Snooze] may still be offered tonight
    morning: bool = False  # a morning dose: "today's", not "tonight's"


def undo_answer(
    db: Database, telegram_id: int, event_id: int, now: datetime
) -> UndoAnswer | Refusal:
    """[Undo] under "taken" or "skipped" on tonight's reminder."""
    with write_transaction(db):
        found = presser_dose(db, telegram_id, event_id)
        if isinstance(found, Refusal):
            return found
        patient, event = found
        status = NightStatus(event.status)
        snooze = tasks.find(db, patient.id, event.dose_day, TaskKind.SNOOZE)
        snooze_left = snooze is None or snooze.state in ("pending", "cancelled")

        def answer(outcome: UndoOutcome) -> UndoAnswer:
            morning = patient.morning_time is not None
            return UndoAnswer(outcome, event.id, event.dose_mg, snooze_left, morning)

        if status is NightStatus.PENDING:
            return answer(UndoOutcome.STILL_OPEN)
        close = tasks.find(db, patient.id, event.dose_day, TaskKind.CLOSE)
        closes_at = close.due_at if close is not None and close.state == "pending" else None
        if not rules.may_undo(status, closes_at, now) or not doses.reopen(db, event.id, status):
            return answer(UndoOutcome.CLOSED)
        _rearm_dropped_nudge(db, event, closes_at, now)
        if status is not NightStatus.SKIPPED:
            _withdraw_offer_if_not_due(db, patient, now)
            give_back(db, patient, event.id, now)
        _audit(db, patient, "dose.undone", status, NightStatus.PENDING, now)
        return answer(UndoOutcome.REOPENED)


def _rearm_dropped_nudge(
    db: Database, event: DoseEvent, closes_at: datetime | None, now: datetime
) -> None:
    """The nudge fell due while the night was answered and went unsent: as for an unanswered
    night it comes, though not sooner than the usual gap, and only before the night closes.
    (A nudge still ahead simply fires; the close was never cancelled by answering.)"""
    nudge = tasks.find(db, event.patient_id, event.dose_day, TaskKind.NUDGE)
    if nudge is None or nudge.state != "done" or closes_at is None:
        return
    again = max(nudge.due_at, now + NUDGE_MIN_GAP)
    if again < closes_at:
        tasks.rearm_unsent(db, nudge.id, again)


class NightChoice(StrEnum):
    TAKEN = "taken"
    NOT_TAKEN = "not_taken"


@dataclass(frozen=True)
class CorrectableNight:
    event_id: int
    day: date
    dose_mg: Decimal
    status: NightStatus
    corrected: bool


@dataclass(frozen=True)
class CorrectableNights:
    nights: tuple[CorrectableNight, ...]  # newest first


def correctable_nights(
    db: Database, telegram_id: int, now: datetime
) -> CorrectableNights | Refusal:
    """[Correct a night]: the presser's nights of the last 7 days that may be corrected."""
    with write_transaction(db):
        patient = enrolled_presser(db, telegram_id)
        if isinstance(patient, Refusal):
            return patient
        today = now.astimezone(patient.zone).date()
        nights = tuple(
            _correctable(event)
            for event in doses.since_day(db, patient.id, rules.oldest_correctable(today))
            if rules.verdict(event.dose_day, NightStatus(event.status), today)
            is rules.Verdict.ALLOWED
        )
        return CorrectableNights(nights)


def _correctable(event: DoseEvent) -> CorrectableNight:
    status = NightStatus(event.status)
    return CorrectableNight(
        event.id, event.dose_day, event.dose_mg, status, event.corrected_from is not None
    )


def night_to_correct(
    db: Database, telegram_id: int, event_id: int, now: datetime
) -> CorrectableNight | rules.Verdict | Refusal:
    """One night picked from the list: what it says now, or why it cannot be corrected."""
    with write_transaction(db):
        found = _own_night(db, telegram_id, event_id, now)
        if not isinstance(found, tuple):
            return found
        _, event = found
        return _correctable(event)


class CorrectionOutcome(StrEnum):
    CORRECTED = "corrected"
    UNCHANGED = "unchanged"  # it said that already


@dataclass(frozen=True)
class Correction:
    outcome: CorrectionOutcome
    day: date
    dose_mg: Decimal
    status: NightStatus  # what the night says now
    offer: StepOffer | None = None
    morning: bool = False  # a morning dose: a step offer counts days, not nights
    supply: SupplyNote | None = None  # a supply notice the night now taken calls for


def correct_night(
    db: Database, telegram_id: int, event_id: int, choice: NightChoice, now: datetime
) -> Correction | rules.Verdict | Refusal:
    """[Taken] / [Not taken] for a night of the last 7 days."""
    with write_transaction(db):
        found = _own_night(db, telegram_id, event_id, now)
        if not isinstance(found, tuple):
            return found
        patient, event = found
        before = NightStatus(event.status)
        taken = choice is NightChoice.TAKEN
        if not rules.changes(before, taken):
            return Correction(CorrectionOutcome.UNCHANGED, event.dose_day, event.dose_mg, before)
        after = rules.corrected_status(taken)
        if not doses.correct(db, event.id, before, after, now):
            return rules.Verdict.OPEN  # answered or closed at this very moment: look again
        _audit(db, patient, "dose.corrected", before, after, now)
        offer = offer_step_if_due(db, patient, now) if taken else None
        note = count_taken(db, patient, event, now) if taken else None
        if not taken:
            _withdraw_offer_if_not_due(db, patient, now)
            give_back(db, patient, event.id, now)
        morning = patient.morning_time is not None
        return Correction(
            CorrectionOutcome.CORRECTED, event.dose_day, event.dose_mg, after, offer, morning, note
        )


def _own_night(
    db: Database, telegram_id: int, event_id: int, now: datetime
) -> tuple[Patient, DoseEvent] | rules.Verdict | Refusal:
    """The presser's own night ``event_id`` if it may be corrected now."""
    patient = enrolled_presser(db, telegram_id)
    if isinstance(patient, Refusal):
        return patient
    event = doses.by_id(db, event_id)
    if event is None or event.patient_id != patient.id:
        return Refusal.NOT_YOURS
    today = now.astimezone(patient.zone).date()
    verdict = rules.verdict(event.dose_day, NightStatus(event.status), today)
    if verdict is not rules.Verdict.ALLOWED:
        return verdict
    return patient, event


def _withdraw_offer_if_not_due(db: Database, patient: Patient, now: datetime) -> None:
    """A step-up offered on a night no longer counted as taken is withdrawn when it is no longer
    due (its buttons then answer that the question is closed)."""
    plan = patients.plan_of(db, patient.id)
    current, since = patient.current_dose_mg, patient.current_dose_since
    if plan is None or patient.step_offer != "offered" or current is None or since is None:
        return
    taken = doses.nights_taken(db, patient.id, current, since)
    due = plan_rules.step_to_offer(
        plan,
        current,
        taken,
        held_until_nights=None,
        side_effect_open=checkins.assessment(db, patient.id).hold_step_up,
    )
    if due is None:
        patients.update(db, patient.id, now, step_offer="none")


def _audit(
    db: Database, patient: Patient, action: str, before: str, after: str, now: datetime
) -> None:
    audit.record(
        db,
        now=now,
        actor_telegram_id=patient.telegram_id,
        actor_role="patient",
        action=action,
        target_patient_id=patient.id,
        before=before,
        after=after,
    )
