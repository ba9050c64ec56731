"""Text nobody asked for: answered by what it is about (``titration.free_text``), not with the
whole command list. A side effect opens today's check-in with it ticked; a dose question goes to
the prescriber; a missed dose gets "don't double up". Urgent signs were answered before this by
the safety scan, and such a message gets nothing more here.
"""

from __future__ import annotations

from telegram import Update

from bot import admin_texts, care_texts, keyboards, texts
from bot import free_text_texts as words
from bot.handlers import checkins
from bot.handlers.common import Context, call, presser_id, reply, typed_text
from bot.i18n import mg
from bot.services import services
from care.doses import open_dose
from care.links import roles
from titration.free_text import Topic, Understood, understand
from titration.urgent import urgent_signs


async def not_awaited(update: Update, context: Context) -> None:
    """A patient's unprompted text, answered by its topic; a caregiver gets their /help, clinic
    staff a pointer to /admin and a stranger "send /start"."""
    text = await typed_text(update, context)
    if text is None or urgent_signs(text):
        return
    held = await call(context, roles, presser_id(update))
    if held.patient:
        await _answer(update, context, understand(text))
    elif held.caregiver:
        await reply(update, context, care_texts.caregiver_help(texts.command_lines(False, True)))
    elif held.admin:
        await reply(update, context, admin_texts.staff_hello())
    else:
        await reply(update, context, texts.need_start())


async def _answer(update: Update, context: Context, understood: Understood) -> None:
    topic = understood.topic
    if topic is Topic.SIDE_EFFECT:
        await checkins.open_checkin(update, context, understood.effects)
    elif topic is Topic.DOSE_CHANGE:
        await reply(update, context, words.dose_change())
    elif topic is Topic.MISSED_DOSE:
        await reply(update, context, words.missed_dose(), keyboards.correct_a_night())
    elif topic is Topic.TOOK_DOSE:
        await _took_dose(update, context)
    elif topic is Topic.A_TIME:
        await reply(update, context, words.a_time())
    elif topic is Topic.THANKS:
        await reply(update, context, words.thanks())
    elif topic is Topic.GREETING:
        await reply(update, context, words.greeting())
    else:
        await reply(update, context, words.not_understood())


async def _took_dose(update: Update, context: Context) -> None:
    """ "I took it": the open dose gets its [Taken] right here (the reminder's own handler logs
    it, so a late tap is counted late as on the reminder); otherwise where to log a dose."""
    now = services(context).clock.now()
    found = await call(context, open_dose, presser_id(update), now)
    if found is None:
        await reply(update, context, words.took_dose(), keyboards.correct_a_night())
        return
    text = words.log_open_dose(mg(found.dose_mg), morning=found.morning)
    await reply(update, context, text, keyboards.log_taken(found.event_id))
