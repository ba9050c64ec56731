"""What clinic staff change for one patient: set the dose (with a reason), hold or release the next
step, move the reminder time, change the zone, pause or resume.

In chat each change is asked for first (a typed dose, reason, time or zone waits in the admin's
open question), shown back, and applied only on [Confirm]: one transaction that checks the presser
is an admin now, applies the change, re-arms the patient's reminders (the bot then pokes the
wake-up, so the next reminder follows at once) and appends before → after to the audit. The
clinic's reason is kept with the dose change and told to the patient, never put in the audit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum

from sqlite_utils import Database

from care.admin import CLINIC_HOLD, Actor, alias, as_admin, held_by_clinic, note
from care.doses import _first_unprepared_night
from care.people import Refusal, enrolled
from care.reminders import rearm
from care.settings import zones_named
from storage import admin_questions, patients, tasks
from storage.db import write_transaction
from storage.patients import Patient
from titration.dose_time import is_morning
from titration.doses import needs_confirmation, parse_clinic_dose
from titration.errors import InputError
from titration.reminders import LATE_GRACE
from titration.timing import parse_bedtime

MAX_REASON = 300


class AdminAction(StrEnum):
    DOSE = "dose"
    HOLD = "hold"
    RELEASE = "release"
    TIME = "time"
    ZONE = "zone"
    PAUSE = "pause"
    RESUME = "resume"


class AdminStep(StrEnum):
    """The admin's open question (``admin_questions.step``)."""

    DOSE = "admin_dose"
    REASON = "admin_reason"
    TIME = "admin_time"
    ZONE = "admin_zone"
    CONFIRM = "admin_confirm"


_TYPED = {
    AdminAction.DOSE: AdminStep.DOSE,
    AdminAction.TIME: AdminStep.TIME,
    AdminAction.ZONE: AdminStep.ZONE,
}


class Asked(StrEnum):
    ASK = "ask"  # type the value for ``step``
    CONFIRM = "confirm"  # [Confirm] / [Cancel] for ``value`` (and ``reason``)
    RETRY = "retry"  # the typed value was not accepted (``problem``); asked again
    PICK_ZONE = "pick_zone"  # several zones fit (``zones``): type one of them
    EMPTY_REASON = "empty_reason"  # a reason is needed (1–300 characters)
    NOT_NOW = "not_now"  # nothing is being asked


@dataclass(frozen=True)
class Pending:
    outcome: Asked
    patient_id: int = 0
    alias: str = ""
    action: AdminAction | None = None
    step: AdminStep | None = None
    value: str | None = None  # the new value as stored ("2.5", "21:30", "Europe/Berlin")
    before: str = ""
    reason: str | None = None
    high: bool = False  # a dose above 4.5 mg: confirmed with its own button
    problem: InputError | None = None
    zones: tuple[str, ...] = ()


def start(
    db: Database, telegram_id: int, patient_id: int, action: AdminAction, now: datetime
) -> Pending | Refusal:
    """A button on the patient's page: ask for the value, or straight for confirmation."""
    with write_transaction(db):
        actor = as_admin(db, telegram_id, now)
        if isinstance(actor, Refusal):
            return actor
        patient = patients.by_id(db, patient_id)
        if patient is None or not enrolled(patient):
            return Refusal.STALE
        step = _TYPED.get(action)
        admin_questions.put(
            db,
            telegram_id,
            step=(step or AdminStep.CONFIRM).value,
            patient_id=patient.id,
            action=action.value,
            now=now,
        )
        if step is not None:
            return Pending(Asked.ASK, patient.id, alias(patient.id), action, step)
        return _confirm(patient, action, None, None)


def answer(db: Database, telegram_id: int, text: str, now: datetime) -> Pending | Refusal:
    """Typed text while a question is open: the dose, the reason, the time or the zone."""
    with write_transaction(db):
        actor = as_admin(db, telegram_id, now)
        if isinstance(actor, Refusal):
            return actor
        question = admin_questions.of(db, telegram_id)
        if question is None or question.step == AdminStep.CONFIRM:
            return Pending(Asked.NOT_NOW)
        patient = patients.by_id(db, question.patient_id)
        if patient is None or not enrolled(patient):
            admin_questions.close(db, telegram_id)
            return Refusal.STALE
        action, step = AdminAction(question.action), AdminStep(question.step)
        base = Pending(Asked.RETRY, patient.id, alias(patient.id), action, step)
        if step is AdminStep.REASON:
            reason = " ".join(text.split())
            if not reason or len(reason) > MAX_REASON:
                return Pending(Asked.EMPTY_REASON, patient.id, alias(patient.id), action, step)
            _put(db, telegram_id, AdminStep.CONFIRM, patient, action, question.value, reason, now)
            return _confirm(patient, action, question.value, reason)
        try:
            value = read_value(action, text)
        except InputError as error:
            return Pending(**{**base.__dict__, "problem": error})
        except LookupError as error:
            zones = tuple(error.args[0]) if error.args else ()
            outcome = Asked.PICK_ZONE if zones else Asked.RETRY
            return Pending(**{**base.__dict__, "outcome": outcome, "zones": zones})
        if action is AdminAction.DOSE:
            _put(db, telegram_id, AdminStep.REASON, patient, action, value, None, now)
            tag = alias(patient.id)
            return Pending(Asked.ASK, patient.id, tag, action, AdminStep.REASON, value)
        _put(db, telegram_id, AdminStep.CONFIRM, patient, action, value, None, now)
        return _confirm(patient, action, value, None)


