"""The safety scan of free text, and what follows it: the answers to "Are you taking it now?"
and the confirmation /resume asks for after an opioid was reported.

Every text (new or edited) is read by ``titration.urgent`` before anything else sees it. A crisis
gets the crisis answer alone, first, and nothing else handles that message; allergy and liver
signs get "seek medical care now", an opioid its warning with [Yes] [No, just asking], a double
dose what to do. Each sign is answered at most once per message, so an edit never repeats a
warning already given for it (remembered in memory, for the newest ``WARNED_KEPT`` messages).
"""

from __future__ import annotations

from collections import OrderedDict

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot import checkin_texts, keyboards, settings_texts
from bot import safety_texts as words
from bot.callbacks import SafetyAction, SafetyButton
from bot.handlers.clinic_alerts import tell_clinic
from bot.handlers.common import (
    Context,
    call,
    pressed_button,
    presser_id,
    refuse,
    reply,
    show_answer,
)
from bot.services import services
from care import alerts, safety
from care.clinic_alerts import AlertReason
from care.people import Refusal
from care.safety import OpioidOutcome, ResumeOutcome
from titration.urgent import Reading, Urgency, read

WARNED = "urgent_answers_given"  # bot_data key: (chat, message) → the signs answered for it
WARNED_KEPT = 10_000  # messages remembered (the oldest are forgotten first)
CAREGIVERS_TOLD = frozenset({Urgency.ALLERGY, Urgency.LIVER})  # urgent signs sent as alerts
# Signs the clinic's staff hear of at once (an opioid: once the patient says they take it now).
CLINIC_TOLD = {
    Urgency.CRISIS: AlertReason.CRISIS,
    Urgency.ALLERGY: AlertReason.ALLERGY,
    Urgency.LIVER: AlertReason.LIVER,
}


async def safety_scan(update: Update, context: Context) -> None:
    """Any free text with a safety sign gets its answer at once, before anything else."""
    message = update.effective_message
    if message is None or not message.text:
        return
    reading = read(message.text)
    if not reading.signs:
        return
    given: OrderedDict[tuple[int, int], frozenset[Urgency]] = context.bot_data.setdefault(
        WARNED, OrderedDict()
    )
    key = (message.chat_id, message.message_id)
    before = given.get(key, frozenset())
    given[key] = before | frozenset(reading.signs)
    given.move_to_end(key)
    while len(given) > WARNED_KEPT:
        given.popitem(last=False)
    for sign in reading.signs:
        if sign not in before:
            await _answer(update, context, sign, reading)
    # Caregivers with the full scope hear of an allergic reaction or liver trouble (the sign's
    # code, never the words); an opioid is told once the patient says they take it now.
    told = tuple(s.value for s in reading.signs if s not in before and s in CAREGIVERS_TOLD)
    now = services(context).clock.now()
    if told:
        await call(context, alerts.after_urgent_sign, presser_id(update), told, now)
    new_signs = [sign for sign in reading.signs if sign not in before]
    clinic = tuple(CLINIC_TOLD[sign] for sign in new_signs if sign in CLINIC_TOLD)
    await tell_clinic(context, presser_id(update), clinic, now)
    if Urgency.CRISIS in reading.signs:
        raise ApplicationHandlerStop  # nothing else answers this message


async def _answer(update: Update, context: Context, sign: Urgency, reading: Reading) -> None:
    if sign is Urgency.CRISIS:
        await reply(update, context, words.crisis())
    elif sign is Urgency.DOUBLE_DOSE:
        await reply(update, context, words.double_dose())
    elif sign is Urgency.OPIOID:
        text = checkin_texts.urgent(sign) + "\n\n" + words.taking_now()
        await reply(update, context, text, keyboards.taking_opioid_now(reading.opioid))
    else:
        await reply(update, context, checkin_texts.urgent(sign))


async def safety_button(update: Update, context: Context) -> None:
    """[Yes] / [No, just asking] under an opioid warning; [Yes, go on] / [Not yet] on /resume."""
    pressed = await pressed_button(update, context, SafetyButton)
    if pressed is None:
        return
    if pressed.action is SafetyAction.ASKING:
        await show_answer(update, context, words.taking_no())
        await reply(update, context, words.just_asking())
    elif pressed.action is SafetyAction.WAIT:
        await show_answer(update, context, words.resume_not_yet())
        await reply(update, context, words.stay_paused())
    elif pressed.action is SafetyAction.TAKING:
        await _taking(update, context, pressed.substance)
    else:
        await _resume(update, context)


async def _taking(update: Update, context: Context, substance: str | None) -> None:
    svc = services(context)
    now = svc.clock.now()
    result = await call(context, safety.taking_opioid, presser_id(update), substance, now)
    await show_answer(update, context, words.taking_yes())
    if result.outcome is OpioidOutcome.PAUSED:
        assert result.patient_id is not None
        svc.dispatcher.withdraw(result.patient_id)  # a reminder already queued is held
        await reply(update, context, words.paused_for_opioid())
        await tell_clinic(context, presser_id(update), (AlertReason.OPIOID,), now)
    elif result.outcome is OpioidOutcome.ALREADY_PAUSED:
        await reply(update, context, words.still_paused_for_opioid())
    else:
        await reply(update, context, words.opioid_before_start())


async def _resume(update: Update, context: Context) -> None:
    svc = services(context)
    result = await call(context, safety.confirm_resume, presser_id(update), svc.clock.now())
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    await show_answer(update, context, words.resume_yes())
    svc.wakeup.poke()
    zone = result.patient.zone
    if result.outcome is ResumeOutcome.NOT_PAUSED:
        await reply(update, context, settings_texts.not_paused(result.next_reminder, zone))
    else:
        await reply(update, context, settings_texts.resumed(result.next_reminder, zone))
