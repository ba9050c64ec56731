"""Words of the dose reminder, its buttons' answers and the step-up question.

A bedtime dose is "tonight's"; a morning dose (``card.morning``) is "today's", without "Sleep
well!". A liquid's dose is also said in ml (``bot.form_texts``).

Tone: warm, short, plain words; never instruct a dose change (a missed dose is skipped, never
doubled). Every sentence goes through gettext (``bot.i18n``).
"""

from __future__ import annotations

from datetime import date, datetime

from bot import form_texts
from bot.i18n import _, clock_time, day, mg, ngettext
from titration.reminders import ReminderCard


def taken_button() -> str:
    return _("✅ Taken")


def snooze_button() -> str:
    return _("⏰ Snooze 30 min")


def skip_button(*, morning: bool = False) -> str:
    if morning:
        return _("Skip today")
    return _("Skip tonight")


def reminder(card: ReminderCard) -> str:
    lines = []
    if card.late:
        lines.append(_("Sorry this is late — I was offline for a while."))
    dose = mg(card.dose_mg)
    if card.morning and card.snoozed:
        lines.append(_("⏰ Reminder: today's LDN, <b>{dose}</b>.").format(dose=dose))
    elif card.morning:
        lines.append(_("☀️ Time for today's LDN: <b>{dose}</b>").format(dose=dose))
    elif card.snoozed:
        lines.append(_("⏰ Reminder: tonight's LDN, <b>{dose}</b>.").format(dose=dose))
    else:
        lines.append(_("🌙 Time for tonight's LDN: <b>{dose}</b>").format(dose=dose))
    if card.mg_per_ml is not None:
        lines.append(form_texts.liquid_dose(card.dose_mg, card.mg_per_ml))
    if card.maintenance:
        lines.append(_("Your target dose — keep going."))
    elif card.night_at_dose > card.interval_days and card.morning:  # held: say so, and why
        lines.append(_("Day {day} at this dose.").format(day=card.night_at_dose))
        lines.append(held_because(card))
    elif card.night_at_dose > card.interval_days:  # the step is held: say so, and why
        lines.append(_("Night {night} at this dose.").format(night=card.night_at_dose))
        lines.append(held_because(card))
    else:
        if card.morning:
            text = _("Day {day} of {days} at this dose.").format(
                day=card.night_at_dose, days=card.interval_days
            )
        else:
            text = _("Night {night} of {nights} at this dose.").format(
                night=card.night_at_dose, nights=card.interval_days
            )
        lines.append(text)
    if card.step_question_open and card.night_at_dose <= card.interval_days:
        lines.append(_("Your step-up question is still open (see above)."))
    if card.previous_missed and card.morning:
        lines.append(
            _(
                "Yesterday's dose wasn't logged — that's OK. Just take today's usual dose; "
                "never double up."
            )
        )
    elif card.previous_missed:
        lines.append(
            _(
                "Last night wasn't logged — that's OK. Just take tonight's usual dose; "
                "never double up."
            )
        )
    if card.sent_before:
        lines.append(sent_before())
    return "\n".join(lines)


def held_because(card: ReminderCard) -> str:
    """Past the planned nights at a dose: why the next step has not come yet, in plain words."""
    if card.step_question_open:
        return _("The next step waits for your answer to the step-up question above.")
    if card.held_for:
        return _("You're staying at this dose while the side effects settle.")
    if card.step_held:
        return _(
            "You're staying at this dose a little longer, as agreed. I'll ask about the next "
            "step again."
        )
    return _("I'll offer the next step after your next dose is logged as taken.")


def sent_before() -> str:
    return _("If this reminder reaches you twice, it is the same dose: take it once.")


def nudge(card: ReminderCard) -> str:
    if card.morning:
        return _(
            "Gentle nudge: did you take today's {dose}? "
            "If you've missed it, skip it — no need to make it up."
        ).format(dose=mg(card.dose_mg))
    return _(
        "Gentle nudge: did you take tonight's {dose}? "
        "If you've missed it, skip it — no need to make it up."
    ).format(dose=mg(card.dose_mg))


def taken(dose: str, at: datetime, *, morning: bool = False) -> str:
    if morning:
        return _("✅ {dose} taken at {time}. Have a good day!").format(
            dose=dose, time=clock_time(at)
        )
    return _("✅ {dose} taken at {time}. Sleep well!").format(dose=dose, time=clock_time(at))


def skipped(dose: str, *, morning: bool = False) -> str:
    if morning:
        return _(
            "Skipped today's {dose} — noted. Tomorrow just take your usual dose; don't double up."
        ).format(dose=dose)
    return _(
        "Skipped tonight's {dose} — noted. Tomorrow just take your usual dose; don't double up."
    ).format(dose=dose)


def snoozed(at: datetime) -> str:
    return _("⏰ OK — I'll remind you again at {time}.").format(time=clock_time(at))


def snooze_used(*, morning: bool = False) -> str:
    if morning:
        return _("You've already snoozed today's dose. Tap Taken or Skip when you're ready.")
    return _("You've already snoozed tonight. Tap Taken or Skip when you're ready.")


def already(status: str, *, morning: bool = False) -> str:
    """The night (a morning patient's day) was answered or closed before this press."""
    if morning:
        if status in ("taken", "late"):
            return _("This dose is already recorded as taken.")
        if status == "skipped":
            return _("This dose is already recorded as skipped.")
        return _(
            "That dose is closed and counted as missed. Just take today's dose as usual — "
            "never double up."
        )
    if status in ("taken", "late"):
        return _("This night is already recorded as taken.")
    if status == "skipped":
        return _("This night is already recorded as skipped.")
    return _(
        "That night is closed and counted as missed. Just take tonight's dose as usual — "
        "never double up."
    )


def step_offer(current: str, nights: int, following: str, *, morning: bool = False) -> str:
    if morning:
        taken_for = ngettext(
            "You've taken {dose} for {n} day.", "You've taken {dose} for {n} days.", nights
        ).format(dose=current, n=nights)
    else:
        taken_for = ngettext(
            "You've taken {dose} for {n} night.", "You've taken {dose} for {n} nights.", nights
        ).format(dose=current, n=nights)
    return (
        taken_for
        + " "
        + _("Your plan's next step is {dose}, starting with your next dose. Go ahead?").format(
            dose=following
        )
        + "\n\n"
        + _("If you're unsure, it's fine to stay and talk it over with your prescriber.")
    )


def step_up_button(dose: str) -> str:
    return _("Step up to {dose}").format(dose=dose)


def stay_button(dose: str) -> str:
    return _("Stay at {dose}").format(dose=dose)


def stepped_up(dose: str, from_day: date, maintenance: bool) -> str:
    text = _("Great — from {day} your dose is {dose}.").format(day=day(from_day), dose=dose)
    if maintenance:
        text += " " + _("That's your target dose: from now on it's the same each night.")
    return text + " " + _("If anything feels off, talk to your prescriber.")


def stayed(dose: str, days: int) -> str:
    ask_again = ngettext(
        "OK, staying at {dose}. I'll ask again in {n} day.",
        "OK, staying at {dose}. I'll ask again in {n} days.",
        days,
    ).format(dose=dose, n=days)
    return ask_again + " " + _("Do talk it over with your prescriber if you're unsure.")


def step_stale() -> str:
    return _("That step-up question has already been answered.")


def step_held() -> str:
    return _(
        "Your side effects are still going on, so your next step-up waits until they ease. "
        "Please talk it over with your prescriber."
    )
