"""Taps on tonight's reminder ([Taken] [Snooze] [Skip]) and on the step-up question.

The gate has answered every press already (Telegram expires queries within seconds); here it is
checked against the presser: the dose event must belong to them and still be open. Stale or
forged presses change nothing and get a polite word.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from telegram import CallbackQuery, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot import callbacks, keyboards, texts
from bot.handlers.common import owned_by_presser
from bot.services import services
from scheduler import due
from storage import doses, patients, tasks
from storage.doses import DoseEvent
from storage.patients import Patient
from titration import plan as plan_rules
from titration.doses import format_mg
from titration.reminders import SNOOZE_FOR, TaskKind, answered_status


def _on_pressed_message(query: CallbackQuery) -> bool:
    """True when the pressed message really carries this button (not forged or replayed)."""
    message = query.message
    markup = getattr(message, "reply_markup", None)
    if markup is None:
        return False
    return any(b.callback_data == query.data for row in markup.inline_keyboard for b in row)


async def _edit(update: Update, text: str, *, event_id: int | None = None) -> None:
    """Replace the pressed message's text; keep [Taken]/[Skip] when ``event_id`` is given.

    A press whose data is not on the message (forged) gets a new message instead, so it
    cannot change what the real buttons say."""
    query = update.callback_query
    assert query is not None
    markup = keyboards.dose(event_id, snooze=False) if event_id is not None else None
    if not _on_pressed_message(query):
        await query.get_bot().send_message(query.from_user.id, text, reply_markup=markup)
        return
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        if "not modified" in error.message.lower():
            return
        assert query.message is not None
        await query.get_bot().send_message(query.message.chat.id, text, reply_markup=markup)


async def dose_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """[Taken] / [Snooze 30 min] / [Skip tonight]."""
    query = update.callback_query
    assert query is not None
    parsed = callbacks.parse(query.data)
    if parsed is None or parsed.action not in ("taken", "snooze", "skip"):
        await context.bot.send_message(query.from_user.id, texts.FORGED_BUTTON)
        return
    owned = await owned_by_presser(update, context, doses.by_id, parsed.arg_int)
    if owned is None:
        return
    patient, event = owned
    svc = services(context)
    now = svc.clock.now()
    local_now = now.astimezone(patient.zone).strftime("%H:%M")
    dose = format_mg(event.dose_mg)
    if parsed.action == "snooze":
        await _snooze(update, context, patient, event)
        return
    status = answered_status(event.scheduled_at, now) if parsed.action == "taken" else "skipped"
    if not await svc.store.run(doses.answer, event.id, status, now):
        current = await svc.store.run(doses.by_id, event.id)
        await _edit(update, texts.ALREADY.get(current.status if current else "missed", ""))
        return
    if parsed.action == "skip":
        await _edit(update, texts.skipped(dose))
        return
    await _edit(update, texts.taken(dose, local_now))
    await _maybe_offer_step(context, patient)


async def _snooze(
    update: Update, context: ContextTypes.DEFAULT_TYPE, patient: Patient, event: DoseEvent
) -> None:
    svc = services(context)
    if not event.open:
        await _edit(update, texts.ALREADY.get(event.status, ""))
        return
    earlier = await svc.store.run(tasks.find, patient.id, event.dose_day, TaskKind.SNOOZE)
    if earlier is not None and earlier.state not in ("pending", "cancelled"):
        await context.bot.send_message(patient.chat_id, texts.SNOOZE_USED)
        return
    again = svc.clock.now() + SNOOZE_FOR
    await svc.store.run(tasks.schedule, patient.id, TaskKind.SNOOZE, event.dose_day, again)
    svc.wakeup.poke()
    shown = again.astimezone(patient.zone).strftime("%H:%M")
    await _edit(update, texts.snoozed(shown), event_id=event.id)


async def _maybe_offer_step(context: ContextTypes.DEFAULT_TYPE, patient: Patient) -> None:
    """After a taken dose: propose the plan's next step if it has fallen due."""
    svc = services(context)
    offer = await svc.store.run(due.offer_step_if_due, patient.id, svc.clock.now())
    if offer is None:
        return
    await context.bot.send_message(
        offer.chat_id,
        texts.step_offer(format_mg(offer.current_mg), offer.nights_taken, format_mg(offer.next_mg)),
        reply_markup=keyboards.step_offer(offer.current_mg, offer.next_mg),
    )


def _dose_arg(arg: str) -> Decimal | None:
    try:
        return Decimal(arg)
    except InvalidOperation:
        return None


async def step_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """[Step up to X] / [Stay at Y] — applies from the next dose that has not been reminded yet."""
    query = update.callback_query
    assert query is not None
    parsed = callbacks.parse(query.data)
    value = _dose_arg(parsed.arg) if parsed else None
    if parsed is None or value is None or parsed.action not in ("up", "stay"):
        await context.bot.send_message(query.from_user.id, texts.FORGED_BUTTON)
        return
    svc = services(context)
    now = svc.clock.now()
    patient = await svc.store.run(patients.by_telegram_id, query.from_user.id)
    plan = await svc.store.run(patients.plan_of, patient.id) if patient else None
    since = patient.current_dose_since if patient else None
    if patient is None or plan is None or patient.current_dose_mg is None or since is None:
        await context.bot.send_message(query.from_user.id, texts.NOT_YOURS)
        return
    current = patient.current_dose_mg
    following = plan_rules.next_dose(plan, current)
    expected = following if parsed.action == "up" else current
    if patient.step_offer != "offered" or value != expected:
        await _edit(update, texts.STEP_STALE)
        return
    if parsed.action == "stay":
        taken = await svc.store.run(doses.nights_taken, patient.id, current, since)
        wait = min(7, plan.interval_days)
        await svc.store.run(
            patients.update, patient.id, now, step_offer="held", step_offer_after=taken + wait
        )
        await _edit(update, texts.stayed(format_mg(current), wait))
        return
    assert following is not None
    pending = await svc.store.run(tasks.pending_reminder, patient.id)
    if pending is not None:
        from_day = pending.dose_day
    else:
        last = await svc.store.run(tasks.last_fired_reminder_day, patient.id)
        from_day = (last or now.astimezone(patient.zone).date()) + timedelta(days=1)
    await svc.store.run(patients.change_dose, patient.id, following, from_day, "step_up", now)
    await _edit(
        update,
        texts.stepped_up(format_mg(following), texts.day(from_day), following >= plan.target_mg),
    )
