"""Getting started: /start, consent, safety questions, time zone, bedtime, plan, confirm, /cancel.

Each press or typed answer is one call into ``care.onboarding``, which checks it against the
person's open question and saves it in one transaction; here it is only rendered. A time-zone or
time answer (a tapped zone or time, a shared location) goes to /settings instead when a settings
question is open.
"""

from __future__ import annotations

import asyncio
from datetime import time

from telegram import ReplyKeyboardRemove, Update

from bot import admin_texts, follow_keyboards, follow_texts, i18n, keyboards, settings_texts, texts
from bot import clinic_texts as clinic_words
from bot import form_texts as form_words
from bot import onboarding_texts as words
from bot.callbacks import (
    ClinicConsentButton,
    ConfirmButton,
    ConfirmChoice,
    ConsentButton,
    PlanButton,
    PlanChoice,
    ScreeningButton,
    StartButton,
    TimeButton,
    YesNo,
    ZoneButton,
)
from bot.geo import zone_at
from bot.handlers import checkins, follow_settings, invites, settings, zone_answers
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
from bot.services import services
from care import admin_actions, onboarding
from care.caregiver_settings import CaregiverSettingsStep
from care.clinic import LINK_PREFIX
from care.invites import CaregiverStep
from care.onboarding import Ask, OnboardingStep, Outcome, Progress, Rejected, SetupField
from care.people import Refusal
from care.settings import SettingsStep
from titration import timing
from titration.errors import InputError
from titration.timing import known_zone, parse_bedtime

# /start and consent --------------------------------------------------------------------------


async def start(update: Update, context: Context) -> None:
    """/start: the consent question for newcomers; otherwise pick up wherever the person is."""
    now = services(context).clock.now()
    code = _clinic_code(context.args)
    if code is not None:  # /start c_<code>: a clinic's enrolment link (its own small branch)
        await _start_from_clinic_link(update, context, code)
        return
    result = await call(context, onboarding.start, presser_id(update), now)
    await _render(update, context, result)


async def start_own(update: Update, context: Context) -> None:
    """[Start my own LDN tracking] under a caregiver's /start: the patient's consent first."""
    if await pressed_button(update, context, StartButton) is None:
        return
    now = services(context).clock.now()
    result = await call(context, onboarding.start, presser_id(update), now, as_patient=True)
    await _answered(update, context, result, follow_texts.start_own_button())


def _clinic_code(args: list[str] | None) -> str | None:
    """The code of a clinic link's ``start`` parameter (``c_…``), if that is what came."""
    if not args or not args[0].startswith(LINK_PREFIX):
        return None
    code = args[0].removeprefix(LINK_PREFIX)
    return code if 0 < len(code) <= 40 and code.replace("-", "").replace("_", "").isalnum() else ""


async def _start_from_clinic_link(update: Update, context: Context, code: str) -> None:
    """A newcomer gets the clinic's welcome and consent (the code rides on its buttons); anyone
    else carries on as /start would, with the clinic's plan preselected if they had none."""
    now = services(context).clock.now()
    result = await call(context, onboarding.open_clinic_link, presser_id(update), code, now)
    if result.clinic is None:
        await reply(update, context, clinic_words.link_not_valid())
    elif result.outcome is Outcome.NEW:
        welcome = f"{clinic_words.clinic_welcome(result.clinic)}\n\n{words.consent()}"
        await reply(update, context, welcome, keyboards.clinic_consent(code))
        return
    await _render(update, context, result)


