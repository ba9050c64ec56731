"""Morning check-ins (side effects, then severity one at a time) and weekly benefit ratings.

Each press or typed answer is one call into ``care.checkins`` / ``care.benefits``, which checks
it against the presser and the check-in's or rating's state; here it is only put into words.
"""

from __future__ import annotations

from telegram import Update

from bot import checkin_texts as words
from bot import free_text_texts as free_words
from bot.callbacks import BenefitAction, BenefitButton, EffectButton, SeverityButton
from bot.checkin_keyboards import (
    baseline_keyboard,
    measure_keyboard,
    question_keyboard,
    severity_keyboard,
)
from bot.handlers.clinic_alerts import tell_clinic
from bot.handlers.common import (
    Context,
    call,
    pressed_button,
    presser_id,
    refuse,
    reply,
    send,
    show,
    show_answer,
)
from bot.services import services
from care import benefits, checkins
from care.benefits import Ask, RatingOutcome, RatingStep
from care.checkins import MAX_OTHER, Finished, Next, Progress
from care.clinic_alerts import AlertReason
from care.people import Refusal
from titration.benefits import Measure
from titration.side_effects import Effect

MEASURES = frozenset(m.value for m in Measure)

# The check-in ----------------------------------------------------------------------------------


async def checkin_command(update: Update, context: Context) -> None:
    """/checkin: tell me about today now (a second answer the same morning replaces the first)."""
    await open_checkin(update, context)


async def open_checkin(
    update: Update, context: Context, mentioned: tuple[Effect, ...] = ()
) -> None:
    """Today's check-in question; ``mentioned``: effects the patient wrote about unprompted,
    ticked already (``bot.handlers.free_text``)."""
    now = services(context).clock.now()
    result = await call(context, checkins.open_checkin, presser_id(update), now, mentioned)
    if result is Refusal.NOT_ACTIVE:
        await reply(update, context, words.not_active())
    elif isinstance(result, Refusal):
        await refuse(update, context, result)
    elif result.outcome is Next.NOTHING_YET:
        told = free_words.effects_before_first_dose() if mentioned else words.nothing_yet()
        await reply(update, context, told)
    else:
        asked = free_words.effects_ticked(result.selected) if mentioned else words.question()
        await reply(update, context, asked, question_keyboard(result.checkin_id, result.selected))


async def effect_button(update: Update, context: Context) -> None:
    """A tap on the check-in question: tick an effect, [None of these] or [Done]."""
    pressed = await pressed_button(update, context, EffectButton)
    if pressed is None:
        return
    now = services(context).clock.now()
    result = await call(
        context, checkins.tap, presser_id(update), pressed.checkin_id, pressed.choice, now
    )
    if isinstance(result, Refusal):
        await refuse(update, context, result)
    elif result.outcome is Next.QUESTION:
        markup = question_keyboard(result.checkin_id, result.selected)
        await show(update, context, words.question(), markup)
    else:
        if result.outcome is not Next.CLOSED:
            await show_answer(update, context, words.chosen(result.selected))
        await _go_on(update, context, result)


async def severity_button(update: Update, context: Context) -> None:
    """[Mild] / [Moderate] / [Severe] for one ticked effect."""
    pressed = await pressed_button(update, context, SeverityButton)
    if pressed is None:
        return
    now = services(context).clock.now()
    result = await call(
        context,
        checkins.rate_severity,
        presser_id(update),
        pressed.checkin_id,
        pressed.effect,
        pressed.level,
        now,
    )
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    if result.level is not None:
        await show_answer(update, context, words.severity_label(result.level))
    await _go_on(update, context, result)


async def other_answer(update: Update, context: Context) -> None:
    """The typed words for "something else" (only while that question is open)."""
    assert update.effective_message is not None and update.effective_message.text is not None
    now = services(context).clock.now()
    text = update.effective_message.text
    result = await call(context, checkins.other_words, presser_id(update), text, now)
    if isinstance(result, Refusal):
        await refuse(update, context, result)
    elif result.outcome is Next.TOO_LONG:
        await reply(update, context, words.other_too_long(MAX_OTHER))
    else:
        await _go_on(update, context, result)


async def _go_on(update: Update, context: Context, result: Progress) -> None:
    """Ask what comes next, or say what follows from the finished answer."""
    if result.outcome is Next.CLOSED:
        await reply(update, context, words.closed())
    elif result.outcome is Next.OTHER:
        await reply(update, context, words.ask_other(MAX_OTHER))
    elif result.outcome is Next.SEVERITY:
        assert result.asked is not None
        markup = severity_keyboard(result.checkin_id, result.asked)
        await reply(update, context, words.how_bad(result.asked), markup)
    elif result.outcome is Next.FINISHED:
        assert result.finished is not None
        await _finished(update, context, result.finished)


async def _finished(update: Update, context: Context, finished: Finished) -> None:
    await reply(update, context, words.thanks() if finished.effects else words.thanks_none())
    if finished.severe:
        await reply(update, context, words.severe_advice(finished.severe))
        now = services(context).clock.now()
        severe = (AlertReason.SEVERE,)
        await tell_clinic(context, presser_id(update), severe, now, finished.severe)
    for effect, kind in finished.suggestions:
        await reply(update, context, words.suggestion(effect, kind))
    if finished.benefits is not None:
        await reply(update, context, words.weekly_intro())
        await _ask(update, context, finished.benefits)


# Benefit ratings -------------------------------------------------------------------------------


async def send_baseline_offer(context: Context, chat_id: int, rating_id: int) -> None:
    """After onboarding (``care.benefits.offer_baseline`` gave ``rating_id``): offer to rate how
    things are before the first dose."""
    await send(context, chat_id, words.baseline_offer(), baseline_keyboard(rating_id))


async def _ask(update: Update, context: Context, ask: Ask) -> None:
    markup = measure_keyboard(ask.rating_id, ask.measure)
    await reply(update, context, words.measure_question(ask.measure), markup)


async def benefit_button(update: Update, context: Context) -> None:
    """The baseline offer's [Yes, rate now] / [Later], and the 0–10 taps."""
    pressed = await pressed_button(update, context, BenefitButton)
    if pressed is None:
        return
    now = services(context).clock.now()
    telegram_id = presser_id(update)
    result: RatingStep | Refusal
    if pressed.action is BenefitAction.START and pressed.score is None:
        result = await call(context, benefits.start, telegram_id, pressed.rating_id, now)
    elif pressed.action is BenefitAction.LATER and pressed.score is None:
        result = await call(context, benefits.later, telegram_id, pressed.rating_id, now)
    elif pressed.action.value in MEASURES and pressed.score is not None:
        measure = Measure(pressed.action.value)
        result = await call(
            context, benefits.rate, telegram_id, pressed.rating_id, measure, pressed.score, now
        )
    else:
        result = Refusal.STALE
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    if result.outcome is RatingOutcome.ANSWERED:
        await show(update, context, words.rating_answered())
        return
    if result.outcome is RatingOutcome.LATER:
        await show(update, context, words.baseline_later_ok())
        return
    if pressed.action is BenefitAction.START:
        await show_answer(update, context, words.baseline_yes())
    else:
        await show_answer(update, context, str(pressed.score))
    if result.outcome is RatingOutcome.ASK:
        assert result.ask is not None
        await _ask(update, context, result.ask)
    elif result.outcome is RatingOutcome.BASELINE_DONE:
        await reply(update, context, words.thanks())
    else:
        assert result.summary is not None
        summary = result.summary
        await reply(update, context, words.benefits_done(summary.week, summary.changes))
