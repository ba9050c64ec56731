"""A clinic change to one patient, from the button on their page to the patient being told:
ask (a typed dose and reason, time or zone), show it back with [Confirm] / [Cancel], apply it in
one call into ``care.admin_actions``, wake the scheduler, and tell the patient in their language.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot import admin_texts as words
from bot import i18n
from bot.callbacks import AdminActionButton, AdminConfirmButton, CallbackData, Confirm
from bot.handlers.admin import show_patient
from bot.handlers.common import (
    Context,
    call,
    pressed_button,
    presser_id,
    refuse,
    reply,
    show,
    typed_text,
)
from bot.onboarding_texts import problem
from bot.services import services
from care import admin_actions
from care.admin_actions import AdminAction, AdminStep, Asked, Change, Done, Pending
from care.people import Refusal

log = logging.getLogger(__name__)


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data.pack())


async def action_button(update: Update, context: Context) -> None:
    """[Set dose] / [Hold next step] / [Move reminder] / … on a patient's page."""
    pressed = await pressed_button(update, context, AdminActionButton)
    if pressed is None:
        return
    now = services(context).clock.now()
    found = await call(
        context, admin_actions.start, presser_id(update), pressed.patient_id, pressed.action, now
    )
    await _render(update, context, found)


async def typed_answer(update: Update, context: Context) -> None:
    """Text while the admin's question is open: a dose, a reason, a time or a place."""
    text = await typed_text(update, context)
    if text is None:
        return
    now = services(context).clock.now()
    found = await call(context, admin_actions.answer, presser_id(update), text, now)
    await _render(update, context, found)


async def _render(update: Update, context: Context, found: Pending | Refusal) -> None:
    if isinstance(found, Refusal):
        await refuse(update, context, found)
    elif found.outcome is Asked.ASK:
        await reply(update, context, _question(found))
    elif found.outcome is Asked.CONFIRM:
        await reply(update, context, _confirmation(found), _confirm_keys(found))
    elif found.outcome is Asked.RETRY and found.problem is not None:
        error = found.problem
        text = problem(
            error.problem, value=error.value, suggestion=error.suggestion, example=error.example
        )
        await reply(update, context, text)
    elif found.outcome is Asked.RETRY:
        await reply(update, context, words.zone_not_found())
    elif found.outcome is Asked.PICK_ZONE:
        await reply(update, context, words.pick_zone(found.zones))
    elif found.outcome is Asked.EMPTY_REASON:
        await reply(update, context, words.need_reason())
    else:  # NOT_NOW: the confirmation is waiting for a press, not for text
        await reply(update, context, words.stale_change())


def _question(found: Pending) -> str:
    if found.step is AdminStep.DOSE:
        return words.ask_dose(found.alias)
    if found.step is AdminStep.REASON:
        return words.ask_reason()
    if found.step is AdminStep.TIME:
        return words.ask_time(found.alias)
    return words.ask_zone(found.alias)


def _confirmation(found: Pending) -> str:
    assert found.action is not None
    lines = [words.confirm(found.action, found.alias, found.before, found.value)]
    if found.reason:
        lines.append(words.reason_line(found.reason))
    if found.high and found.value is not None:
        lines.append(words.above_usual(Decimal(found.value)))
    return "\n".join(lines)


def _confirm_keys(found: Pending) -> InlineKeyboardMarkup:
    assert found.action is not None
    action, pid = found.action, found.patient_id
    if found.high and found.value is not None:
        yes = _button(
            words.confirm_high_button(Decimal(found.value)),
            AdminConfirmButton(action, pid, Confirm.HIGH),
        )
    else:
        yes = _button(words.confirm_button(), AdminConfirmButton(action, pid, Confirm.YES))
    no = _button(words.cancel_button(), AdminConfirmButton(action, pid, Confirm.NO))
    return InlineKeyboardMarkup([[yes, no]])


async def confirm_button(update: Update, context: Context) -> None:
    """[Confirm] / [Yes, 6.0 mg (above 4.5 mg)] / [Cancel] under a change."""
    pressed = await pressed_button(update, context, AdminConfirmButton)
    if pressed is None:
        return
    svc = services(context)
    if pressed.answer is Confirm.NO:
        cancelled = await call(
            context, admin_actions.cancel_as_admin, presser_id(update), svc.clock.now()
        )
        if isinstance(cancelled, Refusal):
            await refuse(update, context, cancelled)
        else:
            await show(update, context, words.cancelled())
        return
    high = pressed.answer is Confirm.HIGH
    change = await call(
        context,
        admin_actions.confirm,
        presser_id(update),
        pressed.patient_id,
        pressed.action,
        high,
        svc.clock.now(),
    )
    if isinstance(change, Refusal):
        await refuse(update, context, change)
    elif change.outcome is Done.STALE:
        await show(update, context, words.stale_change())
    elif change.outcome is Done.NEEDS_HIGH:
        await show(update, context, words.above_usual(Decimal(change.after)))
    elif change.outcome is Done.ALREADY:
        await show(update, context, words.already(change.alias))
    else:
        await take_effect(context, change)
        await show(
            update, context, words.done(change.action, change.alias, change.before, change.after)
        )
        await show_patient(update, context, pressed.patient_id, fresh=True)


async def take_effect(context: Context, change: Change) -> None:
    """The scheduler follows at once (a paused patient's queued message is held back), and the
    patient is told what the clinic changed."""
    svc = services(context)
    assert change.patient is not None
    if change.action is AdminAction.PAUSE:
        svc.dispatcher.withdraw(change.patient.id)
    svc.wakeup.poke()
    await tell_patient(context.bot, change)


async def tell_patient(bot: object, change: Change) -> None:
    """One plain message to the patient, in their language (a failed send is logged only)."""
    patient = change.patient
    assert patient is not None
    previous = i18n.current()
    i18n.use(patient.language)
    try:
        text = patient_message(change)
    finally:
        i18n.use(previous)
    try:
        await bot.send_message(patient.chat_id, text)  # type: ignore[attr-defined]
    except TelegramError as error:
        log.info("patient %s not told of a clinic change: %s", patient.id, type(error).__name__)


def patient_message(change: Change) -> str:
    """What the patient reads, in the current language."""
    patient = change.patient
    assert patient is not None
    zone = patient.zone
    action = change.action
    if action is AdminAction.DOSE:
        assert change.from_day is not None
        return words.told_dose(Decimal(change.after), change.before, change.from_day, change.reason)
    if action is AdminAction.TIME:
        return words.told_time(change.after, change.next_reminder, zone)
    if action is AdminAction.ZONE:
        return words.told_zone(change.after, change.next_reminder, zone)
    if action is AdminAction.HOLD:
        return words.told_hold()
    if action is AdminAction.RELEASE:
        return words.told_release()
    if action is AdminAction.PAUSE:
        return words.told_pause()
    return words.told_resume(change.next_reminder, zone)
