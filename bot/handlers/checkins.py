"""Morning check-ins (side effects, then severity one at a time), weekly benefit ratings, and the
safety scan of free text for urgent signs.

Every press is checked against the presser: the check-in or rating must be theirs and still open.
"""

from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot import callbacks, texts
from bot import checkin_texts as words
from bot.checkin_keyboards import (
    BY_CODE,
    CODES,
    SEVERITY_BY_CODE,
    baseline_keyboard,
    measure_keyboard,
    question_keyboard,
    severity_keyboard,
)
from bot.handlers.common import owned_by_presser
from bot.services import services
from scheduler import due
from storage import checkins, patients
from storage.checkins import Checkin, Rating
from storage.patients import Patient
from titration.benefits import Measure, changes, week_of
from titration.checkins import benefits_due
from titration.side_effects import Effect, Severity, suggestion_for
from titration.urgent import urgent_signs

AWAITING_OTHER = "checkin_other"
MAX_OTHER = 200


# Shared steps ------------------------------------------------------------------------------


async def _edit_or_send(
    update: Update, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    query = update.callback_query
    assert query is not None
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            await query.get_bot().send_message(query.from_user.id, text, reply_markup=markup)


def _today(patient: Patient, context: ContextTypes.DEFAULT_TYPE) -> date:
    return services(context).clock.now().astimezone(patient.zone).date()


async def _owned_checkin(
    update: Update, context: ContextTypes.DEFAULT_TYPE, checkin_id: int | None
) -> tuple[Patient, Checkin] | None:
    """The presser's open check-in for today, or a polite refusal."""
    owned = await owned_by_presser(update, context, checkins.by_id, checkin_id)
    if owned is None:
        return None
    patient, checkin = owned
    if checkin.status != "open" or checkin.day != _today(patient, context):
        await context.bot.send_message(patient.chat_id, words.CLOSED)
        return None
    return patient, checkin


async def send_question(context: ContextTypes.DEFAULT_TYPE, chat_id: int, checkin_id: int) -> int:
    sent = await context.bot.send_message(
        chat_id, words.QUESTION, reply_markup=question_keyboard(checkin_id, [])
    )
    return sent.message_id


# Handlers ----------------------------------------------------------------------------------


async def checkin_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/checkin: tell me about today now (a second answer the same morning replaces the first)."""
    assert update.effective_user is not None and update.effective_message is not None
    svc = services(context)
    patient = await svc.store.run(patients.by_telegram_id, update.effective_user.id)
    if (
        patient is None
        or patient.status not in ("active", "paused")
        or patient.current_dose_mg is None
    ):
        await update.effective_message.reply_text(words.NOT_ACTIVE)
        return
    day = _today(patient, context)
    step = await svc.store.run(due.plan_step, patient.id, day)
    checkin = await svc.store.run(
        checkins.open_for,
        patient.id,
        day,
        patient.current_dose_mg,
        step,
        svc.clock.now(),
        reopen=True,
    )
    assert checkin is not None
    await send_question(context, patient.chat_id, checkin.id)


async def effect_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A tap on the check-in: toggle an effect, "none", or "done"."""
    query = update.callback_query
    assert query is not None
    parsed = callbacks.parse(query.data)
    if parsed is None or (parsed.action not in BY_CODE and parsed.action not in ("none", "done")):
        await context.bot.send_message(query.from_user.id, texts.FORGED_BUTTON)
        return
    owned = await _owned_checkin(update, context, parsed.arg_int)
    if owned is None:
        return
    patient, checkin = owned
    store = services(context).store
    selected: list[str] = list(checkin.draft.get("selected", []))
    if parsed.action in BY_CODE:
        code = parsed.action
        selected = [c for c in selected if c != code] if code in selected else [*selected, code]
        await store.run(checkins.save_draft, checkin.id, {**checkin.draft, "selected": selected})
        await _edit_or_send(update, words.QUESTION, question_keyboard(checkin.id, selected))
        return
    if parsed.action == "none" or not selected:
        await _edit_or_send(update, f"{words.QUESTION}\n\n<i>→ {words.NONE_BUTTON}</i>")
        await _finish(context, patient, checkin.id, {}, None)
        return
    chosen = ", ".join(words.EFFECT_LABELS[BY_CODE[c]] for c in selected)
    await _edit_or_send(update, f"{words.QUESTION}\n\n<i>→ {chosen}</i>")
    draft = {**checkin.draft, "selected": selected, "severity": {}}
    await store.run(checkins.save_draft, checkin.id, draft)
    await _next_question(context, patient, checkin.id)


async def _next_question(
    context: ContextTypes.DEFAULT_TYPE, patient: Patient, checkin_id: int
) -> None:
    """Ask what is still missing: the "something else" words, then each severity in turn."""
    store = services(context).store
    checkin = await store.run(checkins.by_id, checkin_id)
    assert checkin is not None
    selected: list[str] = checkin.draft.get("selected", [])
    severity: dict[str, str] = checkin.draft.get("severity", {})
    if CODES[Effect.OTHER] in selected and "other" not in checkin.draft:
        await store.run(
            patients.update,
            patient.id,
            services(context).clock.now(),
            onboarding_step=AWAITING_OTHER,
        )
        await context.bot.send_message(patient.chat_id, words.ASK_OTHER)
        return
    pending = [BY_CODE[c] for c in selected if c not in severity]
    if pending:
        await context.bot.send_message(
            patient.chat_id,
            words.how_bad(pending[0]),
            reply_markup=severity_keyboard(checkin_id, pending[0]),
        )
        return
    effects = {BY_CODE[c]: SEVERITY_BY_CODE[s] for c, s in severity.items()}
    await _finish(context, patient, checkin_id, effects, checkin.draft.get("other"))


async def other_text(context: ContextTypes.DEFAULT_TYPE, patient: Patient, text: str) -> None:
    """The words for "something else" (called by the text router while we wait for them)."""
    svc = services(context)
    if len(text) > MAX_OTHER:
        await context.bot.send_message(patient.chat_id, words.OTHER_TOO_LONG)
        return
    day = _today(patient, context)
    checkin = await svc.store.run(checkins.for_day, patient.id, day)
    await svc.store.run(patients.update, patient.id, svc.clock.now(), onboarding_step=None)
    if checkin is None or checkin.status != "open":
        await context.bot.send_message(patient.chat_id, words.CLOSED)
        return
    await svc.store.run(checkins.save_draft, checkin.id, {**checkin.draft, "other": text.strip()})
    await _next_question(context, patient, checkin.id)


async def severity_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    parsed = callbacks.parse(query.data)
    code, _, level = parsed.action.partition("_") if parsed else ("", "", "")
    if parsed is None or code not in BY_CODE or level not in SEVERITY_BY_CODE:
        await context.bot.send_message(query.from_user.id, texts.FORGED_BUTTON)
        return
    owned = await _owned_checkin(update, context, parsed.arg_int)
    if owned is None:
        return
    patient, checkin = owned
    if code not in checkin.draft.get("selected", []):
        await context.bot.send_message(patient.chat_id, texts.FORGED_BUTTON)
        return
    severity = {**checkin.draft.get("severity", {}), code: level}
    await services(context).store.run(
        checkins.save_draft, checkin.id, {**checkin.draft, "severity": severity}
    )
    label = words.SEVERITY_LABELS[SEVERITY_BY_CODE[level]]
    await _edit_or_send(update, f"{words.how_bad(BY_CODE[code])}\n\n<i>→ {label}</i>")
    await _next_question(context, patient, checkin.id)


async def _finish(
    context: ContextTypes.DEFAULT_TYPE,
    patient: Patient,
    checkin_id: int,
    effects: dict[Effect, Severity],
    other: str | None,
) -> None:
    """Store the answer, then say what follows from it: thanks, advice, a suggestion, benefits."""
    svc = services(context)
    now = svc.clock.now()
    if not await svc.store.run(checkins.finish, checkin_id, effects, other, now):
        await context.bot.send_message(patient.chat_id, words.CLOSED)
        return
    await context.bot.send_message(patient.chat_id, words.THANKS if effects else words.THANKS_NONE)
    result = await svc.store.run(checkins.assessment, patient.id)
    today = _today(patient, context)
    severe = [
        e
        for e in sorted(result.severe)
        if await svc.store.run(checkins.record_suggestion, patient.id, e, "severe", today, now)
    ]
    if severe:
        await context.bot.send_message(patient.chat_id, words.severe_advice(severe))
    for effect in sorted(result.new_episodes):
        start = result.open_episodes[effect]
        if await svc.store.run(
            checkins.record_suggestion, patient.id, effect, "persistent", start, now
        ):
            await context.bot.send_message(
                patient.chat_id, words.suggestion(effect, suggestion_for(effect))
            )
    await _maybe_ask_benefits(context, patient)


# Benefits ------------------------------------------------------------------------------------


async def _maybe_ask_benefits(context: ContextTypes.DEFAULT_TYPE, patient: Patient) -> None:
    svc = services(context)
    today = _today(patient, context)
    done = await svc.store.run(checkins.ratings, patient.id)
    if not benefits_due(done[-1].day if done else None, today):
        return
    step = await svc.store.run(due.plan_step, patient.id, today)
    rating = await svc.store.run(
        checkins.open_rating, patient.id, today, "weekly", patient.current_dose_mg, step
    )
    await context.bot.send_message(patient.chat_id, words.WEEKLY_INTRO)
    await _ask_measure(context, patient, rating)


async def offer_baseline(context: ContextTypes.DEFAULT_TYPE, patient: Patient) -> None:
    """After onboarding: offer to rate how things are before the first dose."""
    svc = services(context)
    today = _today(patient, context)
    rating = await svc.store.run(checkins.open_rating, patient.id, today, "baseline", None, None)
    await context.bot.send_message(
        patient.chat_id, words.BASELINE_OFFER, reply_markup=baseline_keyboard(rating.id)
    )


async def _ask_measure(
    context: ContextTypes.DEFAULT_TYPE, patient: Patient, rating: Rating
) -> None:
    measure = rating.missing()
    if measure is None:
        await _benefits_summary(context, patient, rating)
        return
    await context.bot.send_message(
        patient.chat_id,
        words.MEASURE_QUESTIONS[measure],
        reply_markup=measure_keyboard(rating.id, measure),
    )


async def _benefits_summary(
    context: ContextTypes.DEFAULT_TYPE, patient: Patient, rating: Rating
) -> None:
    svc = services(context)
    if rating.kind == "baseline":
        await context.bot.send_message(patient.chat_id, words.THANKS)
        return
    history = await svc.store.run(checkins.ratings, patient.id)
    changes_list = await svc.store.run(patients.dose_changes, patient.id)
    first_dose = changes_list[0][1] if changes_list else rating.day
    week = week_of(first_dose, rating.day)
    baseline = history[0] if history and history[0].id != rating.id else None
    result = changes(baseline.values, rating.values, week) if baseline else None
    await context.bot.send_message(patient.chat_id, words.benefits_done(week, result))


async def benefit_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """0–10 taps, and the baseline offer's [Yes] / [Later]."""
    query = update.callback_query
    assert query is not None
    parsed = callbacks.parse(query.data)
    svc = services(context)
    rating_part, _, value_part = parsed.arg.partition("_") if parsed else ("", "", "")
    rating_id = int(rating_part) if rating_part.isdigit() else None
    owned = await owned_by_presser(update, context, checkins.rating, rating_id)
    if owned is None or parsed is None:  # no data means no rating id: refused already
        return
    patient, rating = owned
    if parsed.action == "later":
        await _edit_or_send(update, words.BASELINE_LATER_OK)
        return
    if parsed.action == "start":
        await _edit_or_send(update, f"{words.BASELINE_OFFER}\n\n<i>→ {words.BASELINE_YES}</i>")
        await _ask_measure(context, patient, rating)
        return
    if parsed.action not in set(Measure) or not value_part.isdigit() or int(value_part) > 10:
        await context.bot.send_message(patient.chat_id, texts.FORGED_BUTTON)
        return
    measure = Measure(parsed.action)
    if measure in rating.values or rating.missing() is not measure:
        await _edit_or_send(update, words.CLOSED)
        return
    rating = await svc.store.run(
        checkins.rate, rating.id, measure, int(value_part), svc.clock.now()
    )
    await _edit_or_send(update, f"{words.MEASURE_QUESTIONS[measure]}\n\n<i>→ {value_part}</i>")
    await _ask_measure(context, patient, rating)


# Safety ------------------------------------------------------------------------------------


async def safety_scan(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any free text with urgent signs gets the urgent answer at once, before anything else."""
    message = update.effective_message
    if message is None or not message.text:
        return
    for sign in urgent_signs(message.text):
        await message.reply_text(words.URGENT[sign])
