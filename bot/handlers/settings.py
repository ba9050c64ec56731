"""/settings (bedtime, time zone, check-in time, language, morning or bedtime dose, dose form),
/pause and /resume.

Each press or typed answer is one call into ``care.settings`` (or ``care.reminders`` for pause
and resume), which checks it and saves it in one transaction; here it is only rendered. A zone
or time tapped, or a location shared, while a settings question is open arrives here from the
onboarding handlers, which own those buttons.
"""

from __future__ import annotations

from datetime import time

from telegram import ReplyKeyboardRemove, Update

from bot import follow_texts, i18n, keyboards, safety_texts, texts
from bot import form_texts as form_words
from bot import onboarding_texts as onboarding_words
from bot import settings_texts as words
from bot.callbacks import (
    DoseTimeButton,
    FormButton,
    LanguageButton,
    SettingsButton,
    SettingsChoice,
)
from bot.handlers import follow_settings, zone_answers
from bot.handlers.common import (
    Context,
    call,
    invalid_button,
    pressed_button,
    presser_id,
    refuse,
    reply,
    show_answer,
    typed_text,
)
from bot.menus import set_chat_menu
from bot.services import services
from care import dose_settings, reminders
from care import settings as care_settings
from care.caregiver_settings import OwnSettings
from care.people import Refusal
from care.reminders import Switch
from care.settings import Setting, SettingsAnswer, SettingsOutcome, SettingsStep

_STEPS = {
    SettingsChoice.BEDTIME: SettingsStep.BEDTIME,
    SettingsChoice.ZONE: SettingsStep.ZONE,
    SettingsChoice.CHECKIN: SettingsStep.CHECKIN,
    SettingsChoice.LANGUAGE: SettingsStep.LANGUAGE,
    SettingsChoice.DOSE_TIME: SettingsStep.DOSE_TIME,
    SettingsChoice.FORM: SettingsStep.FORM,
}


async def settings_command(update: Update, context: Context) -> None:
    """/settings: what can be changed (a patient's reminders; for someone who takes no LDN here
    themselves, their time zone and language as a caregiver)."""
    found = await call(context, care_settings.menu, presser_id(update))
    if isinstance(found, Refusal):
        await refuse(update, context, found)
    elif isinstance(found, OwnSettings):  # someone who only follows others: theirs as such
        await follow_settings.render(update, context, found)
    else:
        text = words.menu()
        if found.follows_others:
            text += "\n\n" + follow_texts.patient_settings_hint()
        await reply(update, context, text, keyboards.settings())


async def settings_button(update: Update, context: Context) -> None:
    """[Bedtime] / [Time zone] / [Check-in time] / [Language]: ask for the new value."""
    pressed = await pressed_button(update, context, SettingsButton)
    if pressed is None:
        return
    now = services(context).clock.now()
    step = _STEPS[pressed.choice]
    result = await call(context, care_settings.open_question, presser_id(update), step, now)
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    await _ask(update, context, step)


async def language_button(update: Update, context: Context) -> None:
    """[English] / [Deutsch]: every later message (this answer first) in that language, whether
    asked from a patient's /settings or a caregiver's."""
    assert update.callback_query is not None
    pressed = LanguageButton.parse(update.callback_query.data)
    if pressed is None or pressed.language not in i18n.LANGUAGES:
        await invalid_button(update, context)
        return
    now = services(context).clock.now()
    result = await call(
        context, care_settings.choose_language, presser_id(update), pressed.language, now
    )
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    await show_answer(update, context, i18n.NAMES[pressed.language])
    i18n.use(result)
    await reply(update, context, words.language_saved())
    await set_chat_menu(context, presser_id(update), drop=False)  # a caregiver's own menu, too


async def dose_time_button(update: Update, context: Context) -> None:
    """[At bedtime] / [In the morning]: bedtime is saved; the morning asks its time."""
    pressed = await pressed_button(update, context, DoseTimeButton)
    if pressed is None:
        return
    now = services(context).clock.now()
    result = await call(
        context, dose_settings.choose_dose_time, presser_id(update), pressed.choice, now
    )
    await _render(update, context, result)


