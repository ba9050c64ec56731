"""Words for messages nobody asked for: a side effect mentioned, a dose question, a missed or
taken dose, thanks, hello, or something the bot does not understand (``titration.free_text``).

Every sentence goes through gettext (``bot.i18n``).
"""

from __future__ import annotations

from collections.abc import Sequence

from babel.lists import format_list

from bot.checkin_texts import effect_name
from bot.i18n import _, current
from titration.side_effects import Effect


def effects_ticked(effects: Sequence[Effect]) -> str:
    names = format_list([effect_name(effect) for effect in effects], locale=current())
    return _(
        "I'm sorry to hear that. I've ticked <b>{names}</b> for today's check-in: add anything "
        "else, then tap Done."
    ).format(names=names)


def effects_before_first_dose() -> str:
    return _(
        "Thank you for telling me. Check-ins start the morning after your first dose; "
        "until then, anything that worries you is best raised with your prescriber."
    )


def dose_change() -> str:
    return _(
        "Only your prescriber can change your dose, so I never do. Please ask them: "
        "/plan shows where you are, and /export makes a report to bring along."
    )


def missed_dose() -> str:
    return _(
        "That happens. Please don't take an extra dose to make up for it: just take the next "
        "one at the usual time.\n\nDid you take it after all and forget to tap? Correct the "
        "night below."
    )


def took_dose() -> str:
    return _("To log a dose, tap ✅ Taken on its reminder. For an earlier day, tap below.")


def log_open_dose(dose: str, *, morning: bool) -> str:
    """ "I took it" while tonight's reminder waits for an answer: one tap logs it."""
    if morning:
        return _("Good! Tap below to log today's {dose}.").format(dose=dose)
    return _("Good! Tap below to log tonight's {dose}.").format(dose=dose)


def a_time() -> str:
    return _("Would you like your reminder at another time? Send /settings and tap Bedtime.")


def thanks() -> str:
    return _("You're welcome! 💙")


def greeting() -> str:
    return _("Hello! 👋 /today shows your next dose, /help everything I can do.")


def not_understood() -> str:
    return _(
        "Sorry, I didn't understand that. I work best with the buttons and these commands:\n\n"
        "/today — your next dose\n"
        "/checkin — tell me how you've been\n"
        "/help — everything else"
    )
