"""Taps on tonight's reminder ([Taken] [Snooze] [Skip]) and on the step-up question; the answer
keeps a small [Undo] (``bot.handlers.corrections``) until the night closes.

The gate has answered every press already (Telegram expires queries within seconds); here each
press is one call into ``care.doses``, which checks it against the presser and the night's state.
"""

from __future__ import annotations

from telegram import Update

from bot import dose_texts as words
from bot import keyboards
from bot.callbacks import DoseButton, StepButton
from bot.handlers import supply as supply_handlers
from bot.handlers.common import Context, call, pressed_button, presser_id, refuse, reply, show
from bot.i18n import mg
from bot.services import services
from care.doses import DoseAnswer, DoseOutcome, StepOutcome, answer_dose, answer_step_offer
from care.people import Refusal


async def dose_button(update: Update, context: Context) -> None:
    """[Taken] / [Snooze 30 min] / [Skip tonight]."""
    pressed = await pressed_button(update, context, DoseButton)
    if pressed is None:
        return
    now = services(context).clock.now()
    result = await call(
        context, answer_dose, presser_id(update), pressed.event_id, pressed.action, now
    )
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    await _render(update, context, result)


async def _render(update: Update, context: Context, result: DoseAnswer) -> None:
    zone = result.patient.zone
    morning = result.patient.morning_time is not None
    if result.outcome is DoseOutcome.SNOOZE_USED:
        await reply(update, context, words.snooze_used(morning=morning))
    elif result.outcome is DoseOutcome.ALREADY:
        answered = result.status in ("taken", "late", "skipped")
        undo = keyboards.undo(result.event_id) if answered else None
        await show(update, context, words.already(result.status, morning=morning), undo)
    elif result.outcome is DoseOutcome.SNOOZED:
        services(context).wakeup.poke()
        buttons = keyboards.dose(result.event_id, snooze=False, morning=morning)
        await show(update, context, words.snoozed(result.at.astimezone(zone)), buttons)
    elif result.outcome is DoseOutcome.SKIPPED:
        undo = keyboards.undo(result.event_id)
        await show(update, context, words.skipped(mg(result.dose_mg), morning=morning), undo)
    else:
        text = words.taken(mg(result.dose_mg), result.at.astimezone(zone), morning=morning)
        await show(update, context, text, keyboards.undo(result.event_id))
        if result.offer is not None:
            offer = result.offer
            text = words.step_offer(
                mg(offer.current_mg), offer.nights_taken, mg(offer.next_mg), morning=morning
            )
            await reply(
                update, context, text, keyboards.step_offer(offer.current_mg, offer.next_mg)
            )
        await supply_handlers.after_dose(update, context, result.supply)


async def step_button(update: Update, context: Context) -> None:
    """[Step up to X] / [Stay at Y] — applies from the next dose not reminded yet."""
    pressed = await pressed_button(update, context, StepButton)
    if pressed is None:
        return
    now = services(context).clock.now()
    result = await call(
        context, answer_step_offer, presser_id(update), pressed.choice, pressed.dose, now
    )
    if isinstance(result, Refusal):
        await refuse(update, context, result)
    elif result.outcome is StepOutcome.STALE:
        await show(update, context, words.step_stale())
    elif result.outcome is StepOutcome.HELD:
        await show(update, context, words.step_held())
    elif result.outcome is StepOutcome.STAYED:
        await show(update, context, words.stayed(mg(result.dose_mg), result.ask_again_in_days))
    else:
        assert result.from_day is not None
        text = words.stepped_up(mg(result.dose_mg), result.from_day, result.maintenance)
        await show(update, context, text)
