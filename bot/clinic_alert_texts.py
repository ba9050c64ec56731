"""Words of the alerts clinic staff get when a patient reports something urgent
(``care.clinic_alerts``): the patient's alias and what the bot already told them; never the
patient's own words. Every sentence goes through gettext (``bot.i18n``)."""

from __future__ import annotations

from collections.abc import Sequence

from babel.lists import format_list

from bot.checkin_texts import effect_name
from bot.i18n import _, current
from care.clinic_alerts import AlertReason
from titration.side_effects import Effect


def alert(alias: str, reason: AlertReason, effects: Sequence[Effect]) -> str:
    if reason is AlertReason.CRISIS:
        return _(
            "🆘 <b>{alias}</b> wrote something that may mean thoughts of suicide or self-harm. "
            "The bot answered with emergency contacts only. Please reach out to them today."
        ).format(alias=alias)
    if reason is AlertReason.ALLERGY:
        return _(
            "⚠️ <b>{alias}</b> wrote of signs of an allergic reaction and was told to seek "
            "medical care now."
        ).format(alias=alias)
    if reason is AlertReason.LIVER:
        return _(
            "⚠️ <b>{alias}</b> wrote of signs of liver trouble and was told to seek medical "
            "care now."
        ).format(alias=alias)
    if reason is AlertReason.OPIOID:
        return _(
            "⚠️ <b>{alias}</b> says they are taking an opioid now. Their LDN reminders are "
            "paused until they confirm it is safe to go on."
        ).format(alias=alias)
    names = format_list([effect_name(effect) for effect in effects], locale=current())
    return _(
        "⚠️ <b>{alias}</b> rated a side effect severe at today's check-in: {effects}. "
        "They were advised to contact their prescriber."
    ).format(alias=alias, effects=names)


def open_patient() -> str:
    return _("Open their page")
