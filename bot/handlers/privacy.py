"""/export (a copy of everything stored, to the patient's own chat) and /forget (erase it all)."""

from __future__ import annotations

import io
import json

from telegram import Update
from telegram.ext import ContextTypes

from bot import callbacks, keyboards, texts
from bot.handlers.common import audit_patient
from bot.services import services
from storage import patients


async def export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_user is not None and update.effective_message is not None
    svc = services(context)
    patient = await svc.store.run(patients.by_telegram_id, update.effective_user.id)
    if patient is None:
        await update.effective_message.reply_text(texts.NOTHING_STORED)
        return
    data = await svc.store.run(patients.export, patient.id)
    body = json.dumps(data, indent=2, ensure_ascii=False, default=str).encode()
    await context.bot.send_document(
        patient.chat_id,
        io.BytesIO(body),
        filename="ldn-companion-export.json",
        caption=texts.EXPORT_CAPTION,
    )
    await audit_patient(context, patient, "data.exported")


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_user is not None and update.effective_message is not None
    patient = await services(context).store.run(patients.by_telegram_id, update.effective_user.id)
    if patient is None:
        await update.effective_message.reply_text(texts.NOTHING_STORED)
        return
    await update.effective_message.reply_text(texts.FORGET_ASK, reply_markup=keyboards.forget())


async def forget_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The /forget confirmation: erase the presser's own data only."""
    query = update.callback_query
    assert query is not None
    parsed = callbacks.parse(query.data)
    svc = services(context)
    if parsed is None or parsed.action != "yes":
        await query.edit_message_text(texts.FORGET_KEPT)
        return
    patient = await svc.store.run(patients.by_telegram_id, query.from_user.id)
    if patient is None:
        await query.edit_message_text(texts.NOTHING_STORED)
        return
    await svc.store.run(patients.delete, patient.id)
    svc.dispatcher.withdraw(patient.id)
    await audit_patient(context, patient, "data.deleted")
    await query.edit_message_text(texts.FORGOTTEN)
