"""Telling clinic staff at once when a patient reports something urgent (``care.clinic_alerts``):
each admin gets the alert in their language with a button to the patient's page. An admin who
blocked the bot, or a send that fails, never costs the patient their own answer."""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import TelegramError

from bot import clinic_alert_texts as words
from bot import i18n
from bot.callbacks import AdminPatientButton
from bot.handlers.common import Context, call, send
from care import clinic_alerts
from care.clinic_alerts import AlertReason
from titration.side_effects import Effect

log = logging.getLogger(__name__)


async def tell_clinic(
    context: Context,
    patient_telegram_id: int,
    reasons: tuple[AlertReason, ...],
    now: datetime,
    effects: tuple[Effect, ...] = (),
) -> None:
    """Send the alert for ``reasons`` to every admin (once a day per reason and patient)."""
    if not reasons:
        return
    alert = await call(context, clinic_alerts.to_clinic, patient_telegram_id, reasons, now, effects)
    if alert is None:
        return
    previous = i18n.current()
    try:
        for admin_id, language in alert.admins:
            i18n.use(language)
            text = "\n\n".join(words.alert(alert.alias, r, alert.effects) for r in alert.reasons)
            button = AdminPatientButton(alert.patient_id).pack()
            markup = InlineKeyboardMarkup(
                [[InlineKeyboardButton(words.open_patient(), callback_data=button)]]
            )
            try:
                await send(context, admin_id, text, markup)
            except TelegramError as error:
                log.warning("a clinic alert could not be sent: %s", type(error).__name__)
    finally:
        i18n.use(previous)
