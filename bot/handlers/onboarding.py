"""Onboarding: consent → safety screening → time zone → bedtime → plan → confirm.

Declining consent stores nothing. Each answer is saved before the next question is asked, so a
restart loses nothing and /start resumes. Typed answers (a city, a time, a dose) arrive here too.
"""

from __future__ import annotations

import asyncio
import html
from functools import lru_cache
from typing import Any

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import ContextTypes

from bot import callbacks, keyboards, texts
from bot.handlers import checkins, steps
from bot.handlers.common import audit_patient
from bot.services import services
from scheduler import due
from storage import patients
from storage.patients import Patient
from titration import doses
from titration.errors import InputError
from titration.plan import validate_plan
from titration.screening import Answer, Question, screening_outcome
from titration.timing import find_zones, parse_bedtime

MAX_TEXT = 1000


async def _patient(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Patient | None:
    assert update.effective_user is not None
    return await services(context).store.run(patients.by_telegram_id, update.effective_user.id)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: consent for newcomers; otherwise resume wherever the person is."""
    assert update.effective_chat is not None and update.effective_user is not None
    patient = await _patient(update, context)
    if patient is None:
        await context.bot.send_message(
            update.effective_chat.id, texts.CONSENT, reply_markup=keyboards.consent()
        )
        return
    await _resume(context, patient)


async def _resume(context: ContextTypes.DEFAULT_TYPE, patient: Patient) -> None:
    """Pick up wherever a known person is: reminders, a pause, screening again, or a question."""
    svc = services(context)
    now = svc.clock.now()
    chat = patient.chat_id
    if not patient.reachable:
        await svc.store.run(patients.mark_reachable, patient.id, now)
    if patient.status == "active":
        due_at = await svc.store.run(due.resume_reminders, patient.id, now)
        svc.wakeup.poke()
        await context.bot.send_message(
            chat, texts.WELCOME_BACK.format(when=texts.when(due_at, patient.zone))
        )
    elif patient.status == "paused":
        await context.bot.send_message(chat, texts.ALREADY_PAUSED)
    elif patient.status == "not_started":
        patient = await svc.store.run(
            patients.update, patient.id, now, status="onboarding", screening="{}", stop_reason=None
        )
        await steps.advance(context, patient)
    else:
        await steps.ask(context, patient, patient.onboarding_step or steps.next_step(patient))


async def _mark_answered(update: Update, answer: str) -> None:
    """Show the chosen answer under the question and remove its buttons."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    text = getattr(query.message, "text_html", None) or ""
    try:
        await query.edit_message_text(f"{text}\n\n<i>→ {html.escape(answer)}</i>")
    except Exception:  # the question message may be gone or too old; the answer still counts
        return


async def consent(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Consent buttons. Only "yes" creates a patient row."""
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    parsed = callbacks.parse(query.data)
    assert parsed is not None
    svc = services(context)
    patient = await _patient(update, context)
    if parsed.arg != "yes":
        await _mark_answered(update, texts.CONSENT_NO)
        # An older consent question pressed after agreeing: data is stored, so don't say otherwise.
        declined = texts.CONSENT_DECLINED if patient is None else texts.CONSENT_ALREADY_GIVEN
        await context.bot.send_message(update.effective_user.id, declined)
        return
    if patient is not None:
        # An older consent question pressed again: carry on exactly as /start would.
        await _mark_answered(update, texts.CONSENT_YES)
        await _resume(context, patient)
        return
    patient = await svc.store.run(
        patients.create,
        telegram_id=update.effective_user.id,
        chat_id=update.effective_user.id,
        consent_version=texts.CONSENT_VERSION,
        consent_text_sha256=texts.CONSENT_SHA256,
        first_step=Question.OPIOIDS.value,
        now=svc.clock.now(),
    )
    await audit_patient(
        context, patient, "consent.given", detail=f"version={texts.CONSENT_VERSION}"
    )
    await _mark_answered(update, texts.CONSENT_YES)
    await steps.ask(context, patient, Question.OPIOIDS.value)


async def _current(
    update: Update, context: ContextTypes.DEFAULT_TYPE, *expected: str
) -> Patient | None:
    """The presser's patient if they are waiting at one of ``expected`` steps; else re-ask."""
    patient = await _patient(update, context)
    if patient is None:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, texts.NEED_START)
        return None
    if patient.onboarding_step not in expected:
        if patient.onboarding_step:
            await context.bot.send_message(patient.chat_id, texts.STALE_BUTTON)
            await steps.ask(context, patient, patient.onboarding_step)
        else:  # no question open: "here is where we are" would be followed by nothing
            await context.bot.send_message(patient.chat_id, texts.FORGED_BUTTON)
        return None
    return patient


async def screening(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A screening answer: record it, then stop with the reason or ask the next question."""
    query = update.callback_query
    assert query is not None
    parsed = callbacks.parse(query.data)
    if parsed is None or parsed.action not in set(Question) or parsed.arg not in set(Answer):
        await context.bot.send_message(query.from_user.id, texts.FORGED_BUTTON)
        return
    patient = await _current(update, context, parsed.action)
    if patient is None:
        return
    svc = services(context)
    now = svc.clock.now()
    label = {"yes": texts.YES, "no": texts.NO, "unsure": texts.UNSURE}[parsed.arg]
    await _mark_answered(update, label)
    patient = await svc.store.run(
        patients.merge_json, patient.id, "screening", {parsed.action: parsed.arg}, now
    )
    outcome = screening_outcome(steps.answers_of(patient))
    if outcome.stop is not None:
        await svc.store.run(
            patients.update,
            patient.id,
            now,
            status="not_started",
            stop_reason=outcome.stop.value,
            onboarding_step=None,
        )
        await audit_patient(context, patient, "screening.stopped", now=now)
        await context.bot.send_message(patient.chat_id, texts.STOPPED[outcome.stop])
        return
    await steps.advance(context, patient)


@lru_cache(maxsize=1)
def _timezone_finder() -> Any:
    from timezonefinder import TimezoneFinder  # heavy (numpy): load on first shared location

    return TimezoneFinder()


def _zone_at(latitude: float, longitude: float) -> str | None:
    found = _timezone_finder().timezone_at(lng=longitude, lat=latitude)
    return found if isinstance(found, str) else None


async def location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A shared location while we wait for a time zone."""
    message = update.effective_message
    assert message is not None and message.location is not None
    patient = await _patient(update, context)
    if patient is None or patient.onboarding_step not in ("zone", steps.SETTINGS_ZONE):
        await message.reply_text(texts.NOT_TEXT)
        return
    loop = asyncio.get_running_loop()
    zone = await loop.run_in_executor(
        None, _zone_at, message.location.latitude, message.location.longitude
    )
    if zone is None:
        await message.reply_text(texts.ZONE_NOT_FOUND)
        return
    await steps.save_zone(context, patient, zone)


async def zone_pick(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    parsed = callbacks.parse(query.data)
    matches = find_zones(parsed.arg, limit=1) if parsed else []
    if parsed is None or not matches or matches[0] != parsed.arg:
        await context.bot.send_message(query.from_user.id, texts.FORGED_BUTTON)
        return
    patient = await _current(update, context, "zone", steps.SETTINGS_ZONE)
    if patient is not None:
        await _mark_answered(update, parsed.arg)
        await steps.save_zone(context, patient, parsed.arg)


async def bedtime_pick(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    parsed = callbacks.parse(query.data)
    try:
        chosen = parse_bedtime(parsed.arg) if parsed else None
    except InputError:
        chosen = None
    if chosen is None:
        await context.bot.send_message(query.from_user.id, texts.FORGED_BUTTON)
        return
    patient = await _current(
        update, context, "bedtime", steps.SETTINGS_BEDTIME, steps.SETTINGS_CHECKIN
    )
    if patient is not None:
        shown = chosen.strftime("%H:%M")
        await _mark_answered(update, shown)
        await steps.save_bedtime(context, patient, shown)


async def plan_pick(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Plan buttons: the usual plan, different numbers, or a value for one field."""
    query = update.callback_query
    assert query is not None
    parsed = callbacks.parse(query.data)
    if parsed is None:
        await context.bot.send_message(query.from_user.id, texts.FORGED_BUTTON)
        return
    if parsed.action in ("default", "custom"):
        patient = await _current(update, context, "plan")
        if patient is None:
            return
        label = texts.PLAN_DEFAULT if parsed.action == "default" else texts.PLAN_CUSTOM
        await _mark_answered(update, label)
        await _choose_plan(context, patient, custom=parsed.action == "custom")
    elif parsed.action in steps.PLAN_FIELDS:
        patient = await _current(update, context, parsed.action)
        if patient is not None:
            await _mark_answered(update, parsed.arg)
            await _plan_value(context, patient, parsed.action, parsed.arg)
    else:
        await context.bot.send_message(query.from_user.id, texts.FORGED_BUTTON)


async def _choose_plan(context: ContextTypes.DEFAULT_TYPE, patient: Patient, custom: bool) -> None:
    svc = services(context)
    values: dict[str, str | None] = (
        dict.fromkeys(steps.PLAN_FIELDS) if custom else steps.default_draft()
    )
    if custom:
        values["custom"] = "yes"
    patient = await svc.store.run(patients.merge_json, patient.id, "draft", values, svc.clock.now())
    await steps.advance(context, patient)


_PARSERS = {
    "start": doses.parse_dose,
    "step": doses.parse_step,
    "interval": doses.parse_interval,
    "target": doses.parse_dose,
}


async def _plan_value(
    context: ContextTypes.DEFAULT_TYPE, patient: Patient, field: str, text: str
) -> None:
    """Validate one typed or tapped plan value; a likely typo gets a "did you mean" button."""
    svc = services(context)
    try:
        value = _PARSERS[field](text)
    except InputError as error:
        markup = (
            keyboards.did_you_mean(field, error.suggestion)
            if error.suggestion is not None
            else None
        )
        await context.bot.send_message(patient.chat_id, error.message, reply_markup=markup)
        return
    patient = await svc.store.run(
        patients.merge_json, patient.id, "draft", {field: str(value)}, svc.clock.now()
    )
    if field == "target":
        try:
            validate_plan(steps.draft_plan(patient))
        except InputError as error:
            await context.bot.send_message(patient.chat_id, error.message)
            patient = await svc.store.run(
                patients.merge_json,
                patient.id,
                "draft",
                dict.fromkeys(steps.PLAN_FIELDS),
                svc.clock.now(),
            )
    await steps.advance(context, patient)


async def confirm(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The summary's buttons: start reminders, or go back and change the setup."""
    query = update.callback_query
    assert query is not None
    parsed = callbacks.parse(query.data)
    if parsed is None or parsed.arg not in ("yes", "edit"):
        await context.bot.send_message(query.from_user.id, texts.FORGED_BUTTON)
        return
    patient = await _current(update, context, "confirm")
    if patient is None:
        return
    svc = services(context)
    now = svc.clock.now()
    if parsed.arg == "edit":
        await _mark_answered(update, texts.CONFIRM_EDIT)
        patient = await svc.store.run(
            patients.update, patient.id, now, zone=None, bedtime=None, draft="{}"
        )
        await steps.advance(context, patient)
        return
    await _mark_answered(update, texts.CONFIRM_YES)
    first = await svc.store.run(due.start_reminders, patient.id, steps.draft_plan(patient), now)
    svc.wakeup.poke()
    await audit_patient(context, patient, "plan.started", now=now)
    await context.bot.send_message(patient.chat_id, texts.started(texts.when(first, patient.zone)))
    await checkins.offer_baseline(context, patient)


async def text_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Typed text: an answer to whatever question the person is at."""
    message = update.effective_message
    assert message is not None and message.text is not None
    if len(message.text) > MAX_TEXT:
        await message.reply_text(texts.TOO_LONG.format(limit=MAX_TEXT))
        return
    patient = await _patient(update, context)
    if patient is None:
        await message.reply_text(texts.NEED_START)
        return
    step = patient.onboarding_step
    if step in ("zone", steps.SETTINGS_ZONE):
        matches = find_zones(message.text)
        if not matches:
            await message.reply_text(texts.ZONE_NOT_FOUND)
        elif len(matches) == 1 or _exact(message.text, matches[0]):
            await steps.save_zone(context, patient, matches[0])
        else:
            await message.reply_text(texts.ZONE_PICK, reply_markup=keyboards.zones(matches))
    elif step in ("bedtime", steps.SETTINGS_BEDTIME, steps.SETTINGS_CHECKIN):
        try:
            chosen = parse_bedtime(message.text)
        except InputError as error:
            await message.reply_text(error.message, reply_markup=keyboards.bedtimes())
            return
        await steps.save_bedtime(context, patient, chosen.strftime("%H:%M"))
    elif step in steps.PLAN_FIELDS:
        await _plan_value(context, patient, step, message.text)
    elif step == checkins.AWAITING_OTHER:
        await checkins.other_text(context, patient, message.text)
    elif step:
        await steps.ask(context, patient, step)
    else:
        await message.reply_text(texts.help_text())


def _exact(typed: str, zone: str) -> bool:
    """True when the text names the zone's city (or the zone) exactly, ignoring case/spaces."""
    norm = typed.strip().lower().replace(" ", "_")
    return norm in (zone.lower(), zone.split("/")[-1].lower())


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/cancel: stop waiting for an answer; nothing already saved is lost."""
    message = update.effective_message
    assert message is not None
    patient = await _patient(update, context)
    if patient is None or patient.onboarding_step is None:
        await message.reply_text(texts.NOTHING_TO_CANCEL)
        return
    svc = services(context)
    if patient.onboarding_step in (
        steps.SETTINGS_ZONE,
        steps.SETTINGS_BEDTIME,
        steps.SETTINGS_CHECKIN,
    ):
        await svc.store.run(patients.update, patient.id, svc.clock.now(), onboarding_step=None)
    await message.reply_text(texts.CANCELLED, reply_markup=ReplyKeyboardRemove())
