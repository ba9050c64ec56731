"""/settings (bedtime, time zone), /pause and /resume."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot import callbacks, keyboards, texts
from bot.handlers import steps
from bot.handlers.common import audit_patient
from bot.services import services
from scheduler import due
from storage import patients
from storage.patients import Patient


async def _patient(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Patient | None:
    assert update.effective_user is not None
    patient = await services(context).store.run(patients.by_telegram_id, update.effective_user.id)
    if patient is None or patient.status not in ("active", "paused"):
        await context.bot.send_message(update.effective_user.id, texts.NOT_ACTIVE)
        return None
    return patient


_STEPS = {
    "bedtime": steps.SETTINGS_BEDTIME,
    "zone": steps.SETTINGS_ZONE,
    "checkin": steps.SETTINGS_CHECKIN,
}


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if await _patient(update, context) is not None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(texts.SETTINGS, reply_markup=keyboards.settings())


async def settings_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """[Bedtime] / [Time zone]: wait for the new value (typed, tapped or shared)."""
    query = update.callback_query
    assert query is not None
    parsed = callbacks.parse(query.data)
    if parsed is None or parsed.action not in _STEPS:
        await context.bot.send_message(query.from_user.id, texts.FORGED_BUTTON)
        return
    patient = await _patient(update, context)
    if patient is None:
        return
    step = _STEPS[parsed.action]
    svc = services(context)
    patient = await svc.store.run(
        patients.update, patient.id, svc.clock.now(), onboarding_step=step
    )
    await steps.ask(context, patient, step)


async def pause(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    patient = await _patient(update, context)
    if patient is None:
        return
    assert update.effective_message is not None
    if patient.status == "paused":
        await update.effective_message.reply_text(texts.ALREADY_PAUSED)
        return
    svc = services(context)
    await svc.store.run(due.pause_reminders, patient.id, svc.clock.now())
    svc.dispatcher.withdraw(patient.id)
    await audit_patient(context, patient, "reminders.paused")
    await update.effective_message.reply_text(texts.PAUSED)


async def resume(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    patient = await _patient(update, context)
    if patient is None:
        return
    assert update.effective_message is not None
    svc = services(context)
    was_paused = patient.status == "paused"
    due_at = await svc.store.run(due.resume_reminders, patient.id, svc.clock.now())
    svc.wakeup.poke()
    when = texts.when(due_at, patient.zone)
    if was_paused:
        await audit_patient(context, patient, "reminders.resumed")
        await update.effective_message.reply_text(texts.RESUMED.format(when=when))
    else:
        await update.effective_message.reply_text(texts.NOT_PAUSED.format(when=when))
