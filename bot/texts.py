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
    Command("today", N_("Tonight's dose")),
    Command("plan", N_("Your dose plan so far and ahead")),
    Command("checkin", N_("Tell me how last night was")),
    Command("history", N_("Side effects and benefits so far")),
    Command("settings", N_("Change bedtime, time zone or language")),
    Command("pause", N_("Pause reminders")),
    Command("resume", N_("Resume reminders")),
    Command("summary", N_("For caregivers: a summary of the person you support")),
    Command("export", N_("Get a copy of your data")),
    Command("forget", N_("Delete all your data")),
    Command("cancel", N_("Stop the current question")),
    Command("help", N_("What I can do")),
)


def help_text() -> str:
    commands = "\n".join(f"/{c.name} — {_(c.description)}" for c in COMMANDS)
    return _(
        "Here's what I can do:\n\n{commands}\n\n"
        "I'm not a doctor: for questions about your dose, ask your prescriber."
    ).format(commands=commands)
