"""The answers every feature shares (refusals, errors), and the command registry that feeds /help
and the "/" menu. Each feature's own sentences live beside it (``bot/*_texts.py``).

Every sentence goes through gettext (``bot.i18n``). Tone: warm, short, plain words; suggest
talking to the prescriber; never instruct a dose change. Texts use Telegram HTML; anything a
person typed must go through ``html.escape`` first.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_, _

# Shared answers (every feature uses these) ----------------------------------------------------


def need_start() -> str:
    return _("Please send /start first so we can set things up.")


def not_active() -> str:
    return _("Reminders aren't running yet. Send /start to finish setting up.")


def not_yours() -> str:
    return _("Sorry, that button isn't for you.")


def not_admin() -> str:
    return _("Sorry, that is for clinic staff only.")


def not_caregiver() -> str:
    return _("That is for caregivers. You follow nobody's updates here yet.")


def sharing_ended() -> str:
    return _("That sharing has ended, so there is nothing to show.")


def out_of_scope() -> str:
    return _("That isn't part of what is shared with you.")


def data_deleted() -> str:
    """A button pressed by someone with no patient row: an old message after /forget."""
    return _("Your data has been deleted; send /start to begin again.")


def invalid_button() -> str:
    return _("Sorry, that button isn't valid any more.")


def save_failed() -> str:
    return _("Sorry — I couldn't save that just now. Please try again in a minute.")


def unknown_command() -> str:
    return _("I don't know that command. Send /help to see what I can do.")


def not_text() -> str:
    return _("I can only read text and button taps. Please use the buttons or type a short answer.")


def too_long(limit: int) -> str:
    return _("That's a long message! Please keep it under {limit} characters.").format(limit=limit)


# The commands: one registry feeds /help and the "/" menu in every language ------------------


@dataclass(frozen=True)
class Command:
    name: str
    description: str  # an English msgid; ``_(command.description)`` in the reader's language


COMMANDS = (
    Command("start", N_("Start or pick up where you left off")),
    Command("today", N_("Today's dose")),
    Command("plan", N_("Your dose plan so far and ahead")),
    Command("checkin", N_("Tell me how last night was")),
    Command("history", N_("Your chart: doses, side effects and benefits")),
    Command("settings", N_("Change dose time, dose form, time zone or language")),
    Command("supply", N_("Your LDN on hand, and a reminder to reorder")),
    Command("invite", N_("Invite someone who helps you")),
    Command("caregivers", N_("Who follows your updates")),
    Command("pause", N_("Pause reminders")),
    Command("resume", N_("Resume reminders")),
    Command("export", N_("A report for your doctor, or a copy of your data")),
    Command("forget", N_("Delete all your data")),
    Command("cancel", N_("Stop the current question")),
    Command("help", N_("What I can do")),
)

# Clinic staff only: added to an admin's own chat menu (``bot.menus``), never to anyone else's.
ADMIN_COMMANDS = (
    Command("admin", N_("Clinic: patients at a glance, the audit")),
    Command("grant", N_("Clinic: make someone an admin")),
    Command("revoke", N_("Clinic: take the admin role away")),
)


# What a caregiver can do (their "/" menu; someone who is also a patient gets both lists).
CAREGIVER_COMMANDS = (
    Command("patients", N_("Whose updates you follow")),
    Command("summary", N_("How someone you follow is doing")),
    Command("settings", N_("Your time zone and language")),
    Command("export", N_("Get a copy of your data")),
    Command("forget", N_("Delete all your data")),
    Command("help", N_("What I can do")),
)


def commands_for(patient: bool, caregiver: bool) -> tuple[Command, ...]:
    """The commands of someone with these roles (patients and strangers: ``COMMANDS``)."""
    if not caregiver:
        return COMMANDS
    if not patient:
        return CAREGIVER_COMMANDS
    shared = {c.name for c in COMMANDS}
    return (*COMMANDS, *(c for c in CAREGIVER_COMMANDS if c.name not in shared))


def command_lines(patient: bool, caregiver: bool) -> str:
    """ "/name — what it does", one line per command of someone with these roles."""
    return "\n".join(f"/{c.name} — {_(c.description)}" for c in commands_for(patient, caregiver))


def help_text(caregiver: bool = False) -> str:
    """/help for a patient (or a stranger); ``caregiver``: they follow someone, too."""
    commands = command_lines(True, caregiver)
    return _(
        "Here's what I can do:\n\n{commands}\n\n"
        "I'm not a doctor: for questions about your dose, ask your prescriber."
    ).format(commands=commands)
