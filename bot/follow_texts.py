"""Words a caregiver reads about their own settings: a followed patient's page under /patients
(summaries, the missed-dose alert), their time zone and language, the /start that greets them
as a caregiver, and the kind answer to a patient's command.

Every sentence goes through gettext (``bot.i18n``). Names are first names people typed on
Telegram: ``html.escape``d here for messages, left as they are on buttons (not parsed).
"""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import _, ngettext, when
from titration.caregiving import SummaryCadence


def _name(name: str) -> str:
    return html.escape(name)


def names(patient_names: list[str]) -> str:
    """ "Ana", "Ana and Bea", "Ana, Bea and Cem" (escaped)."""
    shown = [_name(n) for n in patient_names]
    if len(shown) <= 1:
        return "".join(shown)
    return _("{first} and {last}").format(first=", ".join(shown[:-1]), last=shown[-1])


# A followed patient's page --------------------------------------------------------------------


def page_button(patient_name: str) -> str:
    return _("{name}: summaries and alerts").format(name=patient_name)


def own_settings_button() -> str:
    return _("🌍 Your time zone and language")


def cadence_words(cadence: SummaryCadence) -> str:
    if cadence is SummaryCadence.WEEKLY:
        return _("every Sunday at 19:00")
    if cadence is SummaryCadence.DAILY:
        return _("every evening at 20:00")
    return _("off")


def alert_words(nights: int | None) -> str:
    if nights is None:
        return _("off")
    return ngettext(
        "after {count} missed night",
        "after {count} missed nights in a row",
        nights,
    ).format(count=nights)


def next_summary(at: datetime | None, zone: ZoneInfo) -> str:
    if at is None:
        return _("No summaries will come; /summary shows one whenever you like.")
    return _("Next summary: {when} (your time).").format(when=when(at, zone))


def page(
    patient_name: str,
    cadence: SummaryCadence,
    nights: int | None,
    at: datetime | None,
    zone: ZoneInfo,
) -> str:
    return _(
        "<b>{name}</b>: what you receive\n\n"
        "📋 Summaries: {cadence}\n"
        "⚠️ Missed-dose alert: {alert}\n\n"
        "{next}\n\nWhat would you like to change?"
    ).format(
        name=_name(patient_name),
        cadence=cadence_words(cadence),
        alert=alert_words(nights),
        next=next_summary(at, zone),
    )


def page_waiting(patient_name: str) -> str:
    return _("Waiting for {name} to allow it. Nothing is shared with you yet.").format(
        name=_name(patient_name)
    )


def summaries_button() -> str:
    return _("📋 Summaries")


def alert_button() -> str:
    return _("⚠️ Missed-dose alert")


def ask_cadence(patient_name: str) -> str:
    return _("How often would you like a summary of how {name} is doing?").format(
        name=_name(patient_name)
    )


def cadence_button(cadence: SummaryCadence) -> str:
    if cadence is SummaryCadence.WEEKLY:
        return _("Weekly, Sunday 19:00")
    if cadence is SummaryCadence.DAILY:
        return _("Daily, 20:00")
    return _("Off")


def ask_alert(patient_name: str) -> str:
    return _(
        "When should I tell you that {name} has missed doses? After how many nights in a row?"
    ).format(name=_name(patient_name))


def nights_button(nights: int) -> str:
    return ngettext("{count} night", "{count} nights", nights).format(count=nights)


def off_button() -> str:
    return _("Off")


def cadence_saved(patient_name: str, cadence: SummaryCadence) -> str:
    name = _name(patient_name)
    if cadence is SummaryCadence.WEEKLY:
        return _("Saved: a summary about {name} every Sunday at 19:00.").format(name=name)
    if cadence is SummaryCadence.DAILY:
        return _("Saved: a summary about {name} every evening at 20:00.").format(name=name)
    return _("Saved: no more summaries about {name}.").format(name=name)


def alert_saved(patient_name: str, nights: int | None) -> str:
    name = _name(patient_name)
    if nights is None:
        return _("Saved: no alerts about missed doses for {name}.").format(name=name)
    return ngettext(
        "Saved: I'll tell you when {name} has missed {count} night.",
        "Saved: I'll tell you when {name} has missed {count} nights in a row.",
        nights,
    ).format(name=name, count=nights)


# The caregiver's own settings -----------------------------------------------------------------


def own_menu(zone_label: str | None, language: str, is_patient: bool) -> str:
    """``zone_label``: the zone with the time there now (None: not chosen yet)."""
    zone = zone_label if zone_label is not None else _("not chosen yet")
    text = _(
        "Your settings for the updates you follow:\n\n"
        "🌍 Time zone: {zone}\n"
        "🗣 Language: {language}\n\n"
        "Summaries and alerts come at good times in your time zone. What would you like to change?"
    ).format(zone=zone, language=language)
    if is_patient:
        text += "\n\n" + _("Your own LDN reminders keep their time zone: change it in /settings.")
    return text


def zone_button() -> str:
    return _("🌍 Time zone")


def language_button() -> str:
    return _("🗣 Language")


def ask_zone() -> str:
    return _(
        "Which time zone are you in now? Summaries and alerts will follow it.\n\n"
        "Tap a city, type one, or share your location."
    )


def zone_unchanged() -> str:
    return _("OK, your time zone stays as it was.")


def next_summaries(lines: list[tuple[str, str]]) -> str:
    """After a new zone: each followed patient's next summary, in the new local time."""
    if not lines:
        return _("No summaries are planned; /summary shows one whenever you like.")
    shown = "\n".join(_("• {name}: {when}").format(name=_name(name), when=at) for name, at in lines)
    return _("Your next summaries, in your new local time:\n{lines}").format(lines=shown)


def patient_settings_hint() -> str:
    """Under a patient's /settings when they follow someone, too."""
    return _("For the updates you follow, your time zone is under /patients.")


# /start, /help and patients' commands -----------------------------------------------------------


def greeting(first_name: str, patient_names: list[str]) -> str:
    """/start from someone who follows others and takes no LDN here themselves."""
    if patient_names:
        who = _("You follow {names}'s LDN updates here.").format(names=names(patient_names))
    else:
        who = _("You don't follow anyone's updates at the moment.")
    return _(
        "Hello {name}! {who}\n\n"
        "/summary — how it is going\n"
        "/patients — whom you follow, your summaries and alerts\n"
        "/settings — your time zone and language\n\n"
        "Taking LDN yourself? I can remind you too."
    ).format(name=_name(first_name), who=who)


def start_own_button() -> str:
    return _("Start my own LDN tracking")


def patients_only(command: str, patient_names: list[str]) -> str:
    """A patient's command from someone who only follows others."""
    if patient_names:
        follow = _("You follow {names}: try /summary to see how it is going.").format(
            names=names(patient_names)
        )
    else:
        follow = _("You don't follow anyone's updates at the moment.")
    return _(
        "/{command} is for people who take LDN themselves. {follow}\n\n"
        "Taking LDN yourself? Send /start to set up your own reminders."
    ).format(command=command, follow=follow)


def own_tracking_hint() -> str:
    """Under a caregiver's /help."""
    return _("Taking LDN yourself? /start sets up your own reminders.")
