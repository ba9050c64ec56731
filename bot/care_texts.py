"""Words of caregiver links: /invite, the invitation a caregiver opens, the patient's answer,
/caregivers and /patients, and "sharing has ended".

Every sentence goes through gettext (``bot.i18n``). Names are the first names people have on
Telegram (typed by them): always ``html.escape``d here. A caregiver is told that sharing ended,
never why, and never anything about the patient's health.
"""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import _, day, ngettext, when
from titration.caregiving import Scope


def _name(name: str) -> str:
    return html.escape(name)


# What is shared ------------------------------------------------------------------------------


def scope_button(scope: Scope) -> str:
    if scope is Scope.FULL:
        return _("Doses, side effects and benefits")
    return _("Doses only")


def scope_short(scope: Scope) -> str:
    """What is shared, in a word or three (in lists)."""
    if scope is Scope.FULL:
        return _("doses, side effects and benefits")
    return _("doses only")


def scope_what(scope: Scope) -> str:
    """What a caregiver sees, in a few words (after "sees:")."""
    if scope is Scope.FULL:
        return _(
            "doses taken, late, missed or skipped, the current dose and plan, side effects, "
            "my suggestions about them, and benefit ratings"
        )
    return _("doses taken, late, missed or skipped, and the current dose and plan")


# /invite -------------------------------------------------------------------------------------


def invite_ask() -> str:
    return _(
        "Invite someone who helps you, such as a partner, parent or friend.\n\n"
        "What should they see? You can change this or stop sharing at any time in /caregivers."
    )


def invite_link(link: str, scope: Scope, expires_at: datetime, zone: ZoneInfo) -> str:
    return _(
        "Here is a one-time invitation. Forward this link to the person who helps you:\n\n"
        "{link}\n\n"
        "It works once, until {until}. They will see: {what}.\n"
        "Nothing is shared until you allow it here."
    ).format(link=link, until=when(expires_at, zone), what=scope_what(scope))


def too_many_invites(limit: int) -> str:
    return ngettext(
        "You already have {count} invitation waiting to be opened. Try again once it has been "
        "used or has expired (after 72 hours).",
        "You already have {count} invitations waiting to be opened. Try again once one has "
        "been used or has expired (after 72 hours).",
        limit,
    ).format(count=limit)


# The caregiver opens the link ----------------------------------------------------------------


def invitation(patient_name: str, scope: Scope) -> str:
    return _(
        "<b>{name}</b> invites you to follow how their LDN treatment is going.\n\n"
        "You would see: {what}.\n"
        "Nothing else, and you can't change anything for them.\n\n"
        "You can stop at any time with /patients, and {name} can stop sharing at any time.\n\n"
        "Do you agree?"
    ).format(name=_name(patient_name), what=scope_what(scope))


def agree_button() -> str:
    return _("I agree")


def decline_button() -> str:
    return _("No thanks")


def code_not_valid() -> str:
    return _(
        "This invitation link doesn't work: it may have expired, been used already, or been "
        "copied only in part. Please ask the person who sent it for a new one."
    )


def too_many_tries() -> str:
    return _(
        "Too many invitation links that didn't work. Please wait an hour, then open a new link."
    )


def own_invite() -> str:
    return _("That's your own invitation. Forward the link to the person who helps you.")


def already_linked(patient_name: str) -> str:
    return _("You already follow {name}'s updates, or are about to.").format(
        name=_name(patient_name)
    )


def declined() -> str:
    return _("OK. Nothing is shared with you, and you won't hear from me about this.")


def joining_cancelled() -> str:
    return _("OK, stopped. Nothing is shared. If you change your mind, ask for a new link.")


def ask_zone() -> str:
    return _(
        "Which time zone are you in? Then updates reach you at a good time of day.\n\n"
        "Tap a city, type one, or share your location."
    )


def waiting_for(patient_name: str) -> str:
    return _("Thank you! I've asked {name} to confirm. I'll tell you as soon as they do.").format(
        name=_name(patient_name)
    )


# The patient's answer ------------------------------------------------------------------------


def patient_ask(caregiver_name: str, scope: Scope) -> str:
    return _(
        "<b>{name}</b> accepted your invitation.\n\n"
        "Allow {name} to see: {what}?\n\n"
        "Nothing is shared until you allow it."
    ).format(name=_name(caregiver_name), what=scope_what(scope))


def allow_button() -> str:
    return _("Allow")


def refuse_button() -> str:
    return _("Refuse")


def allowed(caregiver_name: str) -> str:
    return _("Done: {name} now follows your updates. Change or stop this in /caregivers.").format(
        name=_name(caregiver_name)
    )


