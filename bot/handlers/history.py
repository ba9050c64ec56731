"""/history: a chart of the last 30 days (buttons for 90 days and since the start) with a
two-line summary under it, then the text as before: side effects per dose ("At 1 mg: trouble
sleeping on 4 (of 7 check-ins).") and how the benefit ratings have changed.

The chart is drawn off the event loop (``bot.charts.render_off_loop``); a period button names the
patient it was made for, and ``care.views.history_chart`` refuses it for anyone else.
"""

from __future__ import annotations

import logging

from telegram import Update

from bot import checkin_texts, history_texts, keyboards, view_texts
from bot.callbacks import HistoryButton
from bot.chart_texts import chart_labels
from bot.charts import ChartJob, render_off_loop
from bot.handlers.common import (
    Context,
    call,
    pressed_button,
    presser_id,
    refuse,
    reply,
    send_photo,
    show_photo,
)
from bot.i18n import mg
from bot.services import services
from care import views
from care.people import Refusal
from care.views import HistoryChart, HistoryPeriod, HistoryView

log = logging.getLogger(__name__)


async def history_command(update: Update, context: Context) -> None:
    """/history: the 30-day chart and its summary, then the side effects per dose as text."""
    now = services(context).clock.now()
    chart = await call(context, views.history_chart, presser_id(update), HistoryPeriod.MONTH, now)
    if isinstance(chart, Refusal):
        await refuse(update, context, chart)
        return
    await _send_chart(update, context, chart)
    await reply(update, context, details(chart.details), keyboards.correct_a_night())


async def history_button(update: Update, context: Context) -> None:
    """[90 days] / [Since the start] / [30 days] under a chart: the chart changes to that period."""
    pressed = await pressed_button(update, context, HistoryButton)
    if pressed is None:
        return
    now = services(context).clock.now()
    chart = await call(
        context, views.history_chart, presser_id(update), pressed.period, now, pressed.patient_id
    )
    if isinstance(chart, Refusal):
        await refuse(update, context, chart)
        return
    await _send_chart(update, context, chart, replace=True)


async def _send_chart(
    update: Update, context: Context, chart: HistoryChart, *, replace: bool = False
) -> None:
    """The chart with its summary: a new photo, or (``replace``) the pressed one changed."""
    caption = history_texts.summary(chart)
    markup = keyboards.history(chart.patient_id, chart.period)
    try:
        png = await render_off_loop(ChartJob(chart.record, chart_labels()))
    except Exception:  # a drawing bug must not cost the patient the figures: send them as text
        log.exception("history chart failed to render (patient %s)", chart.patient_id)
        await reply(update, context, caption, markup)
        return
    if replace:
        await show_photo(update, context, png, caption, markup)
    else:
        await send_photo(context, presser_id(update), png, caption, markup)


def details(view: HistoryView) -> str:
    """The text /history: side effects per dose over the 30 days of the first chart; benefits."""
    lines = [view_texts.last_days(view.days)]
    for group in view.by_dose:
        lines.append(view_texts.history_line(mg(group.dose_mg), group.checkins, group.effects))
    if not view.by_dose:
        lines.append(view_texts.no_checkins())
    if view.benefits is not None:
        summary = checkin_texts.benefits_summary(view.benefits.week, view.benefits.changes)
        lines += ["", summary]
    return "\n".join(lines)
