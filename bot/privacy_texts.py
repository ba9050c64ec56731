"""Words of /export (the message, and the notes inside the exported file) and /forget.

Every sentence goes through gettext (``bot.i18n``); the exported file's keys are the stored
table and column names, its notes are in the patient's language.
"""

from __future__ import annotations

from bot.i18n import N_, _


def export_caption() -> str:
    return _("Here is everything I store about you.")


def nothing_stored() -> str:
    return _("I don't have any data about you.")


def forget_ask() -> str:
    return _(
        "This deletes everything I store about you: your plan, doses, check-ins, ratings and "
        "settings, and the record of what you did here. It can't be undone. Delete now?"
    )


def forget_yes() -> str:
    return _("Delete everything")


def forget_no() -> str:
    return _("Keep my data")


def forgotten() -> str:
    return _("Done — everything is deleted. Send /start if you ever want to begin again.")


def kept() -> str:
    return _("OK, nothing deleted.")


# Inside the exported file ---------------------------------------------------------------------


def export_what(made_at: str) -> str:
    return _("Everything LDN Companion stores about you, as of {time}.").format(time=made_at)


def export_times(zone: str) -> str:
    return _(
        "Times are in your time zone, {zone}, written as ISO 8601 with the difference from UTC "
        "(for example 2026-11-28T22:00:00+01:00 is 22:00 at UTC+1). Days (YYYY-MM-DD) and "
        "clock times (HH:MM) are as you set them."
    ).format(zone=zone)


LEFT_OUT = {
    "consent_fingerprint": N_(
        "Left out: a fingerprint of the consent text you agreed to. It only proves which text "
        "that was; consent_version names it."
    ),
    "invite_fingerprint": N_(
        "Left out: a fingerprint of each invitation link. The links themselves are never stored."
    ),
}


def left_out(reason: str) -> str:
    return _(LEFT_OUT[reason]) if reason in LEFT_OUT else reason


TABLES = {
    "patients": N_("You: your settings, your consent and where you are in your plan."),
    "plans": N_("Your dose plan: start, step, days at each dose, target."),
    "dose_changes": N_("Each change of your dose and the day it began."),
    "dose_events": N_("Each night's dose and whether you took it."),
    "due_tasks": N_("Reminders and questions I sent or will send you."),
    "checkins": N_("Your morning check-ins: side effects and how strong they were."),
    "benefit_ratings": N_("Your ratings of pain, sleep, fatigue, mood and brain fog."),
    "suggestions": N_("Suggestions I sent you about side effects (so I don't repeat them)."),
    "audit_log": N_("A log of what you did here (never health details)."),
    "caregivers": N_("You as a caregiver: your name, time zone and language."),
    "care_invites": N_("Invitations you made for people who help you."),
    "care_links": N_("Who follows whose updates, what is shared, and since when."),
    "care_code_attempts": N_("Invitation links that didn't work (to slow down guessing)."),
    "staff": N_("Your role as clinic staff."),
}


def table_note(table: str) -> str | None:
    """What a table holds, in plain words (None for a table added since these were written)."""
    return _(TABLES[table]) if table in TABLES else None