def allowed_to_caregiver(patient_name: str, scope: Scope) -> str:
    return _(
        "{name} said yes. You'll see: {what}.\n\nSend /patients to see whom you follow."
    ).format(name=_name(patient_name), what=scope_what(scope))


def refused(caregiver_name: str) -> str:
    return _("OK, nothing is shared with {name}.").format(name=_name(caregiver_name))


def refused_to_caregiver(patient_name: str) -> str:
    return _("{name} decided not to share their updates for now.").format(name=_name(patient_name))


# /caregivers ---------------------------------------------------------------------------------


def no_caregivers() -> str:
    return _("Nobody follows your updates. Send /invite to invite someone who helps you.")


def caregivers_list(lines: list[str]) -> str:
    return _("Who follows your updates:\n\n{lines}\n\nTap a name to change or stop it.").format(
        lines="\n".join(lines)
    )


def invites_open(count: int) -> str:
    """Added under /caregivers' list (starts with a blank line)."""
    return "\n\n" + ngettext(
        "{count} invitation is waiting to be opened.",
        "{count} invitations are waiting to be opened.",
        count,
    ).format(count=count)


def caregiver_line(name: str, scope: Scope, since: datetime | None, zone: ZoneInfo) -> str:
    if since is None:
        return _("• {name}: waiting for your answer").format(name=_name(name))
    return _("• {name}: {what}, since {day}").format(
        name=_name(name), what=scope_short(scope), day=day(since.astimezone(zone).date())
    )


def manage(caregiver_name: str, scope: Scope) -> str:
    return _("{name} sees: {what}.\n\nWhat would you like to do?").format(
        name=_name(caregiver_name), what=scope_what(scope)
    )


def remove_button(caregiver_name: str) -> str:
    return _("Stop sharing with {name}").format(name=caregiver_name)


def remove_ask(caregiver_name: str) -> str:
    return _(
        "Stop sharing with {name}? They will only be told that sharing has ended, not why."
    ).format(name=_name(caregiver_name))


def remove_sure_button() -> str:
    return _("Yes, stop sharing")


def keep_button() -> str:
    return _("Keep it as it is")


def removed(caregiver_name: str) -> str:
    return _("Done: {name} no longer sees anything.").format(name=_name(caregiver_name))


def nothing_changed() -> str:
    return _("OK, nothing changed.")


def scope_changed(caregiver_name: str, scope: Scope) -> str:
    return _("Saved: {name} now sees {what}.").format(
        name=_name(caregiver_name), what=scope_what(scope)
    )


def scope_changed_to_caregiver(patient_name: str, scope: Scope) -> str:
    return _("{name} changed what they share with you. From now on you see: {what}.").format(
        name=_name(patient_name), what=scope_what(scope)
    )


def forget_ask() -> str:
    """/forget from someone who is only a caregiver."""
    return _(
        "This deletes everything I store about you: your name, time zone and language, and "
        "whose updates you follow. They will be told you stopped. It can't be undone. "
        "Delete now?"
    )


def sharing_ended(patient_name: str) -> str:
    """To a caregiver: only that it ended (never why, never any data)."""
    return _("{name} has stopped sharing updates with you.").format(name=_name(patient_name))


# /patients -----------------------------------------------------------------------------------


def no_patients() -> str:
    return _("You don't follow anyone's updates at the moment.")


def patients_list(lines: list[str]) -> str:
    return _("Whose updates you follow:\n\n{lines}").format(lines="\n".join(lines))


def patient_line(name: str, scope: Scope, since: datetime | None, zone: ZoneInfo) -> str:
    if since is None:
        return _("• {name}: waiting for {name} to allow it").format(name=_name(name))
    return _("• {name}: {what}, since {day}").format(
        name=_name(name), what=scope_short(scope), day=day(since.astimezone(zone).date())
    )


def leave_button(patient_name: str) -> str:
    return _("Stop following {name}").format(name=patient_name)


def leave_ask(patient_name: str) -> str:
    return _("Stop following {name}'s updates? {name} will be told.").format(
        name=_name(patient_name)
    )


def leave_sure_button() -> str:
    return _("Yes, stop")


def stay_button() -> str:
    return _("No, keep following")


def left(patient_name: str) -> str:
    return _("Done: you no longer receive {name}'s updates.").format(name=_name(patient_name))


def caregiver_left(caregiver_name: str) -> str:
    return _("{name} stopped following your updates.").format(name=_name(caregiver_name))


def caregiver_help(commands: str) -> str:
    return _(
        "You follow the updates of people who invited you.\n\n{commands}\n\n"
        "I'm not a doctor: for questions about their treatment, they can ask their prescriber."
    ).format(commands=commands)
