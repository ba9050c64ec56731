"""Correcting a tap: [Undo] under tonight's answer, and [Correct a dose] from /today and
/history (the last 7 nights → one night → [I took it] / [I didn't take it]).

Each press is one call into ``care.corrections``, which checks the night against the presser.
"""

from __future__ import annotations

from telegram import Update

from bot import correction_texts as words
from bot import dose_texts, keyboards
from bot.callbacks import FixButton, FixStep, UndoButton
from bot.handlers import supply as supply_handlers
from bot.handlers.common import Context, call, pressed_button, presser_id, refuse, reply, show
from bot.i18n import day, mg
from bot.services import services
from care import corrections
from care.corrections import Correction, CorrectionOutcome, NightChoice, UndoOutcome
from care.people import Refusal
from titration.corrections import Verdict

VERDICTS = {
    Verdict.TOO_OLD: words.too_old,
    Verdict.FUTURE: words.future,
    Verdict.OPEN: words.still_open,
}


async def undo_button(update: Update, context: Context) -> None:
    """[Undo] under "taken" / "skipped": the night open again, its buttons back."""
    pressed = await pressed_button(update, context, UndoButton)
    if pressed is None:
        return
    now = services(context).clock.now()
    result = await call(context, corrections.undo_answer, presser_id(update), pressed.event_id, now)
    if isinstance(result, Refusal):
        await refuse(update, context, result)
    elif result.outcome is UndoOutcome.CLOSED:
        await reply(update, context, words.undo_closed())
    else:
        services(context).wakeup.poke()  # a nudge may be armed again
        morning = result.morning
        buttons = keyboards.dose(result.event_id, snooze=result.snooze_left, morning=morning)
        await show(update, context, words.reopened(mg(result.dose_mg), morning=morning), buttons)


async def fix_button(update: Update, context: Context) -> None:
    """[Correct a dose] → the nights → one night's [I took it] / [I didn't take it]."""
    pressed = await pressed_button(update, context, FixButton)
    if pressed is None:
        return
    now = services(context).clock.now()
    who = presser_id(update)
    if pressed.step is FixStep.LIST:
        found = await call(context, corrections.correctable_nights, who, now)
        if isinstance(found, Refusal):
            await refuse(update, context, found)
        elif not found.nights:
            await reply(update, context, words.no_nights())
        else:
            await reply(
                update, context, words.pick_night(), keyboards.nights_to_correct(found.nights)
            )
        return
    if pressed.event_id is None:
        await refuse(update, context, Refusal.STALE)
        return
    if pressed.step is FixStep.PICK:
        night = await call(context, corrections.night_to_correct, who, pressed.event_id, now)
        if isinstance(night, Refusal):
            await refuse(update, context, night)
        elif isinstance(night, Verdict):
            await show(update, context, VERDICTS[night]())
        else:
            text = words.ask(day(night.day), mg(night.dose_mg), night.status)
            await show(update, context, text, keyboards.correct_night(night.event_id))
        return
    if pressed.choice is None:
        await refuse(update, context, Refusal.STALE)
        return
    result = await call(
        context, corrections.correct_night, who, pressed.event_id, pressed.choice, now
    )
    if isinstance(result, Refusal):
        await refuse(update, context, result)
    elif isinstance(result, Verdict):
        await show(update, context, VERDICTS[result]())
    else:
        await _render_correction(update, context, result, pressed.choice)


async def _render_correction(
    update: Update, context: Context, result: Correction, choice: NightChoice
) -> None:
    if result.outcome is CorrectionOutcome.UNCHANGED:
        await show(update, context, words.unchanged(day(result.day), result.status))
        return
    await show(update, context, words.corrected(day(result.day), choice is NightChoice.TAKEN))
    if result.offer is not None:
        offer = result.offer
        text = dose_texts.step_offer(
            mg(offer.current_mg), offer.nights_taken, mg(offer.next_mg), morning=result.morning
        )
        await reply(update, context, text, keyboards.step_offer(offer.current_mg, offer.next_mg))
    await supply_handlers.after_dose(update, context, result.supply)
