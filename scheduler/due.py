"""Rows ↔ due instants: arming the next reminder and check-in, and preparing a due task for sending.

Functions here run on the database thread (``store.run``): each reads what it needs, applies the
pure rules from ``titration`` and writes the follow-up tasks in the same step, so nothing is lost
if the process stops between preparing and sending.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from sqlite_utils import Database

from scheduler import caregiving
from scheduler.bedtime import CardRequest, arm_next_reminders, cards_for, prepare_reminders
from scheduler.delivery import Outgoing
from scheduler.prepared import Prepared
from storage import checkins, doses, patients, rules, tasks
from storage.db import write_transaction
from storage.patients import Patient
from storage.tasks import Task
from titration import plan as plan_rules
from titration.checkins import next_checkin_day
from titration.clinic_rules import nudge_delay
from titration.reminders import Action, TaskKind, decide
from titration.timing import date_exists, local_instant

log = logging.getLogger(__name__)


def arm_next_reminder(
    db: Database, patient: Patient, now: datetime, *, catch_up: timedelta = timedelta(0)
) -> tuple[date, datetime]:
    """Arm (or move) the patient's next bedtime reminder; never re-arms a night already sent."""
    return arm_next_reminders(db, [patient], now, catch_up=catch_up)[patient.id]


def plan_step(db: Database, patient_id: int, day: date) -> int:
    """Which step of the plan the patient is on that day (1 = the start dose)."""
    changes = patients.dose_changes(db, patient_id)
    return max(1, sum(1 for _dose, effective, _reason in changes if effective <= day))


def arm_next_checkin(db: Database, patient: Patient, now: datetime) -> tuple[date, datetime]:
    """Arm the next morning check-in (daily while titrating, weekly in maintenance)."""
    plan = patients.plan_of(db, patient.id)
    changes = patients.dose_changes(db, patient.id)
    assert plan is not None and changes and patient.current_dose_mg is not None
    first_dose, last_change = changes[0][1], changes[-1][1]
    fired = tasks.last_fired_day(db, patient.id, TaskKind.CHECKIN)
    day = max(fired or first_dose, first_dose)
    maintenance = plan_rules.in_maintenance(plan, patient.current_dose_mg)
    checkin_time = time.fromisoformat(patient.checkin_time)
    clinic = rules.current(db)
    while True:
        day = next_checkin_day(
            day,
            maintenance=maintenance,
            last_dose_change=last_change,
            daily_after_change=clinic.checkin_daily_days,
            every=clinic.checkin_maintenance_days,
        )
        due_at = local_instant(day, checkin_time, patient.zone)
        if due_at >= now and date_exists(day, patient.zone):  # no morning on a skipped date
            break
    stale = tasks.pending_of_kind(db, patient.id, TaskKind.CHECKIN)
    if stale is not None and stale.dose_day != day:
        tasks.finish(db, stale.id, "cancelled", now)
    tasks.schedule(db, patient.id, TaskKind.CHECKIN, day, due_at)
    return day, due_at


def prepare(db: Database, task: Task, now: datetime) -> Prepared:
    """Load everything the task needs, decide, and arm follow-ups, in one transaction."""
    with write_transaction(db):
        return _prepare(db, task, now)


def _prepare(db: Database, task: Task, now: datetime) -> Prepared:
    if task.kind is TaskKind.REMINDER:
        return prepare_reminders(db, [task], now)[0]
    patient = patients.by_id(db, task.patient_id)
    if patient is None or (patient.status != "active" and task.kind is not TaskKind.CLOSE):
        return Prepared(task, Action.DROP, final_state="cancelled")
    if task.kind is TaskKind.CHECKIN:
        return _prepare_checkin(db, task, patient, now)
    event = doses.for_day(db, patient.id, task.dose_day)
    if event is None:
        return Prepared(task, Action.DROP)
    # Only a nudge or a close asks when tonight's reminder went out (a snooze was pressed on it).
    reminder_sent_at = (
        _reminder_sent_at(db, patient.id, task.dose_day)
        if task.kind in (TaskKind.NUDGE, TaskKind.CLOSE)
        else None
    )
    clinic = rules.current(db)
    plan = patients.plan_of(db, patient.id) if task.kind is TaskKind.NUDGE else None
    action = decide(
        task.kind,
        due_at=task.due_at,
        now=now,
        dose_open=event.open,
        reminder_sent_at=reminder_sent_at,
        late_grace=clinic.late_window,
        nudge_after=nudge_delay(clinic, plan.nudge_minutes if plan else None),
    )
    if action is Action.CLOSE_MISSED:
        reason = "no_answer" if reminder_sent_at is not None else "not_reminded"
        doses.close_missed(db, event.id, reason)
        caregiving.after_missed_night(db, patient.id, task.dose_day, now)
        return Prepared(task, action)
    if action is Action.DROP:
        return Prepared(task, action)
    if action is Action.EXPIRE:
        log.warning("task %s for patient %s expired unsent", task.kind, patient.id)
        return Prepared(task, action, final_state="not_sent")
    if not patient.reachable:
        return Prepared(task, Action.DROP, final_state="not_sent")
    # A snooze or a nudge: never late (decide sends those on time or not at all).
    asked = CardRequest(patient, event, late=False, snoozed=task.kind is TaskKind.SNOOZE)
    card = cards_for(db, [asked])[0]
    outgoing = Outgoing(task.kind, patient.chat_id, patient.id, event.id, card, patient.language)
    return Prepared(task, action, outgoing=outgoing)


def _reminder_sent_at(db: Database, patient_id: int, dose_day: date) -> datetime | None:
    reminder = tasks.find(db, patient_id, dose_day, TaskKind.REMINDER)
    if reminder is None or reminder.state != "sent" or not reminder.finished_at:
        return None
    return datetime.fromisoformat(reminder.finished_at)


def hold_unreachable(db: Database, patient_id: int, reason: str, now: datetime) -> None:
    """The patient cannot be reached (blocked the bot, account gone): remember why, and hold
    their tasks until they come back."""
    with write_transaction(db):
        patients.mark_unreachable(db, patient_id, reason, now)
        tasks.cancel_pending(db, patient_id)


def _prepare_checkin(db: Database, task: Task, patient: Patient, now: datetime) -> Prepared:
    arm_next_checkin(db, patient, now)
    late_grace = rules.current(db).late_window
    action = decide(task.kind, due_at=task.due_at, now=now, dose_open=True, late_grace=late_grace)
    if action is Action.EXPIRE or not patient.reachable:
        return Prepared(task, Action.EXPIRE, final_state="not_sent")
    assert patient.current_dose_mg is not None
    step = plan_step(db, patient.id, task.dose_day)
    checkin = checkins.open_for(db, patient.id, task.dose_day, patient.current_dose_mg, step, now)
    if checkin is None:  # already answered this morning through /checkin
        return Prepared(task, Action.DROP)
    outgoing = Outgoing(task.kind, patient.chat_id, patient.id, checkin.id, None, patient.language)
    return Prepared(task, action, outgoing=outgoing)


def record_unreachable(db: Database, task: Task, reason: str, now: datetime) -> None:
    """A send found the patient unreachable: the task is not sent, the rest is held."""
    with write_transaction(db):
        tasks.finish(db, task.id, "not_sent", now)
        hold_unreachable(db, task.patient_id, reason, now)