async def consent(update: Update, context: Context) -> None:
    """[Yes, I agree] / [No thanks]. Only "yes" stores anything."""
    assert update.callback_query is not None and update.effective_user is not None
    data = update.callback_query.data
    pressed = ConsentButton.parse(data) or ClinicConsentButton.parse(data)
    if pressed is None:
        await invalid_button(update, context)
        return
    clinic_code = pressed.code if isinstance(pressed, ClinicConsentButton) else None
    agreed = pressed.answer is YesNo.YES
    # The consent was shown in the language the gate chose (a caregiver's own, else their
    # Telegram app's): its hash is of those words, and it becomes the patient's language.
    language = i18n.current()
    result = await call(
        context,
        onboarding.consent,
        presser_id(update),
        agreed,
        language=language,
        version=words.CONSENT_VERSION,
        text_sha256=words.consent_sha256(),
        now=services(context).clock.now(),
        clinic_code=clinic_code,
    )
    if result.patient is not None:
        i18n.use(result.patient.language)
    await show_answer(update, context, words.consent_yes() if agreed else words.consent_no())
    await _render(update, context, result)


# Button answers ------------------------------------------------------------------------------


async def screening(update: Update, context: Context) -> None:
    """A safety question's [Yes] / [No] / [Not sure]."""
    pressed = await pressed_button(update, context, ScreeningButton)
    if pressed is None:
        return
    now = services(context).clock.now()
    result = await call(
        context,
        onboarding.answer_screening,
        presser_id(update),
        pressed.question,
        pressed.answer,
        now,
    )
    await _answered(update, context, result, keyboards.screening_label(pressed.answer))


async def zone_pick(update: Update, context: Context) -> None:
    """A zone tapped under "Did you mean one of these?" (onboarding or /settings)."""
    assert update.callback_query is not None
    pressed = ZoneButton.parse(update.callback_query.data)
    if pressed is None or not known_zone(pressed.zone):
        await invalid_button(update, context)
        return
    if _open_in_settings(update, context):
        await settings.zone_chosen(update, context, pressed.zone)
        return
    if _open_for_caregiver(update, context):
        await invites.zone_chosen(update, context, pressed.zone)
        return
    if _open_in_caregiver_settings(update, context):
        await follow_settings.zone_chosen(update, context, pressed.zone)
        return
    now = services(context).clock.now()
    result = await call(context, onboarding.choose_zone, presser_id(update), pressed.zone, now)
    await _answered(update, context, result, keyboards.city(pressed.zone))


async def time_pick(update: Update, context: Context) -> None:
    """A time tapped under the bedtime question (or a /settings time question)."""
    assert update.callback_query is not None
    pressed = TimeButton.parse(update.callback_query.data)
    try:
        chosen = parse_bedtime(pressed.hhmm) if pressed is not None else None
    except InputError:
        chosen = None
    if chosen is None:
        await invalid_button(update, context)
        return
    if _open_in_settings(update, context):
        await settings.time_chosen(update, context, chosen)
        return
    now = services(context).clock.now()
    result = await call(context, onboarding.choose_bedtime, presser_id(update), chosen, now)
    await _answered(update, context, result, i18n.clock_time(chosen))


async def plan_pick(update: Update, context: Context) -> None:
    """[The usual plan] / [Different numbers], or a value for one of the plan's numbers."""
    pressed = await pressed_button(update, context, PlanButton)
    if pressed is None:
        return
    uid, now = presser_id(update), services(context).clock.now()
    result: Progress | Refusal
    if pressed.choice in (PlanChoice.DEFAULT, PlanChoice.CUSTOM):
        custom = pressed.choice is PlanChoice.CUSTOM
        result = await call(context, onboarding.choose_plan, uid, custom, now)
        label = words.different_numbers() if custom else words.usual_plan()
    elif pressed.value is not None and pressed.choice in _FIELDS:
        step = _FIELDS[pressed.choice]
        result = await call(context, onboarding.give_plan_value, uid, step, pressed.value, now)
        label = keyboards.plan_value_label(pressed.choice, pressed.value)
    else:
        await invalid_button(update, context)
        return
    await _answered(update, context, result, label)


