"""Bedtime reminders, prepared many patients at a time: the evening peak in a few statements.

Thousands of reminders fall due in the same minute. Prepared one patient at a time, each one
costs about fifteen statements (load the patient, create tonight's dose event, arm tomorrow's
reminder, the close and the nudge, read what the card says), and every statement hands the
interpreter lock back and forth with the event loop that is sending. Here each of those steps is
one statement for a whole claimed chunk. A single due reminder is a chunk of one, so there is
one way of preparing a reminder; ``cards_for`` is also what a snooze or a nudge says.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlite_utils import Database

from scheduler.delivery import Outgoing
from scheduler.prepared import Prepared
from storage import checkins, doses, patients, rules, tasks
from storage.db import write_transaction
from storage.doses import DoseEvent
from storage.patients import Patient
from storage.tasks import Task
from titration import plan as plan_rules
from titration.clinic_rules import nudge_delay
from titration.dose_form import DoseForm
from titration.models import Plan
from titration.reminders import Action, ReminderCard, TaskKind, decide
from titration.timing import dose_day_before, dose_days, local_instant, next_reminder

log = logging.getLogger(__name__)

ONE_DAY = timedelta(days=1)
MISSED_BOT_DOWN = "bot_down"  # dose_events.missed_reason of a night that passed with the bot down


@dataclass(frozen=True)
class CardRequest:
    """A card to write: whose, for which night, and how it is sent."""

    patient: Patient
    event: DoseEvent
    late: bool
    snoozed: bool = False
    sent_before: bool = False  # an earlier try of this message may have been delivered


def cards_for(
    db: Database, asked: Sequence[CardRequest], plans: dict[int, Plan] | None = None
) -> list[ReminderCard]:
    """What each message says about the dose and where the plan stands (five queries in all;
    four when the caller loaded the ``plans`` already)."""
    if not asked:
        return []
    ids = [request.patient.id for request in asked]
    plans = plans if plans is not None else patients.plans_of(db, ids)
    since = {request.patient.id: _dose_since(request.patient) for request in asked}
    taken = doses.nights_taken_many(db, since)
    nights_before = [
        (r.patient.id, dose_day_before(r.event.dose_day, r.patient.zone)) for r in asked
    ]
    before = doses.for_days(db, nights_before)
    effects = checkins.assessments(db, ids)
    cards = []
    for request, night_before in zip(asked, nights_before, strict=True):
        patient, event = request.patient, request.event
        plan = plans[patient.id]
        previous = before.get(night_before)
        cards.append(
            ReminderCard(
                dose_mg=event.dose_mg,
                night_at_dose=taken.get((patient.id, str(event.dose_mg)), 0) + 1,
                interval_days=plan_rules.nights_at(plan, event.dose_mg),
                target_mg=plan.target_mg,
                maintenance=plan_rules.in_maintenance(plan, event.dose_mg),
                previous_missed=previous is not None and previous.status == "missed",
                late=request.late,
                step_question_open=patient.step_offer == "offered",
                snoozed=request.snoozed,
                held_for=tuple(sorted(effects[patient.id].open_episodes)),
                step_held=patient.step_offer == "held",
                sent_before=request.sent_before,
                morning=patient.morning_time is not None,
                mg_per_ml=patient.mg_per_ml if patient.dose_form is DoseForm.LIQUID else None,
            )
        )
    return cards


def arm_next_reminders(
    db: Database,
    people: Sequence[Patient],
    now: datetime,
    *,
    catch_up: timedelta = timedelta(0),
    late_from_bedtime: bool = False,
) -> dict[int, tuple[date, datetime]]:
    """Arm (or move) each patient's next dose reminder (at bedtime or the morning dose time),
    never re-arming a dose day already reminded: (dose day, due instant) by patient id. A dose
    time passed within ``catch_up`` is due now; with ``late_from_bedtime`` it stays due at that
    time (the bedtime, or the morning time of a morning dose), so it goes out at once marked late
    (the bot was down then, rather than the patient moving it)."""
    ids = [patient.id for patient in people]
    fired = tasks.last_fired_days(db, ids, TaskKind.REMINDER)
    stale = tasks.pending_of_kind_many(db, ids, TaskKind.REMINDER)
    armed = {
        patient.id: next_reminder(
            patient.zone,
            patient.reminder_time,
            now,
            after_day=fired.get(patient.id),
            catch_up=catch_up,
        )
        for patient in people
    }
    if late_from_bedtime:
        people_by_id = {patient.id: patient for patient in people}
        armed = {
            pid: (day, local_instant(day, people_by_id[pid].reminder_time, people_by_id[pid].zone))
            for pid, (day, _due) in armed.items()
        }
    moved = [task for pid, task in stale.items() if task.dose_day != armed[pid][0]]
    if moved:
        tasks.finish_many(db, [(task.id, "cancelled", None) for task in moved], now)
    tasks.schedule_many(
        db, [(pid, TaskKind.REMINDER, day, due_at) for pid, (day, due_at) in armed.items()]
    )
    return armed


def prepare_reminders(db: Database, due: Sequence[Task], now: datetime) -> list[Prepared]:
    """Prepare due bedtime reminders, at most one per patient, in one transaction: tonight's
    dose event, tomorrow's reminder, tonight's close and nudge, and the message. In ``due``'s
    order."""
    if len({task.patient_id for task in due}) != len(due):
        raise ValueError("one reminder per patient at a time")
    with write_transaction(db):
        return _prepare(db, due, now)


def _prepare(db: Database, due: Sequence[Task], now: datetime) -> list[Prepared]:
    people = patients.by_ids(db, [task.patient_id for task in due])
    done: dict[int, Prepared] = {}
    active: list[tuple[Task, Patient]] = []
    for task in due:
        patient = people.get(task.patient_id)
        if patient is None or patient.status != "active":
            done[task.id] = Prepared(task, Action.DROP, final_state="cancelled")
        else:
            active.append((task, patient))
    doses.ensure_many(db, [(p.id, t.dose_day, t.due_at, _dose(p)) for t, p in active])
    events = doses.for_days(db, [(p.id, t.dose_day) for t, p in active])
    clinic = rules.current(db)  # cached: one cheap PRAGMA while the rules are unchanged
    # Claimed days late (the bot was down): the next night is the first one still worth a
    # reminder, sent late if its bedtime passed within the late window.
    armed = arm_next_reminders(
        db,
        [patient for _, patient in active],
        now,
        catch_up=clinic.late_window,
        late_from_bedtime=True,
    )
    _record_nights_while_down(db, [(t.dose_day, p) for t, p in active], armed)
    plans = patients.plans_of(db, [p.id for _, p in active])
    closing, late_window = clinic.missed_after, clinic.late_window
    follow_ups = [(p.id, TaskKind.CLOSE, t.dose_day, t.due_at + closing) for t, p in active]
    sending: list[tuple[Task, Action, CardRequest]] = []
    for task, patient in active:
        event = events[(patient.id, task.dose_day)]
        action = decide(
            TaskKind.REMINDER,
            due_at=task.due_at,
            now=now,
            dose_open=event.open,
            late_grace=late_window,
        )
        if action is Action.EXPIRE:
            log.warning("task %s for patient %s expired unsent", task.kind, patient.id)
            done[task.id] = Prepared(task, action, final_state="not_sent")
        elif action is Action.DROP:  # tonight was answered already
            done[task.id] = Prepared(task, action)
        elif not patient.reachable:
            done[task.id] = Prepared(task, Action.DROP, final_state="not_sent")
        else:
            late = action is Action.SEND_LATE
            nudge_at = task.due_at + nudge_delay(clinic, plans[patient.id].nudge_minutes)
            follow_ups.append((patient.id, TaskKind.NUDGE, task.dose_day, nudge_at))
            # A second try may follow one whose message left before the bot stopped or lost
            # Telegram's answer (a retry after a refused send says the same; it does no harm).
            asked = CardRequest(patient, event, late=late, sent_before=task.attempts > 1)
            sending.append((task, action, asked))
    tasks.schedule_many(db, follow_ups)
    doses.mark_reminders_late(db, [asked.event.id for _, _, asked in sending if asked.late])
    cards = cards_for(db, [asked for _, _, asked in sending], plans)
    for (task, action, asked), card in zip(sending, cards, strict=True):
        patient = asked.patient
        outgoing = Outgoing(
            task.kind, patient.chat_id, patient.id, asked.event.id, card, patient.language
        )
        done[task.id] = Prepared(task, action, outgoing=outgoing)
    return [done[task.id] for task in due]


def _record_nights_while_down(
    db: Database, reminded: Sequence[tuple[date, Patient]], armed: dict[int, tuple[date, datetime]]
) -> None:
    """The nights between a reminder claimed late and the next one armed passed with the bot
    down: no reminder was due for them any more. Each is recorded as missed (``bot_down``), so
    adherence counts it honestly and no step-up counts it as taken; one already answered (the
    patient logged it some other way) keeps its answer."""
    nights = [
        (patient.id, day, local_instant(day, patient.reminder_time, patient.zone), _dose(patient))
        for reminded_day, patient in reminded
        for day in dose_days(reminded_day + ONE_DAY, armed[patient.id][0] - ONE_DAY, patient.zone)
    ]
    if not nights:
        return
    log.warning("%s nights passed while the bot was down; recorded as missed", len(nights))
    doses.ensure_many(db, nights)
    events = doses.for_days(db, [(pid, day) for pid, day, _at, _dose_mg in nights])
    for event in events.values():
        doses.close_missed(db, event.id, MISSED_BOT_DOWN)


def _dose(patient: Patient) -> Decimal:
    assert patient.current_dose_mg is not None, "an active patient has a dose"
    return patient.current_dose_mg


def _dose_since(patient: Patient) -> date:
    assert patient.current_dose_since is not None, "an active patient has a dose"
    return patient.current_dose_since