async def form_button(update: Update, context: Context) -> None:
    """[Capsules] / [Tablets] / [Liquid]: a liquid asks its concentration."""
    pressed = await pressed_button(update, context, FormButton)
    if pressed is None:
        return
    now = services(context).clock.now()
    result = await call(context, dose_settings.choose_form, presser_id(update), pressed.form, now)
    if not isinstance(result, Refusal) and result.outcome is not SettingsOutcome.NOT_NOW:
        await show_answer(update, context, form_words.form_name(pressed.form))
    await _render(update, context, result)


async def typed_answer(update: Update, context: Context) -> None:
    """Text while a settings question is open: a city or a time."""
    text = await typed_text(update, context)
    if text is None:
        return
    now = services(context).clock.now()
    result: SettingsAnswer | Refusal
    if services(context).open_questions.of(presser_id(update)) == SettingsStep.ZONE:
        match = await zone_answers.read_place(context, text)
        result = await call(
            context, care_settings.answer_zone, presser_id(update), match.zones, match.sure, now
        )
        if not isinstance(result, Refusal) and result.outcome is SettingsOutcome.PICK_ZONE:
            await zone_answers.offer(update, context, match, result.zones)
            return
    else:
        result = await call(context, care_settings.answer_text, presser_id(update), text, now)
    await _render(update, context, result)


async def zone_chosen(
    update: Update, context: Context, zone: str | None, *, shared: bool = False
) -> None:
    """A zone tapped, or found at a shared location (None: none there), for the open question."""
    now = services(context).clock.now()
    result = await call(context, care_settings.save_zone, presser_id(update), zone, now)
    if isinstance(result, Refusal):
        await refuse(update, context, result)
    elif shared and result.outcome is SettingsOutcome.ZONE_NOT_FOUND:
        await reply(update, context, onboarding_words.zone_not_at_location())
    elif shared and result.outcome is SettingsOutcome.NOT_NOW:  # the question closed meanwhile
        await reply(update, context, texts.not_text())
    else:
        if zone is not None and not shared and result.outcome is SettingsOutcome.SAVED:
            await show_answer(update, context, keyboards.city(zone))
        await _render(update, context, result)


async def time_chosen(update: Update, context: Context, at: time) -> None:
    """A time tapped for the open bedtime or check-in time question."""
    now = services(context).clock.now()
    result = await call(context, care_settings.save_time, presser_id(update), at, now)
    if not isinstance(result, Refusal) and result.outcome is not SettingsOutcome.NOT_NOW:
        await show_answer(update, context, i18n.clock_time(at))
    await _render(update, context, result)


async def pause(update: Update, context: Context) -> None:
    """/pause: no reminders or check-ins until /resume (a reminder already queued is held)."""
    svc = services(context)
    result = await call(context, reminders.pause, presser_id(update), svc.clock.now())
    if isinstance(result, Refusal):
        await refuse(update, context, result)
    elif result.outcome is Switch.ALREADY:
        await reply(update, context, words.already_paused())
    else:
        svc.dispatcher.withdraw(result.patient.id)
        await reply(update, context, words.paused())


async def resume(update: Update, context: Context) -> None:
    """/resume: reminders back on; when the next one comes. After an opioid was reported, the
    patient confirms first (``bot.handlers.safety``)."""
    svc = services(context)
    result = await call(context, reminders.resume, presser_id(update), svc.clock.now())
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    zone = result.patient.zone
    if result.outcome is Switch.CONFIRM:  # paused after an opioid was reported
        assert result.held_since is not None
        text = safety_texts.confirm_resume(result.held_since, zone)
        await reply(update, context, text, keyboards.confirm_resume())
        return
    assert result.next_reminder is not None
    svc.wakeup.poke()
    if result.outcome is Switch.ALREADY:
        await reply(update, context, words.not_paused(result.next_reminder, zone))
    else:
        await reply(update, context, words.resumed(result.next_reminder, zone))


# Rendering -----------------------------------------------------------------------------------