async def confirm(update: Update, context: Context) -> None:
    """The summary's [Start] (the plan begins) or [Change something]."""
    pressed = await pressed_button(update, context, ConfirmButton)
    if pressed is None:
        return
    now = services(context).clock.now()
    if pressed.choice in _CHANGE:
        field, field_label = _CHANGE[pressed.choice]
        changed = await call(context, onboarding.change_field, presser_id(update), field, now)
        await _answered(update, context, changed, field_label())
        return
    start_now = pressed.choice is ConfirmChoice.START
    result = await call(context, onboarding.confirm, presser_id(update), start_now, now)
    if isinstance(result, Refusal) or result.outcome is not Outcome.PICK_FIELD:
        label = words.start_button() if start_now else words.change_button()
        await _answered(update, context, result, label)
        return
    await reply(update, context, words.which_field(), keyboards.setup_fields(result.clinic_plan))


_CHANGE = {
    ConfirmChoice.ZONE: (SetupField.ZONE, settings_texts.zone_button),
    ConfirmChoice.BEDTIME: (SetupField.BEDTIME, settings_texts.bedtime_button),
    ConfirmChoice.PLAN: (SetupField.PLAN, words.plan_button),
}


# Typed answers and shared locations ----------------------------------------------------------


async def typed_answer(update: Update, context: Context) -> None:
    """Text while an onboarding question is open (a city, a time, a plan number)."""
    text = await typed_text(update, context)
    if text is None:
        return
    now = services(context).clock.now()
    result: Progress | Refusal
    if services(context).open_questions.of(presser_id(update)) == OnboardingStep.ZONE:
        match = await zone_answers.read_place(context, text)
        result = await call(
            context, onboarding.answer_zone, presser_id(update), match.zones, match.sure, now
        )
        if not isinstance(result, Refusal) and result.outcome is Outcome.PICK_ZONE:
            await zone_answers.offer(update, context, match, result.zones)
            return
    else:
        result = await call(context, onboarding.answer_text, presser_id(update), text, now)
    if isinstance(result, Refusal):
        await refuse(update, context, result)
    elif result.outcome is Outcome.NOT_NOW:  # the question closed meanwhile
        await reply(update, context, texts.help_text())
    else:
        await _render(update, context, result)


async def location(update: Update, context: Context) -> None:
    """A shared location: the time zone there, for the open zone question."""
    message = update.effective_message
    assert message is not None and message.location is not None
    spot = message.location
    zone = await asyncio.get_running_loop().run_in_executor(
        None, zone_at, spot.latitude, spot.longitude
    )
    if _open_in_settings(update, context):
        await settings.zone_chosen(update, context, zone, shared=True)
        return
    if _open_for_caregiver(update, context):
        await invites.zone_chosen(update, context, zone, shared=True)
        return
    if _open_in_caregiver_settings(update, context):
        await follow_settings.zone_chosen(update, context, zone, shared=True)
        return
    now = services(context).clock.now()
    result = await call(context, onboarding.choose_zone, presser_id(update), zone, now)
    if isinstance(result, Refusal):
        await refuse(update, context, result)
    elif result.outcome is Outcome.NOT_NOW:  # nobody asked for a place
        await reply(update, context, texts.not_text())
    elif result.outcome is Outcome.ZONE_NOT_FOUND:
        await reply(update, context, words.zone_not_at_location())
    else:
        await _render(update, context, result)


# /cancel -------------------------------------------------------------------------------------


async def cancel(update: Update, context: Context) -> None:
    """/cancel: stop waiting for an answer; nothing already saved is lost."""
    if await call(context, admin_actions.cancel, presser_id(update)):  # a clinic change asked
        await reply(update, context, words.cancelled(), ReplyKeyboardRemove())
        return
    if _open_for_caregiver(update, context):
        await invites.cancel(update, context)
        return
    if _open_in_caregiver_settings(update, context):
        await follow_settings.cancel(update, context)
        return
    result = await call(
        context, onboarding.cancel, presser_id(update), services(context).clock.now()
    )
    if result.outcome is Outcome.NOTHING_TO_CANCEL:
        await reply(update, context, words.nothing_to_cancel())
    elif result.outcome is Outcome.SETTINGS_CLOSED:
        await reply(update, context, words.settings_cancelled(), ReplyKeyboardRemove())
    else:
        await reply(update, context, words.cancelled(), ReplyKeyboardRemove())


