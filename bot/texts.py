"""Every word the bot says, plus the command registry that feeds /help and the "/" menu.

Tone: warm, short, plain words; suggest talking to the prescriber; never instruct a dose change.
Texts use Telegram HTML; anything a person typed must go through ``html.escape`` first.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.i18n import N_, _
from titration.screening import StopReason

# Shared answers (every feature uses these) ----------------------------------------------------


def need_start() -> str:
    return _("Please send /start first so we can set things up.")


def not_active() -> str:
    return _("Reminders aren't running yet. Send /start to finish setting up.")


def not_yours() -> str:
    return _("Sorry, that button isn't for you.")


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
    return _("That's a long message! Please keep it under {limit} characters.").format(
        limit=limit
    )


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


# Legacy constants, removed as each feature's texts move into gettext --------------------------


CONSENT_VERSION = "2026-11-28"
CONSENT = (
    "Hi! I'm LDN Companion. I remind you to take your low-dose naltrexone (LDN) at bedtime "
    "and keep track of your doses.\n\n"
    "To do that I need to store a little health data: your dose plan, bedtime, time zone and "
    "whether you took each dose. It stays with your clinic's bot; Telegram also holds our chat. "
    "You can get a copy (/export) or delete everything (/forget) at any time.\n\n"
    "I'm not a doctor and I never change your dose. Is it OK to store this data?"
)
CONSENT_SHA256 = hashlib.sha256(CONSENT.encode()).hexdigest()
CONSENT_YES = "Yes, I agree"
CONSENT_NO = "No thanks"
CONSENT_DECLINED = (
    "No problem — I haven't stored anything. If you change your mind, just send /start."
)
CONSENT_ALREADY_GIVEN = (
    "You've already agreed, so I'm keeping what you've told me so far. "
    "To delete everything, send /forget."
)

SCREEN_OPIOIDS = (
    "A few safety questions first.\n\n"
    "Do you take any opioid medicine? For example tramadol, codeine, morphine, oxycodone "
    "or fentanyl — including patches and cough medicine with codeine."
)
SCREEN_ALLERGY = "Have you ever had an allergic reaction to naltrexone?"
SCREEN_CAUTION = "Do any of these apply to you: liver disease, pregnancy, or breastfeeding?"
SCREEN_PROVIDER = (
    "Does the person who prescribed your LDN know about this, and still want you to start?"
)
YES, NO, UNSURE = "Yes", "No", "Not sure"

STOPPED = {
    StopReason.OPIOIDS: (
        "Thank you for telling me. LDN must not be combined with opioids (including tramadol "
        "and codeine): it blocks them and can cause sudden withdrawal.\n\n"
        "So I won't start reminders. Please talk to your prescriber before taking LDN. "
        "If things change, send /start and we'll go through it again."
    ),
    StopReason.ALLERGY: (
        "Thank you for telling me. With a known allergy to naltrexone, LDN is not safe to start, "
        "so I won't set up reminders. Please talk to your prescriber."
    ),
    StopReason.PROVIDER_UNAWARE: (
        "Thanks. Liver disease, pregnancy and breastfeeding need your prescriber's OK before "
        "LDN. Please check with them first — then send /start and we'll carry on."
    ),
}

ASK_ZONE = (
    "Which time zone are you in? Tap one, type your city (e.g. Berlin), or share your location."
)
SHARE_LOCATION = "📍 Share my location"
ZONE_NOT_FOUND = "I couldn't find that place. Try a bigger city nearby, like Berlin or New York."
ZONE_PICK = "Did you mean one of these?"
ASK_BEDTIME = "What time do you usually go to bed? Tap one or type a time like 22:30 or 10:30 pm."

ASK_PLAN = (
    "Which dose plan did your prescriber give you?\n\n"
    "The usual plan: start at 0.5 mg, go up 0.5 mg every 14 days, up to 4.5 mg."
)
PLAN_DEFAULT = "The usual plan"
PLAN_CUSTOM = "Different numbers"
ASK_START = "Your starting dose, in mg? (usually 0.5 or 1)"
ASK_STEP = "How much does each step go up, in mg? (usually 0.5)"
ASK_INTERVAL = "How many days at each dose before the next step? (usually 7 or 14)"
ASK_TARGET = "Your target dose, in mg? (usually 3 to 4.5)"
CONFIRM_YES = "✅ Start"
CONFIRM_EDIT = "✏️ Change something"
DID_YOU_MEAN = "Yes, {value} mg"

CANCELLED = "OK, stopped. Nothing is lost — send /start to pick up where you left off."
NOTHING_TO_CANCEL = "There's nothing to cancel right now."
UNKNOWN_COMMAND = "I don't know that command. Send /help to see what I can do."
NOT_TEXT = "I can only read text and button taps. Please use the buttons or type a short answer."
TOO_LONG = "That's a long message! Please keep it under {limit} characters."
NEED_START = "Please send /start first so we can set things up."
NOT_ACTIVE = "Reminders aren't running yet. Send /start to finish setting up."
SAVE_FAILED = "Sorry — I couldn't save that just now. Please try again in a minute."
STALE_BUTTON = "That button is from an earlier question. Here is where we are:"
FORGED_BUTTON = "Sorry, that button isn't valid any more."
NOT_YOURS = "Sorry, that button isn't for you."
WELCOME_BACK = "Welcome back! Your reminders are on again. Next one: {when}."

def when(instant: datetime, zone: ZoneInfo) -> str:
    """'Sat 28 Nov at 22:00' in the patient's zone."""
    local = instant.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b} at {local:%H:%M}"


def day(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b}"


def plan_summary(start: str, step: str, interval: int, target: str) -> str:
    return f"start {start}, +{step} every {interval} days, up to {target}"


def setup_summary(zone: str, bedtime: str, plan: str, first: str) -> str:
    return (
        "Here's your setup:\n\n"
        f"🕙 Bedtime: <b>{bedtime}</b> ({zone})\n"
        f"💊 Plan: {plan}\n"
        f"🔔 First reminder: <b>{first}</b>\n\n"
        "Shall I start?"
    )


def started(first: str) -> str:
    return (
        f"All set! Your first reminder comes {first}.\n\n"
        "Send /today to see tonight's dose, or /help for more."
    )


PAUSED = (
    "Paused — no reminders until you send /resume.\n"
    "If you're stopping LDN, please let your prescriber know."
)
ALREADY_PAUSED = "Reminders are already paused. Send /resume to turn them back on."
RESUMED = "Reminders are back on. Next one: {when}."
NOT_PAUSED = "Reminders are already on. Next one: {when}."

SETTINGS = "What would you like to change?"
SETTINGS_BEDTIME = "🕙 Bedtime"
SETTINGS_ZONE = "🌍 Time zone"
SETTINGS_CHECKIN = "☀️ Check-in time"
ASK_CHECKIN_TIME = "What time should I ask how last night was? Tap one or type a time like 08:30."
SETTINGS_SAVED = "Saved. Next reminder: {when} ({zone})."
