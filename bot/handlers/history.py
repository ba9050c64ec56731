"""/history: side effects per dose ("At 1 mg: trouble sleeping on 4 (of 7 check-ins).") and how
the benefit ratings have changed."""

from __future__ import annotations

from telegram import Update

from bot import checkin_texts, view_texts
from bot.handlers.common import Context, call, presser_id, refuse, reply
from bot.i18n import mg
from bot.services import services
from care import views
from care.people import Refusal


async def history_command(update: Update, context: Context) -> None:
    now = services(context).clock.now()
    view = await call(context, views.history, presser_id(update), now)
    if isinstance(view, Refusal):
        await refuse(update, context, view)
        return
    lines = [view_texts.last_days(view.days)]
    for group in view.by_dose:
        lines.append(view_texts.history_line(mg(group.dose_mg), group.checkins, group.effects))
    if not view.by_dose:
        lines.append(view_texts.no_checkins())
    if view.benefits is not None:
        summary = checkin_texts.benefits_summary(view.benefits.week, view.benefits.changes)
        lines += ["", summary]
    await reply(update, context, "\n".join(lines))