def read_value(action: AdminAction, text: str) -> str:
    """The typed value as stored: InputError when unreadable; LookupError(zones) for a place
    that names no zone or several."""
    if action is AdminAction.DOSE:
        return str(parse_clinic_dose(text))
    if action is AdminAction.TIME:
        return parse_bedtime(text).strftime("%H:%M")
    zones, sure = zones_named(text)
    if not sure or len(zones) != 1:  # a near match is offered, never taken untapped
        raise LookupError(zones[:6])
    return zones[0]


def cancel(db: Database, telegram_id: int) -> bool:
    """/cancel: forget the presser's open admin question, if any (True if there was one)."""
    with write_transaction(db):
        return admin_questions.close(db, telegram_id)


def cancel_as_admin(db: Database, telegram_id: int, now: datetime) -> bool | Refusal:
    """[Cancel] under a change: forget the open question (an admin's button, checked)."""
    with write_transaction(db):
        actor = as_admin(db, telegram_id, now)
        if isinstance(actor, Refusal):
            return actor
        return admin_questions.close(db, telegram_id)


def _put(
    db: Database,
    telegram_id: int,
    step: AdminStep,
    patient: Patient,
    action: AdminAction,
    value: str | None,
    reason: str | None,
    now: datetime,
) -> None:
    admin_questions.put(
        db,
        telegram_id,
        step=step.value,
        patient_id=patient.id,
        action=action.value,
        value=value,
        reason=reason,
        now=now,
    )


def _confirm(
    patient: Patient, action: AdminAction, value: str | None, reason: str | None
) -> Pending:
    high = action is AdminAction.DOSE and value is not None and needs_confirmation(Decimal(value))
    return Pending(
        Asked.CONFIRM,
        patient.id,
        alias(patient.id),
        action,
        AdminStep.CONFIRM,
        value,
        before_of(patient, action),
        reason,
        high,
    )


def _reminder_time_or_zone(
    patient: Patient, action: AdminAction, value: str
) -> dict[str, str | None]:
    """The columns a new reminder time or zone changes. A morning dose moves to another morning
    time; any other time is a bedtime (a morning patient moved to it takes LDN at bedtime)."""
    if action is AdminAction.ZONE:
        return {"zone": value}
    if patient.dose_time_text is not None and is_morning(time.fromisoformat(value)):
        return {"dose_time": value}
    return {"bedtime": value, "dose_time": None}


def before_of(patient: Patient, action: AdminAction) -> str:
    """The value an action changes, as it is now (for the confirmation and the audit)."""
    if action is AdminAction.DOSE:
        return str(patient.current_dose_mg or "")
    if action is AdminAction.TIME:  # the time the reminder comes: a morning dose's, or bedtime
        return patient.dose_time_text or patient.bedtime_text or ""
    if action is AdminAction.ZONE:
        return patient.zone_name or ""
    if action in (AdminAction.PAUSE, AdminAction.RESUME):
        return patient.status
    return "held" if held_by_clinic(patient) else "open"


# Applying a change ---------------------------------------------------------------------------


class Done(StrEnum):
    DONE = "done"
    ALREADY = "already"  # nothing to change (paused while paused, the same dose …)
    NEEDS_HIGH = "needs_high"  # a dose above 4.5 mg without its explicit confirmation
    STALE = "stale"  # the confirmation is not the open question any more


@dataclass(frozen=True)
class Change:
    outcome: Done
    action: AdminAction
    alias: str
    patient: Patient | None = None  # after the change (None when not applied)
    before: str = ""
    after: str = ""
    reason: str | None = None
    from_day: date | None = None  # a dose change: the first night at the new dose
    next_reminder: datetime | None = None  # None while paused