# Rendering -----------------------------------------------------------------------------------

_FIELDS = {
    PlanChoice.START: OnboardingStep.START,
    PlanChoice.STEP: OnboardingStep.STEP,
    PlanChoice.INTERVAL: OnboardingStep.INTERVAL,
    PlanChoice.TARGET: OnboardingStep.TARGET,
}
_CHOICES = {step: choice for choice, step in _FIELDS.items()}
_SETTINGS_STEPS = frozenset(SettingsStep)
_CAREGIVER_STEPS = frozenset(CaregiverStep)


def _open_in_settings(update: Update, context: Context) -> bool:
    """True when the person's open question (as the gate noted it) is a /settings one."""
    return services(context).open_questions.of(presser_id(update)) in _SETTINGS_STEPS


def _open_in_caregiver_settings(update: Update, context: Context) -> bool:
    """True when the open question is the caregiver's own zone, from their settings."""
    return services(context).open_questions.of(presser_id(update)) == CaregiverSettingsStep.ZONE


def _open_for_caregiver(update: Update, context: Context) -> bool:
    """True when the open question is a caregiver's (their own time zone while joining)."""
    return services(context).open_questions.of(presser_id(update)) in _CAREGIVER_STEPS


async def _answered(
    update: Update, context: Context, result: Progress | Refusal, label: str
) -> None:
    """After a button press: show the chosen answer under its question (when it counted)."""
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    if result.outcome is not Outcome.NOT_NOW:
        await show_answer(update, context, label)
    await _render(update, context, result)


async def _render(update: Update, context: Context, result: Progress) -> None:
    svc = services(context)
    patient = result.patient
    if result.outcome is Outcome.NEW:
        await reply(update, context, words.consent(), keyboards.consent())
    elif result.outcome is Outcome.CAREGIVER:
        assert update.effective_user is not None
        text = follow_texts.greeting(update.effective_user.first_name, list(result.following))
        await reply(update, context, text, follow_keyboards.start_own())
    elif result.outcome is Outcome.STAFF:
        assert update.effective_user is not None
        text = admin_texts.staff_greeting(update.effective_user.first_name)
        await reply(update, context, text, follow_keyboards.start_own())
    elif result.outcome is Outcome.DECLINED:
        await reply(update, context, words.declined())
    elif result.outcome is Outcome.ALREADY_CONSENTED:
        await reply(update, context, words.already_consented())
    elif result.outcome is Outcome.NOT_NOW:
        if result.ask is None:
            await invalid_button(update, context)
            return
        await reply(update, context, words.earlier_question())
    elif result.outcome is Outcome.REASK and result.ask and result.ask.step is OnboardingStep.PLAN:
        await reply(update, context, words.plan_unsure())
    elif result.outcome is Outcome.STOPPED:
        assert result.stop is not None
        await reply(update, context, words.stopped(result.stop))
    elif result.outcome is Outcome.ZONE_NOT_FOUND:
        await reply(update, context, words.zone_not_found())
    elif result.outcome is Outcome.PICK_ZONE:
        await reply(update, context, words.pick_zone(), keyboards.zones(result.zones))
    elif result.outcome is Outcome.PICK_TIME:
        question = words.evening_or_morning(*result.times)
        await reply(update, context, question, keyboards.time_choices(result.times))
    elif result.outcome is Outcome.WELCOME_BACK:
        assert patient is not None and result.next_reminder is not None
        svc.wakeup.poke()
        await reply(update, context, words.welcome_back(result.next_reminder, patient.zone))
    elif result.outcome is Outcome.PAUSED:
        await reply(update, context, settings_texts.already_paused())
    elif result.outcome is Outcome.STARTED:
        assert patient is not None and result.next_reminder is not None
        svc.wakeup.poke()
        text = words.started(result.next_reminder, patient.zone)
        dose, strength = patient.current_dose_mg, patient.mg_per_ml
        if dose is not None and strength is not None:  # a clinic template's liquid
            text += "\n" + form_words.liquid_dose(dose, strength)
        else:
            text += "\n" + form_words.liquid_hint()
        await reply(update, context, text)
        if result.baseline_rating is not None:
            await checkins.send_baseline_offer(context, patient.chat_id, result.baseline_rating)
    if result.zone_saved is not None:
        saved = words.zone_saved(timing.zone(result.zone_saved), svc.clock.now())
        await reply(update, context, saved, ReplyKeyboardRemove())
    if result.bedtime_saved is not None:
        await reply(update, context, words.bedtime_saved(result.bedtime_saved))
    if result.rejected is not None:
        await _refused_value(update, context, result.rejected)
    if result.check_first:
        await reply(update, context, words.check_opioids_first())
    if result.ask is not None:
        await ask(update, context, result.ask)


