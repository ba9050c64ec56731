"""/supply: what is on hand, its buttons (start, a refill, correct the count, stop) and the typed
amount that follows. Each press or answer is one call into ``care.supply``; here it is rendered.
The notices after a dose are sent by the dose and correction handlers (``after_dose``).
"""

from __future__ import annotations

from telegram import Update

from bot import keyboards
from bot import supply_texts as words
from bot.callbacks import SupplyButton
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
from bot.services import services
from care import supply
from care.people import Refusal
from care.supply import SupplyAction, SupplyNote, SupplyOutcome, SupplyStep, SupplyView


async def supply_command(update: Update, context: Context) -> None:
    """/supply: on hand, about how many days, and what can be done."""
    now = services(context).clock.now()
    found = await call(context, supply.view, presser_id(update), now)
    if isinstance(found, Refusal):
        await refuse(update, context, found)
        return
    await reply(update, context, _text(found), keyboards.supply(found))


async def supply_button(update: Update, context: Context) -> None:
    """[Start counting] / [I got a new pack] / [Correct the count] / [Stop counting]."""
    pressed = await pressed_button(update, context, SupplyButton)
    if pressed is None:
        return
    now = services(context).clock.now()
    who = presser_id(update)
    if pressed.action is SupplyAction.STOP:
        if pressed.supply_id is None:
            await refuse(update, context, Refusal.STALE)
            return
        stopped = await call(context, supply.stop_tracking, who, pressed.supply_id, now)
        if isinstance(stopped, Refusal):
            await refuse(update, context, stopped)
        else:
            await show(update, context, words.stopped())
        return
    asked = await call(context, supply.open_question, who, pressed.action, pressed.supply_id, now)
    if isinstance(asked, Refusal):
        await refuse(update, context, asked)
        return
    question = words.ask_refill if asked.step is SupplyStep.REFILL else words.ask_count
    await reply(update, context, question(asked.unit))


async def typed_amount(update: Update, context: Context) -> None:
    """The amount typed at the open /supply question."""
    text = await typed_text(update, context)
    if text is None:
        return
    now = services(context).clock.now()
    result = await call(context, supply.answer_amount, presser_id(update), text, now)
    if isinstance(result, Refusal):
        await refuse(update, context, result)
    elif result.outcome is SupplyOutcome.RETRY and result.problem is not None:
        await reply(update, context, words.problem(result.problem, result.unit))
    elif result.outcome is SupplyOutcome.SAVED and result.view is not None:
        await reply(update, context, words.saved(result.view), keyboards.supply(result.view))
    else:
        await reply(update, context, words.not_now())


async def after_dose(update: Update, context: Context, note: SupplyNote | None) -> None:
    """The supply notice a counted dose calls for, as its own message after the answer."""
    if note is not None:
        await reply(update, context, words.notice(note))


def _text(view: SupplyView) -> str:
    return words.not_tracked(view.unit) if view.supply is None else words.shown(view)