def confirm(
    db: Database, telegram_id: int, patient_id: int, action: AdminAction, high: bool, now: datetime
) -> Change | Refusal:
    """[Confirm]: apply the open question's change (its value and reason, as shown)."""
    with write_transaction(db):
        actor = as_admin(db, telegram_id, now)
        if isinstance(actor, Refusal):
            return actor
        question = admin_questions.of(db, telegram_id)
        if (
            question is None
            or question.step != AdminStep.CONFIRM
            or question.patient_id != patient_id
            or question.action != action
        ):
            return Change(Done.STALE, action, alias(patient_id))
        patient = patients.by_id(db, patient_id)
        if patient is None or not enrolled(patient):
            admin_questions.close(db, telegram_id)
            return Refusal.STALE
        change = apply(db, actor, patient, action, question.value, question.reason, high, now)
        if change.outcome is not Done.NEEDS_HIGH:
            admin_questions.close(db, telegram_id)
        return change


def apply(
    db: Database,
    actor: Actor,
    patient: Patient,
    action: AdminAction,
    value: str | None,
    reason: str | None,
    high: bool,
    now: datetime,
) -> Change:
    """Apply one change in the caller's transaction (chat or CLI), re-arm, audit."""
    before = before_of(patient, action)
    tag = alias(patient.id)
    if action is AdminAction.DOSE:
        assert value is not None
        dose = Decimal(value)
        if needs_confirmation(dose) and not high:
            return Change(Done.NEEDS_HIGH, action, tag, before=before, after=value)
        if dose == patient.current_dose_mg:
            return Change(Done.ALREADY, action, tag, patient, before, value)
        from_day = _first_unprepared_night(db, patient, now)
        patients.change_dose(db, patient.id, dose, from_day, "clinic", now, note=reason)
        return _done(db, actor, patient, action, before, value, now, reason, from_day)
    if action in (AdminAction.TIME, AdminAction.ZONE):
        assert value is not None
        if value == before:
            return Change(Done.ALREADY, action, tag, patient, before, value)
        patients.update(db, patient.id, now, **_reminder_time_or_zone(patient, action, value))
        return _done(db, actor, patient, action, before, value, now)
    if action is AdminAction.PAUSE:
        if patient.status == "paused":
            return Change(Done.ALREADY, action, tag, patient, before, before)
        patients.update(db, patient.id, now, status="paused")
        tasks.cancel_pending(db, patient.id)
        return _done(db, actor, patient, action, before, "paused", now)
    if action is AdminAction.RESUME:
        if patient.status != "paused":
            return Change(Done.ALREADY, action, tag, patient, before, before)
        return _done(db, actor, patient, action, before, "active", now, resume=True)
    hold = action is AdminAction.HOLD
    if held_by_clinic(patient) == hold:
        return Change(Done.ALREADY, action, tag, patient, before, before)
    patients.update(
        db,
        patient.id,
        now,
        step_offer="held" if hold else "none",
        step_offer_after=CLINIC_HOLD if hold else 0,
    )
    return _done(db, actor, patient, action, before, "held" if hold else "open", now)


def _done(
    db: Database,
    actor: Actor,
    patient: Patient,
    action: AdminAction,
    before: str,
    after: str,
    now: datetime,
    reason: str | None = None,
    from_day: date | None = None,
    *,
    resume: bool = False,
) -> Change:
    """Re-arm the reminders of a running (or resumed) plan, audit, and say what happened."""
    changed = patients.by_id(db, patient.id)
    assert changed is not None
    next_reminder = None
    if changed.status == "active" or resume:
        next_reminder = rearm(db, changed, now, catch_up=LATE_GRACE)
        changed = patients.by_id(db, patient.id)
        assert changed is not None
    note(
        db,
        actor,
        f"admin.{action}",
        now,
        target_patient_id=patient.id,
        before=before,
        after=after,
        detail="reason given" if reason else "",
    )
    return Change(
        Done.DONE,
        action,
        alias(patient.id),
        changed,
        before,
        after,
        reason,
        from_day,
        next_reminder,
    )


def apply_as_operator(
    db: Database,
    actor: Actor,
    patient_id: int,
    action: AdminAction,
    value: str | None,
    reason: str | None,
    high: bool,
    now: datetime,
) -> Change | Refusal:
    """``ldn-bot admin set-dose|pause|resume``: the same change without the chat's questions."""
    with write_transaction(db):
        patient = patients.by_id(db, patient_id)
        if patient is None or not enrolled(patient):
            return Refusal.STALE
        return apply(db, actor, patient, action, value, reason, high, now)
