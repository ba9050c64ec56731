"""Words of /settings (bedtime, time zone, check-in time, language), /pause and /resume.

The zone and bedtime questions are onboarding's own (``bot.onboarding_texts``): the same
question, asked again. Every sentence goes through gettext (``bot.i18n``).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import _, when


def menu() -> str:
    return _("What would you like to change?")


def bedtime_button() -> str:
    return _("🕙 Bedtime")


def zone_button() -> str:
    return _("🌍 Time zone")


def checkin_button() -> str:
    return _("☀️ Check-in time")


def language_button() -> str:
    return _("🗣 Language")


def ask_checkin_time() -> str:
    return _("What time should I ask how last night was? Tap one or type a time like 08:30.")


def ask_language() -> str:
    return _("Which language should I write in?")


def saved(next_reminder: datetime, zone: ZoneInfo) -> str:
    return _("Saved. Next reminder: {when} ({zone}).").format(
        when=when(next_reminder, zone), zone=zone.key
    )


def saved_while_paused() -> str:
    return _("Saved. Your reminders are paused: send /resume when you want them back.")


def language_saved() -> str:
    """Said in the language just chosen: each translation names its own language."""
    return _("Done — from now on I'll write to you in English.")


def paused() -> str:
    return (
        _("Paused — no reminders until you send /resume.")
        + "\n"
        + _("If you're stopping LDN, please let your prescriber know.")
    )


def already_paused() -> str:
    return _("Reminders are already paused. Send /resume to turn them back on.")


def resumed(next_reminder: datetime, zone: ZoneInfo) -> str:
    return _("Reminders are back on. Next one: {when}.").format(when=when(next_reminder, zone))


def not_paused(next_reminder: datetime, zone: ZoneInfo) -> str:
    return _("Reminders are already on. Next one: {when}.").format(when=when(next_reminder, zone))
