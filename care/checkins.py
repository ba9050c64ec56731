"""The morning check-in: which side effects were noticed, the "something else" words, how bad each
one was, and what follows from the answer (thanks, same-day advice for a severe one, a suggestion
to talk to the prescriber once per episode, and the weekly benefit rating when it is due).

Each press or typed answer is one transaction: the ownership check, the check-in's state, the
change and what to ask next cannot be split by another press. The answer in progress lives in
the check-in row's draft: ``{"selected": [code…], "severity": {code: level}, "other": words}``
(the codes below, which are also the buttons' callback data).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlite_utils import Database

from care import alerts
from care.benefits import Ask, weekly_if_due
from care.people import Refusal, enrolled_presser, presser
from scheduler.due import plan_step
from storage import checkins, doses, patients
from storage.checkins import Checkin
from storage.db import write_transaction
from storage.patients import Patient
from titration.side_effects import Effect, Severity, Suggestion, suggestion_for

MAX_OTHER = 200  # characters of "something else"


class CheckinStep(StrEnum):
    """The check-in's typed question, kept in the patient row's step column."""

    OTHER = "checkin_other"  # the words for "something else"


# Short codes of the effects and levels, in the buttons' callback data and in the draft.
CODES: dict[Effect, str] = {
    Effect.DREAMS: "dr",
    Effect.INSOMNIA: "in",
    Effect.HEADACHE: "he",
    Effect.STOMACH: "st",
    Effect.PAIN_FATIGUE: "pf",
    Effect.OTHER: "ot",
}
BY_CODE = {code: effect for effect, code in CODES.items()}
LEVELS: dict[Severity, str] = {Severity.MILD: "m", Severity.MODERATE: "o", Severity.SEVERE: "s"}
BY_LEVEL = {code: level for level, code in LEVELS.items()}
NONE = "none"  # [None of these]
DONE = "done"  # [Done]


class Next(StrEnum):
    """What the bot says next."""

    QUESTION = "question"  # still choosing: the question again, ``selected`` ticked
    OTHER = "other"  # ask for the "something else" words
    SEVERITY = "severity"  # ask how bad ``asked`` was
    FINISHED = "finished"  # stored: ``finished`` says what follows
    NOTED = "noted"  # a severity changed before the end: nothing new to ask
    TOO_LONG = "too_long"  # the typed words are too long: ask again
    CLOSED = "closed"  # the check-in is no longer open (answered, expired, another day's)
    NOTHING_YET = "nothing_yet"  # /checkin before the first dose: nothing to report yet


@dataclass(frozen=True)
class Finished:
    """An answer stored, and what follows from it."""

    effects: tuple[Effect, ...]  # empty: nothing noticed
    severe: tuple[Effect, ...]  # severe today, advised for the first time today
    suggestions: tuple[tuple[Effect, Suggestion], ...]  # episodes that just opened
    benefits: Ask | None  # the weekly rating, opened because it is due


@dataclass(frozen=True)
class Progress:
    outcome: Next
    checkin_id: int = 0
    selected: tuple[Effect, ...] = field(default=())  # ticked so far, in button order
    level: Severity | None = None  # the severity just chosen
    asked: Effect | None = None  # whose severity is asked next
    finished: Finished | None = None


def _today(patient: Patient, now: datetime) -> date:
    return now.astimezone(patient.zone).date()


def _selected(draft: dict[str, Any]) -> list[str]:
    chosen = draft.get("selected", [])
    return [code for code in CODES.values() if code in chosen]


def _effects(codes: list[str]) -> tuple[Effect, ...]:
    return tuple(BY_CODE[code] for code in codes)


# /checkin ------------------------------------------------------------------------------------


def open_checkin(db: Database, telegram_id: int, now: datetime) -> Progress | Refusal:
    """/checkin: today's check-in, asked afresh (a second answer the same morning replaces the
    first; an answer begun earlier starts over)."""
    with write_transaction(db):
        patient = enrolled_presser(db, telegram_id)
        if isinstance(patient, Refusal):
            return patient
        assert patient.current_dose_mg is not None
        if not doses.any_taken(db, patient.id):
            return Progress(Next.NOTHING_YET)
        day = _today(patient, now)
        step = plan_step(db, patient.id, day)
        checkin = checkins.open_for(
            db, patient.id, day, patient.current_dose_mg, step, now, reopen=True
        )
        assert checkin is not None
        if checkin.draft:
            checkins.save_draft(db, checkin.id, {})
        if patient.onboarding_step == CheckinStep.OTHER:
            patients.update(db, patient.id, now, onboarding_step=None)
        return Progress(Next.QUESTION, checkin.id)


# Presses -------------------------------------------------------------------------------------


def _open_checkin(
    db: Database, telegram_id: int, checkin_id: int, now: datetime
) -> tuple[Patient, Checkin] | Progress | Refusal:
    """The presser's check-in named by a button, if it is theirs and still open today."""
    patient = presser(db, telegram_id)
    if patient is None:
        return Refusal.NO_RECORD
    checkin = checkins.by_id(db, checkin_id)
    if checkin is None or checkin.patient_id != patient.id:
        return Refusal.NOT_YOURS
    if checkin.status != "open" or checkin.day != _today(patient, now):
        return Progress(Next.CLOSED, checkin.id)
    return patient, checkin