async def _refused_value(update: Update, context: Context, rejected: Rejected) -> None:
    """Why a typed value was not taken; a likely typo gets a "Yes, 4.5 mg" button."""
    text = words.problem(
        rejected.problem,
        value=rejected.value,
        suggestion=rejected.suggestion,
        example=rejected.example,
    )
    markup = None
    if rejected.step is OnboardingStep.BEDTIME:
        markup = keyboards.bedtimes()
    elif rejected.suggestion is not None and rejected.step in _CHOICES:
        markup = keyboards.did_you_mean(_CHOICES[rejected.step], rejected.suggestion)
    await reply(update, context, text, markup)


async def ask(update: Update, context: Context, question: Ask) -> None:
    """Put an onboarding question, with its buttons."""
    step = question.step
    if step.question is not None:
        await reply(
            update,
            context,
            words.screening_question(step.question),
            keyboards.screening(step.question),
        )
    elif step is OnboardingStep.ZONE:
        default = services(context).settings.default_timezone
        await reply(update, context, words.ask_zone(), keyboards.zone_choices(default))
    elif step is OnboardingStep.BEDTIME and question.clinic_bedtime is not None:
        suggested = question.clinic_bedtime  # the clinic's default, offered first
        text = (
            f"{words.ask_bedtime()}\n{clinic_words.clinic_bedtime(time.fromisoformat(suggested))}"
        )
        others = tuple(t for t in keyboards.BEDTIMES if t != suggested)
        await reply(update, context, text, keyboards.bedtimes((suggested, *others)))
    elif step is OnboardingStep.BEDTIME:
        await reply(update, context, words.ask_bedtime(), keyboards.bedtimes())
    elif step is OnboardingStep.PLAN:
        await reply(update, context, words.ask_plan(), keyboards.plan_choice())
    elif step in _CHOICES:
        await reply(update, context, _FIELD_QUESTIONS[step](), keyboards.plan_field(_CHOICES[step]))
    else:
        summary = question.summary
        assert summary is not None
        text = words.summary(
            summary.zone,
            summary.bedtime,
            summary.plan,
            summary.first_reminder,
            services(context).clock.now(),
        )
        if summary.clinic is not None:
            text = f"{text}\n{clinic_words.clinic_plan_line(summary.clinic)}"
        await reply(update, context, text, keyboards.confirm_setup())


_FIELD_QUESTIONS = {
    OnboardingStep.START: words.ask_start,
    OnboardingStep.STEP: words.ask_step,
    OnboardingStep.INTERVAL: words.ask_interval,
    OnboardingStep.TARGET: words.ask_target,
}