async def _render(update: Update, context: Context, result: SettingsAnswer | Refusal) -> None:
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    outcome = result.outcome
    if outcome is SettingsOutcome.SAVED:
        await _saved(update, context, result)
    elif outcome is SettingsOutcome.NOT_NOW:  # the question closed meanwhile
        await invalid_button(update, context)
    elif outcome is SettingsOutcome.ZONE_NOT_FOUND:
        await reply(update, context, onboarding_words.zone_not_found())
    elif outcome is SettingsOutcome.PICK_ZONE:
        await reply(update, context, onboarding_words.pick_zone(), keyboards.zones(result.zones))
    elif outcome is SettingsOutcome.PICK_TIME:
        readings = result.times
        if result.step in (SettingsStep.CHECKIN, SettingsStep.MORNING_TIME):  # morning first
            readings = tuple(reversed(readings))
        question = onboarding_words.evening_or_morning(*readings)
        await reply(update, context, question, keyboards.time_choices(readings))
    elif outcome is SettingsOutcome.RETRY:
        assert result.problem is not None
        text = onboarding_words.problem(result.problem)
        await reply(update, context, text, keyboards.bedtimes(_times(result.step)))
    elif outcome is SettingsOutcome.NOT_MORNING:
        text = form_words.not_morning(result.times[0])
        await reply(update, context, text, keyboards.bedtimes(keyboards.MORNING_TIMES))
    elif outcome is SettingsOutcome.FORM_RETRY:
        assert result.form_problem is not None
        await reply(update, context, form_words.form_problem(result.form_problem))
    elif result.step is not None:  # ASK, REASK
        await _ask(update, context, result.step)


_TIMES = {
    SettingsStep.CHECKIN: keyboards.CHECKIN_TIMES,
    SettingsStep.MORNING_TIME: keyboards.MORNING_TIMES,
}


def _times(step: SettingsStep | None) -> tuple[str, ...]:
    return _TIMES.get(step, keyboards.BEDTIMES) if step is not None else keyboards.BEDTIMES


async def _saved(update: Update, context: Context, result: SettingsAnswer) -> None:
    svc = services(context)
    patient = result.patient
    if result.saved is Setting.ZONE:
        label = onboarding_words.zone_saved(patient.zone, svc.clock.now())
        await reply(update, context, label, ReplyKeyboardRemove())
    if result.saved is Setting.BEDTIME:
        await reply(update, context, onboarding_words.bedtime_saved(patient.bedtime))
    if result.saved is Setting.DOSE_TIME:
        await reply(update, context, form_words.dose_time_saved(patient.morning_time))
    if result.saved is Setting.DOSE_FORM:
        text = form_words.form_saved(patient.dose_form, patient.mg_per_ml, patient.current_dose_mg)
        await reply(update, context, text)
        return
    if result.next_reminder is None:
        await reply(update, context, words.saved_while_paused())
        return
    svc.wakeup.poke()
    await reply(update, context, words.saved(result.next_reminder, patient.zone))


async def _ask(update: Update, context: Context, step: SettingsStep) -> None:
    if step is SettingsStep.ZONE:
        default = services(context).settings.default_timezone
        await reply(update, context, onboarding_words.ask_zone(), keyboards.zone_choices(default))
    elif step is SettingsStep.BEDTIME:
        await reply(update, context, onboarding_words.ask_bedtime(), keyboards.bedtimes())
    elif step is SettingsStep.CHECKIN:
        markup = keyboards.bedtimes(keyboards.CHECKIN_TIMES)
        await reply(update, context, words.ask_checkin_time(), markup)
    elif step is SettingsStep.DOSE_TIME:
        await reply(update, context, form_words.ask_dose_time(), keyboards.dose_times())
    elif step is SettingsStep.MORNING_TIME:
        markup = keyboards.bedtimes(keyboards.MORNING_TIMES)
        await reply(update, context, form_words.ask_morning_time(), markup)
    elif step is SettingsStep.FORM:
        await reply(update, context, form_words.ask_form(), keyboards.dose_forms())
    elif step is SettingsStep.CONCENTRATION:
        await reply(update, context, form_words.ask_concentration())
    else:
        await reply(update, context, words.ask_language(), keyboards.languages())
