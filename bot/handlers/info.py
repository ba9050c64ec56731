"""/today, /plan and /help: where the patient stands, in a few short lines."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.ext import ContextTypes

from bot import texts
from bot.services import services
from storage import doses, patients, tasks
from storage.patients import Patient
from titration import plan as plan_rules
from titration.doses import format_mg
from titration.models import DosePeriod

STATUS_WORDS = {
    "pending": "not logged yet",
    "taken": "taken ✅",
    "late": "taken (late) ✅",
    "skipped": "skipped",
    "missed": "missed",
}


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(texts.help_text())


async def _active_patient(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Patient | None:
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    patient = await services(context).store.run(patients.by_telegram_id, update.effective_user.id)
    if patient is None:
        await message.reply_text(texts.NEED_START)
        return None
    if patient.status not in ("active", "paused") or patient.current_dose_mg is None:
        await message.reply_text(texts.NOT_ACTIVE)
        return None
    return patient


async def today(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/today: tonight's dose, when the reminder comes, and whether it is logged."""
    patient = await _active_patient(update, context)
    if patient is None:
        return
    svc = services(context)
    now = svc.clock.now()
    local_day = now.astimezone(patient.zone).date()
    event = await svc.store.run(doses.for_day, patient.id, local_day)
    pending = await svc.store.run(tasks.pending_reminder, patient.id)
    assert patient.current_dose_mg is not None
    lines = []
    if event is not None:
        lines.append(f"Tonight: <b>{format_mg(event.dose_mg)}</b> — {STATUS_WORDS[event.status]}.")
    if patient.status == "paused":
        lines.append("Reminders are paused. Send /resume to turn them back on.")
    elif pending is not None:
        dose = format_mg(patient.current_dose_mg)
        label = "Next reminder" if event is not None else "Tonight"
        lines.append(
            f"{label}: <b>{dose}</b>, reminder {texts.when(pending.due_at, patient.zone)}."
        )
    plan = await svc.store.run(patients.plan_of, patient.id)
    if plan is not None and patient.current_dose_since is not None:
        taken = await svc.store.run(
            doses.nights_taken, patient.id, patient.current_dose_mg, patient.current_dose_since
        )
        left = plan_rules.nights_until_step(plan, patient.current_dose_mg, taken)
        if left is None:
            lines.append("You're on your target dose.")
        else:
            lines.append(f"{taken} of {plan.interval_days} nights taken at this dose.")
    await update.effective_message.reply_text("\n".join(lines))  # type: ignore[union-attr]


def _period_line(period: DosePeriod, place: str) -> str:
    """One calendar line; ``place`` is past, current or ahead."""
    dose, start = format_mg(period.dose_mg), texts.day(period.start)
    if place == "current":
        return f"▶ <b>{dose}</b> since {start} · {period.nights_taken} nights taken"
    if place == "past":
        end = texts.day(period.end) if period.end else start
        return f"✓ {dose} · {start} – {end} · {period.nights_taken} nights taken"
    return f"· {dose} from about {start}"


async def plan_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/plan: the dose calendar so far and the steps ahead."""
    patient = await _active_patient(update, context)
    if patient is None:
        return
    svc = services(context)
    plan = await svc.store.run(patients.plan_of, patient.id)
    changes = await svc.store.run(patients.dose_changes, patient.id)
    if plan is None or not changes:
        await update.effective_message.reply_text(texts.NOT_ACTIVE)  # type: ignore[union-attr]
        return
    history: list[DosePeriod] = []
    for index, (dose, start, _reason) in enumerate(changes):
        end = changes[index + 1][1] - timedelta(days=1) if index + 1 < len(changes) else None
        taken = await svc.store.run(doses.nights_taken, patient.id, dose, start)
        history.append(DosePeriod(dose, start, end, taken))
    today_day = svc.clock.now().astimezone(patient.zone).date()
    periods = plan_rules.calendar(plan, history, today_day)
    lines = [
        texts.plan_summary(
            format_mg(plan.start_mg),
            format_mg(plan.step_mg),
            plan.interval_days,
            format_mg(plan.target_mg),
        ).capitalize()
        + ".",
        "",
    ]
    current = len(history) - 1
    for index, period in enumerate(periods):
        place = "past" if index < current else "current" if index == current else "ahead"
        lines.append(_period_line(period, place))
    if len(periods) > len(history):
        lines += ["", "Dates ahead assume every dose is taken and each step agreed."]
    await update.effective_message.reply_text("\n".join(lines))  # type: ignore[union-attr]