def tap(
    db: Database, telegram_id: int, checkin_id: int, choice: str, now: datetime
) -> Progress | Refusal:
    """A tap on the check-in question: tick or untick an effect (its code), ``none`` or ``done``."""
    with write_transaction(db):
        if choice not in BY_CODE and choice not in (NONE, DONE):
            return Refusal.STALE
        found = _open_checkin(db, telegram_id, checkin_id, now)
        if not isinstance(found, tuple):
            return found
        patient, checkin = found
        if "severity" in checkin.draft:  # [Done] was pressed: this question is answered
            return Refusal.STALE
        selected = _selected(checkin.draft)
        if choice in BY_CODE:
            ticked = set(selected) ^ {choice}  # a second tap unticks
            selected = [code for code in CODES.values() if code in ticked]
            checkins.save_draft(db, checkin.id, {**checkin.draft, "selected": selected})
            return Progress(Next.QUESTION, checkin.id, _effects(selected))
        if choice == NONE or not selected:
            return _finish(db, patient, checkin, {}, None, now)
        draft = {**checkin.draft, "selected": selected, "severity": {}}
        checkins.save_draft(db, checkin.id, draft)
        return _next(db, patient, checkin.id, draft, now)


def rate_severity(
    db: Database, telegram_id: int, checkin_id: int, effect: str, level: str, now: datetime
) -> Progress | Refusal:
    """How bad one ticked effect was (its code and the level's code)."""
    with write_transaction(db):
        if effect not in BY_CODE or level not in BY_LEVEL:
            return Refusal.STALE
        found = _open_checkin(db, telegram_id, checkin_id, now)
        if not isinstance(found, tuple):
            return found
        patient, checkin = found
        severity: dict[str, str] = checkin.draft.get("severity", {})
        if "severity" not in checkin.draft or effect not in _selected(checkin.draft):
            return Refusal.STALE  # not asked in this check-in
        draft = {**checkin.draft, "severity": {**severity, effect: level}}
        checkins.save_draft(db, checkin.id, draft)
        if effect in severity:  # changed its mind: the next question is already out
            return Progress(Next.NOTED, checkin.id, level=BY_LEVEL[level])
        return replace(_next(db, patient, checkin.id, draft, now), level=BY_LEVEL[level])


def other_words(db: Database, telegram_id: int, text: str, now: datetime) -> Progress | Refusal:
    """The typed words for "something else" (while that question is open)."""
    with write_transaction(db):
        patient = enrolled_presser(db, telegram_id)
        if isinstance(patient, Refusal):
            return patient
        if patient.onboarding_step != CheckinStep.OTHER:
            return Progress(Next.CLOSED)
        words = text.strip()
        if len(words) > MAX_OTHER:
            return Progress(Next.TOO_LONG)
        if not words:
            return Progress(Next.OTHER)
        patients.update(db, patient.id, now, onboarding_step=None)
        checkin = checkins.for_day(db, patient.id, _today(patient, now))
        if checkin is None or checkin.status != "open" or "severity" not in checkin.draft:
            return Progress(Next.CLOSED)
        draft = {**checkin.draft, "other": words}
        checkins.save_draft(db, checkin.id, draft)
        return _next(db, patient, checkin.id, draft, now)


# What comes next -----------------------------------------------------------------------------


def _next(
    db: Database, patient: Patient, checkin_id: int, draft: dict[str, Any], now: datetime
) -> Progress:
    """What is still missing: the "something else" words, then each severity in turn; or, with
    everything answered, the end."""
    selected = _selected(draft)
    severity: dict[str, str] = draft.get("severity", {})
    if CODES[Effect.OTHER] in selected and "other" not in draft:
        patients.update(db, patient.id, now, onboarding_step=CheckinStep.OTHER)
        return Progress(Next.OTHER, checkin_id, _effects(selected))
    pending = [code for code in selected if code not in severity]
    if pending:
        return Progress(Next.SEVERITY, checkin_id, _effects(selected), asked=BY_CODE[pending[0]])
    checkin = checkins.by_id(db, checkin_id)
    assert checkin is not None
    effects = {BY_CODE[code]: BY_LEVEL[severity[code]] for code in selected}
    return _finish(db, patient, checkin, effects, draft.get("other"), now)


def _finish(
    db: Database,
    patient: Patient,
    checkin: Checkin,
    effects: dict[Effect, Severity],
    other: str | None,
    now: datetime,
) -> Progress:
    """Store the answer and work out what follows (advice and suggestions once each)."""
    if not checkins.finish(db, checkin.id, effects, other, now):
        return Progress(Next.CLOSED, checkin.id)
    today = _today(patient, now)
    found = checkins.assessment(db, patient.id)
    severe = tuple(
        effect
        for effect in sorted(found.severe)
        if checkins.record_suggestion(db, patient.id, effect, "severe", today, now)
    )
    suggestions = tuple(
        (effect, suggestion_for(effect))
        for effect in sorted(found.new_episodes)
        if checkins.record_suggestion(
            db, patient.id, effect, "persistent", found.open_episodes[effect], now
        )
    )
    suggested = tuple(effect for effect, _kind in suggestions)
    alerts.after_checkin(db, patient.id, severe, suggested, today.isoformat(), now)
    chosen = tuple(e for e in CODES if e in effects)
    finished = Finished(chosen, severe, suggestions, weekly_if_due(db, patient, today))
    return Progress(Next.FINISHED, checkin.id, chosen, finished=finished)
