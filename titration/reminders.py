"""The nightly reminder's rules: what each due task should do now, and what the reminder says.

A reminder goes out at bedtime; one gentle nudge follows after two hours if the dose is still
unanswered; by the next morning an unanswered dose is counted as missed. A reminder that fell due
while the bot was down is sent late within a grace window, otherwise it is recorded as not sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from titration.side_effects import Effect


class TaskKind(StrEnum):
    REMINDER = "reminder"
    SNOOZE = "snooze"
    NUDGE = "nudge"
    CLOSE = "close"
    CHECKIN = "checkin"


class Action(StrEnum):
    SEND = "send"
    SEND_LATE = "send_late"
    DROP = "drop"  # nothing to say any more (already answered, or too soon after the last one)
    EXPIRE = "expire"  # too late to be useful: record as not sent
    CLOSE_MISSED = "close_missed"


# Defaults; the clinic's values are in ``titration.clinic_rules`` (read by the scheduler).
SNOOZE_FOR = timedelta(minutes=30)
NUDGE_AFTER = timedelta(hours=2)
CLOSE_AFTER = timedelta(hours=10)
LATE_GRACE = timedelta(hours=2)
ON_TIME_SLACK = timedelta(minutes=1)
NUDGE_MIN_GAP = timedelta(hours=1)


def decide(
    kind: TaskKind,
    *,
    due_at: datetime,
    now: datetime,
    dose_open: bool,
    reminder_sent_at: datetime | None = None,
    late_grace: timedelta = LATE_GRACE,
    nudge_after: timedelta = NUDGE_AFTER,
) -> Action:
    """What a due task should do at ``now``, given whether tonight's dose is still unanswered
    (``late_grace``: the clinic's late window; ``nudge_after``: this patient's nudge delay, half
    of which must have passed since a late reminder before its nudge is worth sending)."""
    lateness = now - due_at
    if kind is TaskKind.CHECKIN:
        return Action.EXPIRE if lateness > late_grace else Action.SEND
    if kind is TaskKind.CLOSE:
        return Action.CLOSE_MISSED if dose_open else Action.DROP
    if not dose_open:
        return Action.DROP
    if lateness > late_grace:
        return Action.EXPIRE
    if kind is TaskKind.NUDGE:
        gap = NUDGE_MIN_GAP * (nudge_after / NUDGE_AFTER)
        if reminder_sent_at is None or now - reminder_sent_at < gap:
            return Action.DROP
        return Action.SEND
    if kind is TaskKind.REMINDER and lateness > ON_TIME_SLACK:
        return Action.SEND_LATE
    return Action.SEND


def answered_status(
    scheduled_at: datetime, answered_at: datetime, nudge_after: timedelta = NUDGE_AFTER
) -> str:
    """'taken', or 'late' when confirmed after the nudge would have gone out."""
    return "late" if answered_at - scheduled_at > nudge_after else "taken"


@dataclass(frozen=True)
class ReminderCard:
    """Everything tonight's reminder message says, before it is put into words."""

    dose_mg: Decimal
    night_at_dose: int
    interval_days: int
    target_mg: Decimal
    maintenance: bool
    previous_missed: bool
    late: bool
    step_question_open: bool
    snoozed: bool = False
    held_for: tuple[Effect, ...] = ()  # side effects holding the next step-up
    step_held: bool = False  # the patient chose to stay (or the clinic holds the next step)
    # An earlier try may have reached the patient (the bot stopped, or Telegram's answer was
    # lost, after the message left): the Bot API cannot say, so the message says it is one dose.
    sent_before: bool = False
    morning: bool = False  # taken in the morning: "today's dose", not "tonight's"
    mg_per_ml: Decimal | None = None  # a liquid: the dose is also said in ml
