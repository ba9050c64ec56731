"""A caregiver's /summary (with a choice of patient when they follow several): the week's chart
with the summary as its caption; and the [Acknowledge] under an alert, which tells the patient
who saw it."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import i18n, summary_texts
from bot.callbacks import CaregiverAction, CaregiverButton
from bot.care_sender import CAPTION_LIMIT
from bot.handlers.common import (
    Context,
    call,
    pressed_button,
    presser_id,
    refuse,
    reply,
    send,
    show_answer,
)
from bot.services import services
from bot.summary_charts import render_now
from care import alerts, summaries
from care.alerts import AckOutcome
from care.people import Refusal
from care.summaries import SummaryAnswer, SummaryOutcome


async def summary_command(update: Update, context: Context) -> None:
    """/summary: the last seven nights of the patient they follow (or a choice of patient)."""
    now = services(context).clock.now()
    answer = await call(context, summaries.summary_now, presser_id(update), None, now)
    await _show_summary(update, context, answer)


async def caregiver_button(update: Update, context: Context) -> None:
    """[Acknowledge] under an alert, or a patient picked under /summary."""
    pressed = await pressed_button(update, context, CaregiverButton)
    if pressed is None:
        return
    now = services(context).clock.now()
    if pressed.action is CaregiverAction.SUMMARY:
        answer = await call(context, summaries.summary_now, presser_id(update), pressed.id, now)
        await _show_summary(update, context, answer)
        return
    result = await call(context, alerts.acknowledge, presser_id(update), pressed.id, now)
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    i18n.use(result.caregiver_language)
    if result.outcome is AckOutcome.ALREADY:
        await reply(update, context, summary_texts.already_acknowledged())
        return
    await show_answer(update, context, summary_texts.acknowledged(result.patient_name))
    i18n.use(result.patient_language)
    told = summary_texts.seen_by(result.caregiver_name, result.kind)
    await send(context, result.patient_chat_id, told)


async def _show_summary(update: Update, context: Context, answer: SummaryAnswer | Refusal) -> None:
    if isinstance(answer, Refusal):
        await refuse(update, context, answer)
        return
    i18n.use(answer.language)
    if answer.outcome is SummaryOutcome.NOBODY:
        await reply(update, context, summary_texts.nobody())
    elif answer.outcome is SummaryOutcome.CHOOSE:
        rows = [
            [
                InlineKeyboardButton(
                    name, callback_data=CaregiverButton(CaregiverAction.SUMMARY, link).pack()
                )
            ]
            for link, name in answer.choices
        ]
        await reply(update, context, summary_texts.choose_patient(), InlineKeyboardMarkup(rows))
    else:
        assert answer.summary is not None and answer.record is not None
        text = summary_texts.summary(answer.patient_name, answer.summary)
        if update.callback_query is not None:
            await show_answer(update, context, escape(answer.patient_name))  # the choice, kept
        png = await render_now(answer.record, answer.summary.scope)
        if png is None or len(text) > CAPTION_LIMIT:
            await reply(update, context, text)
            return
        await context.bot.send_photo(presser_id(update), png, caption=text, filename="summary.png")
