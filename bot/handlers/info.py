"""/today, /plan and /help: where the patient stands, in a few short lines."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update

from bot import (
    admin_texts,
    care_texts,
    clinic_texts,
    follow_texts,
    i18n,
    keyboards,
    onboarding_texts,
    texts,
)
from bot import form_texts as form_words
from bot import view_texts as words
from bot.clinic_texts import plan_steps_summary
from bot.handlers.common import Context, call, presser_id, refuse, reply
from bot.i18n import mg
from bot.services import services
from care import views
from care.links import roles
from care.people import Refusal
from care.views import Place, PlanView


async def help_command(update: Update, context: Context) -> None:
    """/help: the commands of the person's roles; someone who takes no LDN here reads their own
    role's commands first, then how to start their own tracking."""
    held = await call(context, roles, presser_id(update))
    parts = []
    if held.patient:
        parts.append(texts.help_text(held.caregiver))
    elif held.caregiver:
        parts.append(care_texts.caregiver_help(texts.command_lines(False, True)))
    if held.admin:  # clinic staff also read their own commands (nobody else ever does)
        clinic = (*texts.ADMIN_COMMANDS, *clinic_texts.ADMIN_COMMANDS)
        lines = "\n".join(f"/{c.name} — {i18n._(c.description)}" for c in clinic)
        parts.append(admin_texts.staff_help(lines))
    if not held.patient:
        parts.append(follow_texts.own_tracking_hint() if parts else texts.help_text(held.caregiver))
    text = "\n\n".join(parts)
    await reply(update, context, text)


# A reminder further ahead than this is tomorrow's (tonight's bedtime has passed), not "tonight".
_TONIGHT_AT_MOST = timedelta(hours=20)


async def today(update: Update, context: Context) -> None:
    """/today: tonight's dose, when the reminder comes, and whether it is logged."""
    now = services(context).clock.now()
    view = await call(context, views.today, presser_id(update), now)
    if isinstance(view, Refusal):
        await refuse(update, context, view)
        return
    lines = []
    if view.tonight is not None:
        tonight = view.tonight
        lines.append(words.tonight(mg(tonight.dose_mg), tonight.status, morning=view.morning))
    if view.paused:
        lines.append(words.paused())
    elif view.next_reminder is not None:
        lines.append(
            words.next_reminder(
                mg(view.dose_mg),
                view.next_reminder,
                view.zone,
                tonight_known=view.tonight is not None
                or view.next_reminder - now > _TONIGHT_AT_MOST,
                morning=view.morning,
            )
        )
    if view.mg_per_ml is not None:
        lines.append(form_words.liquid_dose(view.dose_mg, view.mg_per_ml))
    if view.at_target:
        lines.append(words.at_target())
    elif view.nights_taken is not None and view.interval_days is not None:
        lines.append(words.nights_at_dose(view.nights_taken, view.interval_days))
    await reply(update, context, "\n".join(lines), keyboards.correct_a_night())


async def plan_command(update: Update, context: Context) -> None:
    """/plan: the dose calendar so far and the steps ahead."""
    now = services(context).clock.now()
    view = await call(context, views.plan, presser_id(update), now)
    if isinstance(view, Refusal):
        await refuse(update, context, view)
        return
    await reply(update, context, "\n".join(calendar_lines(view)))


def calendar_lines(view: PlanView, *, staff: bool = False) -> list[str]:
    """The plan and its calendar, one line a period (/plan, and with ``staff`` the clinic's
    patient page, which speaks of the patient rather than to them)."""
    plan = view.plan
    if staff:
        summary = admin_texts.staff_plan(onboarding_texts.plan_summary(plan))
    elif plan.stepwise:
        summary = plan_steps_summary(plan)
    else:
        summary = words.plan_summary(
            mg(plan.start_mg), mg(plan.step_mg), plan.interval_days, mg(plan.target_mg)
        )
    lines = [summary, ""]
    if view.morning:
        lines[1:1] = [words.taken_in_the_morning()]
    for place, period in view.periods:
        if place is Place.CURRENT:
            lines.append(
                words.period_current(mg(period.dose_mg), period.start, period.nights_taken)
            )
            if view.mg_per_ml is not None:
                lines.append(form_words.liquid_dose(period.dose_mg, view.mg_per_ml))
        elif place is Place.PAST:
            end = period.end or period.start
            lines.append(
                words.period_past(mg(period.dose_mg), period.start, end, period.nights_taken)
            )
        else:
            lines.append(words.period_ahead(mg(period.dose_mg), period.start))
    if any(place is Place.AHEAD for place, _period in view.periods):
        lines += ["", admin_texts.staff_dates_ahead() if staff else words.dates_ahead()]
    return lines
