"""The question-and-answer steps shared by onboarding and /settings: what to ask, what comes next.

A patient's ``onboarding_step`` column says which answer we are waiting for, so every step survives
a restart: /start (or any typed answer) picks up exactly where the person left off.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from telegram import (
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.ext import CallbackContext

from bot import keyboards, texts
from bot.handlers.common import audit_patient
from bot.services import services
from scheduler import due
from storage import patients
from storage.patients import Patient
from titration.doses import format_mg
from titration.models import DEFAULT_PLAN, Plan
from titration.reminders import LATE_GRACE
from titration.screening import Answer, Question, screening_outcome
from titration.timing import COMMON_ZONES, next_reminder, zone_label

Context = CallbackContext[Any, Any, Any, Any]
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove

PLAN_FIELDS = ("start", "step", "interval", "target")
SETTINGS_ZONE = "settings_zone"
SETTINGS_BEDTIME = "settings_bedtime"
SETTINGS_CHECKIN = "settings_checkin"

_SCREENING_TEXT = {
    Question.OPIOIDS: texts.SCREEN_OPIOIDS,
    Question.ALLERGY: texts.SCREEN_ALLERGY,
    Question.CAUTION: texts.SCREEN_CAUTION,
    Question.PROVIDER_KNOWS: texts.SCREEN_PROVIDER,
}
_PLAN_TEXT = {
    "start": texts.ASK_START,
    "step": texts.ASK_STEP,
    "interval": texts.ASK_INTERVAL,
    "target": texts.ASK_TARGET,
}


def answers_of(patient: Patient) -> dict[Question, Answer]:
    return {Question(q): Answer(a) for q, a in patient.screening.items()}


def next_step(patient: Patient) -> str:
    """The first onboarding question still unanswered (screening stops are handled before)."""
    outcome = screening_outcome(answers_of(patient))
    if outcome.next_question is not None:
        return outcome.next_question.value
    if patient.zone_name is None:
        return "zone"
    if patient.bedtime_text is None:
        return "bedtime"
    if not patient.draft:
        return "plan"
    for field in PLAN_FIELDS:
        if field not in patient.draft:
            return field
    return "confirm"


def draft_plan(patient: Patient) -> Plan:
    d = patient.draft
    return Plan(Decimal(d["start"]), Decimal(d["step"]), int(d["interval"]), Decimal(d["target"]))


def default_draft() -> dict[str, str | None]:
    return {
        "start": str(DEFAULT_PLAN.start_mg),
        "step": str(DEFAULT_PLAN.step_mg),
        "interval": str(DEFAULT_PLAN.interval_days),
        "target": str(DEFAULT_PLAN.target_mg),
    }


def zone_buttons(default_zone: str) -> list[str]:
    names = [default_zone, *(z for z in COMMON_ZONES if z != default_zone)]
    return [n.split("/")[-1].replace("_", " ") for n in names[:9]]


def zone_keyboard(default_zone: str) -> ReplyKeyboardMarkup:
    cities = zone_buttons(default_zone)
    grid: list[list[KeyboardButton]] = [
        [KeyboardButton(c) for c in cities[i : i + 3]] for i in range(0, len(cities), 3)
    ]
    grid.append([KeyboardButton(texts.SHARE_LOCATION, request_location=True)])
    return ReplyKeyboardMarkup(grid, resize_keyboard=True, one_time_keyboard=True)


async def send(context: Context, chat_id: int, text: str, markup: Markup | None = None) -> None:
    await context.bot.send_message(chat_id, text, reply_markup=markup)


async def ask(context: Context, patient: Patient, step: str) -> None:
    """Send the question for ``step``."""
    chat = patient.chat_id
    svc = services(context)
    if step in {q.value for q in Question}:
        question = Question(step)
        await send(context, chat, _SCREENING_TEXT[question], keyboards.screening(question))
    elif step in ("zone", SETTINGS_ZONE):
        await send(context, chat, texts.ASK_ZONE, zone_keyboard(svc.settings.default_timezone))
    elif step == SETTINGS_CHECKIN:
        await send(
            context, chat, texts.ASK_CHECKIN_TIME, keyboards.bedtimes(keyboards.CHECKIN_TIMES)
        )
    elif step in ("bedtime", SETTINGS_BEDTIME):
        await send(context, chat, texts.ASK_BEDTIME, keyboards.bedtimes())
    elif step == "plan":
        await send(context, chat, texts.ASK_PLAN, keyboards.plan_choice())
    elif step in PLAN_FIELDS:
        await send(context, chat, _PLAN_TEXT[step], keyboards.plan_field(step))
    elif step == "confirm":
        await send(context, chat, summary(patient, svc.clock.now()), keyboards.confirm_setup())


def summary(patient: Patient, now: datetime) -> str:
    plan = draft_plan(patient)
    _, first = next_reminder(patient.zone, patient.bedtime, now)
    described = texts.plan_summary(
        format_mg(plan.start_mg),
        format_mg(plan.step_mg),
        plan.interval_days,
        format_mg(plan.target_mg),
    )
    return texts.setup_summary(
        zone_label(patient.zone, now),
        patient.bedtime_text or "",
        described,
        texts.when(first, patient.zone),
    )


async def advance(context: Context, patient: Patient) -> None:
    """Move to the next unanswered onboarding step and ask it."""
    svc = services(context)
    step = next_step(patient)
    patient = await svc.store.run(
        patients.update, patient.id, svc.clock.now(), onboarding_step=step
    )
    await ask(context, patient, step)


async def save_zone(context: Context, patient: Patient, zone: str) -> None:
    """A time zone was chosen: store it, confirm it, and go on (onboarding or settings)."""
    svc = services(context)
    now = svc.clock.now()
    patient = await svc.store.run(patients.update, patient.id, now, zone=zone)
    label = zone_label(ZoneInfo(zone), now)
    await send(context, patient.chat_id, f"🌍 Time zone: {label}", ReplyKeyboardRemove())
    if patient.onboarding_step == SETTINGS_ZONE:
        await settings_saved(context, patient, "zone")
    else:
        await advance(context, patient)


async def save_bedtime(context: Context, patient: Patient, bedtime: str) -> None:
    """A time was chosen: the bedtime, or (from /settings) the morning check-in time."""
    svc = services(context)
    if patient.onboarding_step == SETTINGS_CHECKIN:
        patient = await svc.store.run(
            patients.update, patient.id, svc.clock.now(), checkin_time=bedtime
        )
        await settings_saved(context, patient, "checkin_time")
        return
    patient = await svc.store.run(patients.update, patient.id, svc.clock.now(), bedtime=bedtime)
    if patient.onboarding_step == SETTINGS_BEDTIME:
        await settings_saved(context, patient, "bedtime")
    else:
        await advance(context, patient)


async def settings_saved(context: Context, patient: Patient, field: str) -> None:
    """Re-arm tonight's reminder for the new bedtime/zone without dropping or doubling a night."""
    svc = services(context)
    now = svc.clock.now()
    if patient.status == "active":
        due_at = await svc.store.run(due.resume_reminders, patient.id, now, catch_up=LATE_GRACE)
        svc.wakeup.poke()
    else:
        patient = await svc.store.run(patients.update, patient.id, now, onboarding_step=None)
        due_at = None
    await audit_patient(context, patient, f"settings.{field}", now=now)
    when = texts.when(due_at, patient.zone) if due_at else "after you /resume"
    await send(
        context, patient.chat_id, texts.SETTINGS_SAVED.format(when=when, zone=patient.zone_name)
    )
