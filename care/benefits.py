"""Benefit ratings: the baseline offered after onboarding, the weekly rating after a check-in, one
0–10 answer per measure, and the summary (the week, and the change since the start from week 8).

Each intention is one transaction; a rating press is checked against the presser (the rating must
be theirs), the score (0–10) and the rating's state (the measure asked now, not answered yet).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlite_utils import Database

from care.people import Refusal, presser
from scheduler.due import plan_step
from storage import checkins, doses, patients
from storage.checkins import Rating
from storage.db import write_transaction
from storage.patients import Patient
from storage.rows import first
from titration.benefits import Change, Measure, changes, week_of
from titration.checkins import benefits_due

MAX_SCORE = 10


class RatingKind(StrEnum):
    BASELINE = "baseline"  # before the first dose (offered once, after onboarding)
    WEEKLY = "weekly"  # after a morning check-in, once a week


@dataclass(frozen=True)
class Ask:
    """The next 0–10 question of an open rating."""

    rating_id: int
    measure: Measure


@dataclass(frozen=True)
class Summary:
    """A weekly rating done: the week on LDN, and the changes since the start (None before
    week 8, too early to judge; or when there is nothing to compare with)."""

    week: int
    changes: tuple[Change, ...] | None


class RatingOutcome(StrEnum):
    ASK = "ask"  # ``ask`` is the next question
    BASELINE_DONE = "baseline_done"  # the baseline is complete: thanks
    SUMMARY = "summary"  # a weekly rating is complete: ``summary``
    LATER = "later"  # the baseline offer put off
    ANSWERED = "answered"  # this question (or the whole rating) was answered before


@dataclass(frozen=True)
class RatingStep:
    outcome: RatingOutcome
    ask: Ask | None = None
    summary: Summary | None = None


def _today(patient: Patient, now: datetime) -> date:
    return now.astimezone(patient.zone).date()


# Opening ratings (in the caller's transaction) -----------------------------------------------


def open_baseline(db: Database, patient: Patient, now: datetime) -> int:
    """The baseline rating, opened today (in the caller's transaction); its id for the offer."""
    today = _today(patient, now)
    return checkins.open_rating(db, patient.id, today, RatingKind.BASELINE, None, None).id


def offer_baseline(db: Database, telegram_id: int, now: datetime) -> int | Refusal:
    """After onboarding: open the baseline rating for the offer's [Yes, rate now] / [Later]."""
    with write_transaction(db):
        patient = presser(db, telegram_id)
        if patient is None:
            return Refusal.NEED_START
        if patient.zone_name is None:
            return Refusal.NOT_ACTIVE
        return open_baseline(db, patient, now)


def weekly_if_due(db: Database, patient: Patient, today: date) -> Ask | None:
    """After a check-in (in the caller's transaction): open this week's rating if one is due.

    Weekly from the last rating offered, answered or not: a week after the baseline offer (even
    when it was put off with "Later": "I'll ask in a week"), and an unanswered weekly rating is
    asked again a week later, not every morning. Never before the first dose is taken: there is
    no change to rate yet.
    """
    if not doses.any_taken(db, patient.id):
        return None
    if not benefits_due(_last_offered(db, patient.id), today):
        return None
    step = plan_step(db, patient.id, today)
    rating = checkins.open_rating(
        db, patient.id, today, RatingKind.WEEKLY, patient.current_dose_mg, step
    )
    measure = rating.missing()
    return Ask(rating.id, measure) if measure is not None else None


def _last_offered(db: Database, patient_id: int) -> date | None:
    """The day of the latest rating opened (offered), answered or not."""
    row = first(db, "benefit_ratings", "patient_id = ?", [patient_id], order_by="day DESC")
    return date.fromisoformat(row["day"]) if row is not None else None


# Presses ---------------------------------------------------------------------------------------


def _owned(db: Database, telegram_id: int, rating_id: int) -> tuple[Patient, Rating] | Refusal:
    patient = presser(db, telegram_id)
    if patient is None:
        return Refusal.NO_RECORD
    rating = checkins.rating(db, rating_id)
    if rating is None or rating.patient_id != patient.id:
        return Refusal.NOT_YOURS
    return patient, rating


def start(db: Database, telegram_id: int, rating_id: int, now: datetime) -> RatingStep | Refusal:
    """[Yes, rate now] on the baseline offer: the first question."""
    with write_transaction(db):
        owned = _owned(db, telegram_id, rating_id)
        if isinstance(owned, Refusal):
            return owned
        _patient, rating = owned
        measure = rating.missing()
        if measure is None:
            return RatingStep(RatingOutcome.ANSWERED)
        return RatingStep(RatingOutcome.ASK, Ask(rating.id, measure))


def later(db: Database, telegram_id: int, rating_id: int, now: datetime) -> RatingStep | Refusal:
    """[Later] on the baseline offer: nothing changes; the weekly rating comes in a week."""
    with write_transaction(db):
        owned = _owned(db, telegram_id, rating_id)
        if isinstance(owned, Refusal):
            return owned
        _patient, rating = owned
        if rating.complete:
            return RatingStep(RatingOutcome.ANSWERED)
        return RatingStep(RatingOutcome.LATER)


def rate(
    db: Database, telegram_id: int, rating_id: int, measure: Measure, score: int, now: datetime
) -> RatingStep | Refusal:
    """A 0–10 answer for ``measure``: the next question, or the rating's end."""
    with write_transaction(db):
        if not 0 <= score <= MAX_SCORE:
            return Refusal.STALE
        owned = _owned(db, telegram_id, rating_id)
        if isinstance(owned, Refusal):
            return owned
        patient, rating = owned
        if rating.missing() is not measure:  # answered already, or not asked yet
            return RatingStep(RatingOutcome.ANSWERED)
        rating = checkins.rate(db, rating.id, measure, score, now)
        following = rating.missing()
        if following is not None:
            return RatingStep(RatingOutcome.ASK, Ask(rating.id, following))
        if rating.kind == RatingKind.BASELINE:
            return RatingStep(RatingOutcome.BASELINE_DONE)
        return RatingStep(RatingOutcome.SUMMARY, summary=_summary(db, patient, rating))


def _summary(db: Database, patient: Patient, rating: Rating) -> Summary:
    done = checkins.ratings(db, patient.id)
    started = patients.dose_changes(db, patient.id)
    week = week_of(started[0][1] if started else rating.day, rating.day)
    first_rating = done[0] if done and done[0].id != rating.id else None
    compared = changes(first_rating.values, rating.values, week) if first_rating else None
    return Summary(week, tuple(compared) if compared is not None else None)


def summary_as_of(db: Database, patient: Patient, today: date) -> Summary | None:
    """For /history: the week today, and the latest rating against the first (None: no rating)."""
    done = checkins.ratings(db, patient.id)
    started = patients.dose_changes(db, patient.id)
    if not done or not started:
        return None
    week = week_of(started[0][1], today)
    compared = changes(done[0].values, done[-1].values, week) if len(done) > 1 else None
    return Summary(week, tuple(compared) if compared is not None else None)
