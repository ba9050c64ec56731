"""Words of getting started: consent, the safety questions, time zone, bedtime, plan and confirm.

Tone: warm, short, plain words; the prescriber decides, the bot never does. Every sentence goes
through gettext (``bot.i18n``); doses, numbers, days and times are formatted per language.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.clinic_texts import steps_line
from bot.i18n import _, clock_time, mg, ngettext, number, when
from titration import doses
from titration.errors import Problem
from titration.models import DEFAULT_PLAN, Plan
from titration.screening import Question, StopReason
from titration.timing import zone_label

# Consent -------------------------------------------------------------------------------------

CONSENT_VERSION = "2026-11-28"


def consent() -> str:
    return (
        _(
            "Hi! I'm LDN Companion. I remind you to take your low-dose naltrexone (LDN) at "
            "bedtime and keep track of your doses."
        )
        + "\n\n"
        + _(
            "To do that I need to store a little health data: your dose plan, bedtime, time zone "
            "and whether you took each dose. It stays with your clinic's bot; Telegram also holds "
            "our chat. You can get a copy (/export) or delete everything (/forget) at any time."
        )
        + "\n\n"
        + _("I'm not a doctor and I never change your dose. Is it OK to store this data?")
    )


def consent_sha256() -> str:
    """The hash stored with a consent: of the consent text in the current language."""
    return hashlib.sha256(consent().encode()).hexdigest()


def consent_yes() -> str:
    return _("Yes, I agree")


def consent_no() -> str:
    return _("No thanks")


def declined() -> str:
    return _("No problem — I haven't stored anything. If you change your mind, just send /start.")


def already_consented() -> str:
    return _(
        "You've already agreed, so I'm keeping what you've told me so far. "
        "To delete everything, send /forget."
    )


# Safety screening ----------------------------------------------------------------------------


def screening_question(question: Question) -> str:
    if question is Question.OPIOIDS:
        return (
            _("A few safety questions first.")
            + "\n\n"
            + _(
                "Do you take any opioid medicine? For example tramadol, codeine, morphine, "
                "oxycodone or fentanyl — including patches and cough medicine with codeine."
            )
        )
    if question is Question.ALLERGY:
        return _("Have you ever had an allergic reaction to naltrexone?")
    if question is Question.CAUTION:
        return _("Do any of these apply to you: liver disease, pregnancy, or breastfeeding?")
    return _(
        "Does the person who prescribed your LDN know about this, and still want you to start?"
    )


def yes() -> str:
    return _("Yes")


def no() -> str:
    return _("No")


def unsure() -> str:
    return _("Not sure")


def stopped(reason: StopReason) -> str:
    if reason is StopReason.OPIOIDS:
        return (
            _(
                "Thank you for telling me. LDN must not be combined with opioids (including "
                "tramadol and codeine): it blocks them and can cause sudden withdrawal."
            )
            + "\n\n"
            + _(
                "So I won't start reminders. Please talk to your prescriber before taking LDN. "
                "If things change, send /start and we'll go through it again."
            )
        )
    if reason is StopReason.ALLERGY:
        return _(
            "Thank you for telling me. With a known allergy to naltrexone, LDN is not safe to "
            "start, so I won't set up reminders. Please talk to your prescriber."
        )
    return _(
        "Thanks. Liver disease, pregnancy and breastfeeding need your prescriber's OK before "
        "LDN. Please check with them first — then send /start and we'll carry on."
    )


def check_opioids_first() -> str:
    """After "Not sure" about opioids: how to find out, and how to go on."""
    return _(
        "That's worth checking first. Please show your list of medicines to a pharmacist (or "
        "your prescriber) and ask whether any of them is an opioid — some painkillers and cough "
        "medicines contain one, such as codeine or tramadol. Once you know, answer below; "
        "your answers so far are kept."
    )


# Time zone and bedtime -----------------------------------------------------------------------


def ask_zone() -> str:
    return _(
        "Which time zone are you in? Tap one, type your city (e.g. Berlin), or share your location."
    )


def share_location() -> str:
    return _("📍 Share my location")


def zone_saved(zone: ZoneInfo, at: datetime) -> str:
    """The zone just chosen with the local time there now, so a mistake shows at once."""
    return _("🌍 Time zone: {zone} — it's {time} there now.").format(
        zone=zone_label(zone, at), time=clock_time(at.astimezone(zone))
    )


def offset_note(offset: str) -> str:
    """A UTC offset was typed: it does not follow daylight saving; places on it now."""
    return _(
        "{offset} is a fixed offset: it doesn't change when clocks go forward or back, so your "
        "reminders could be an hour off for part of the year. Places on {offset} right now are "
        "below — tap yours, or keep the fixed offset."
    ).format(offset=offset)


def abbreviation_note(typed: str) -> str:
    return _("{abbreviation} can mean more than one time zone. Which one is yours?").format(
        abbreviation=typed.upper()
    )


def country_note() -> str:
    return _("That country has more than one time zone. Which one is yours?")


def zone_not_found() -> str:
    return _("I couldn't find that place. Try a bigger city nearby, like Berlin or New York.")


def zone_not_at_location() -> str:
    return _(
        "I couldn't tell the time zone from that location. Please type your city instead, "
        "like Berlin or New York."
    )


def pick_zone() -> str:
    return _("Did you mean one of these?")


def bedtime_saved(bedtime: time) -> str:
    """The bedtime just chosen, echoed back so a mistake shows at once."""
    return _("🕙 Bedtime: {time}").format(time=clock_time(bedtime))


def half_of_day(at: time) -> str:
    """One reading of a bare hour, as its button says it: "10 pm (22:00)"."""
    if at == time(0, 0):
        twelve = _("midnight")
    elif at == time(12, 0):
        twelve = _("noon")
    else:
        hour = at.hour % 12 or 12
        shown = f"{hour}" if at.minute == 0 else f"{hour}:{at.minute:02d}"
        twelve = (_("{hour} pm") if at.hour >= 12 else _("{hour} am")).format(hour=shown)
    return _("{twelve} ({clock})").format(twelve=twelve, clock=clock_time(at))


def evening_or_morning(first: time, second: time) -> str:
    """A bare hour ("10") was typed: which one?"""
    return _("Did you mean {first} or {second}?").format(
        first=half_of_day(first), second=half_of_day(second)
    )


def ask_bedtime() -> str:
    return _("What time do you usually go to bed? Tap one or type a time like 22:30 or 10:30 pm.")


# The plan ------------------------------------------------------------------------------------


def plan_unsure() -> str:
    """Typed words at the plan question ("I don't know"): where to find it, and no hurry."""
    return _(
        "No problem. How to start is on your prescription or the pharmacy's label. If you're "
        "not sure, ask your prescriber first: your answers so far are kept, and /start brings "
        "you back here."
    )


def ask_plan() -> str:
    usual = DEFAULT_PLAN
    return (
        _("Which dose plan did your prescriber give you?")
        + "\n\n"
        + ngettext(
            "The usual plan: start at {start}, go up {step} every {n} day, up to {target}.",
            "The usual plan: start at {start}, go up {step} every {n} days, up to {target}.",
            usual.interval_days,
        ).format(
            start=mg(usual.start_mg),
            step=mg(usual.step_mg),
            n=usual.interval_days,
            target=mg(usual.target_mg),
        )
    )


def usual_plan() -> str:
    return _("The usual plan")


def different_numbers() -> str:
    return _("Different numbers")


def ask_start() -> str:
    return _("Your starting dose, in mg? (usually {a} or {b})").format(
        a=number(Decimal("0.5")), b=number(1)
    )


def ask_step() -> str:
    return _("How much does each step go up, in mg? (usually {a})").format(a=number(Decimal("0.5")))


def ask_interval() -> str:
    return _("How many days at each dose before the next step? (usually 7 or 14)")


def ask_target() -> str:
    return _("Your target dose, in mg? (usually {a} to {b})").format(
        a=number(3), b=number(Decimal("4.5"))
    )


def days(n: int) -> str:
    """A number of days on a button: "14 days"."""
    return ngettext("{n} day", "{n} days", n).format(n=n)


def did_you_mean(dose: Decimal) -> str:
    """The button under a likely typo."""
    return _("Yes, {dose}").format(dose=mg(dose))


def problem(
    code: Problem,
    *,
    value: Decimal | None = None,
    suggestion: Decimal | None = None,
    example: Decimal | None = None,
) -> str:
    """Why a typed value was not accepted (``titration.errors``), in the reader's language."""
    dose_range = _range(doses.MIN_DOSE, doses.MAX_PATIENT_DOSE)
    typed = number(value) if value is not None else ""  # as they typed it: "45", not "45.0"
    if code is Problem.NOT_A_NUMBER:
        return _("Please send just the number of milligrams, like {example}.").format(
            example=number(example or Decimal("1.5"))
        )
    if code is Problem.BELOW_SMALLEST_DOSE:
        return _("That's below the smallest dose ({dose}). Please check the number.").format(
            dose=mg(doses.MIN_DOSE)
        )
    if code is Problem.DOSE_LOOKS_HIGH and suggestion is not None:
        return _("{value} mg looks high — did you mean {suggestion}?").format(
            value=typed, suggestion=mg(suggestion)
        )
    if code is Problem.NOT_A_LOW_DOSE:
        return _(
            "{value} mg is not a low dose. LDN doses are {range}. "
            "Please check the number with your prescriber."
        ).format(value=typed, range=dose_range)
    if code in (Problem.DOSE_NEEDS_CLINIC, Problem.DOSE_LOOKS_HIGH):
        return _(
            "Doses above {dose} need your clinic to set them up. Please enter {range}."
        ).format(dose=mg(doses.MAX_PATIENT_DOSE), range=dose_range)
    if code is Problem.STEP_OUT_OF_RANGE:
        text = _("A step is usually {usual}; please enter {range}.").format(
            usual=mg(Decimal("0.5")), range=_range(doses.MIN_STEP, doses.MAX_STEP)
        )
        if suggestion is not None:
            text += " " + _("Did you mean {suggestion}?").format(suggestion=mg(suggestion))
        return text
    if code is Problem.NOT_DAYS:
        return _("Please send the number of days, like {example}.").format(
            example=number(example or 14)
        )
    if code is Problem.INTERVAL_OUT_OF_RANGE:
        return _("Steps are usually every 7 to 14 days; please enter {low}–{high}.").format(
            low=doses.MIN_INTERVAL, high=doses.MAX_INTERVAL
        )
    if code is Problem.BAD_TIME:
        return _("I couldn't read that time. Try 22:30 or 10:30 pm.")
    if code is Problem.START_ABOVE_TARGET:
        return _("The start dose is above the target dose. Please check both numbers.")
    return _("The step must be above 0 mg to reach the target.")


def _range(low: Decimal, high: Decimal) -> str:
    """ "0.1–4.5 mg" / "0,1–4,5 mg"."""
    return f"{number(low)}–{mg(high)}"


# Confirm -------------------------------------------------------------------------------------


def plan_summary(plan: Plan) -> str:
    if plan.stepwise:  # a clinic's step list, as /templates shows it
        return steps_line(plan)
    if plan.start_mg >= plan.target_mg:  # the target from night one: no steps to describe
        return _("{dose} every night from the first — your target dose, no step-ups").format(
            dose=mg(plan.target_mg)
        )
    return ngettext(
        "start {start}, +{step} every {n} day, up to {target}",
        "start {start}, +{step} every {n} days, up to {target}",
        plan.interval_days,
    ).format(
        start=mg(plan.start_mg),
        step=mg(plan.step_mg),
        n=plan.interval_days,
        target=mg(plan.target_mg),
    )


def summary(zone: ZoneInfo, bedtime: time, plan: Plan, first: datetime, now: datetime) -> str:
    lines = [
        _("Here's your setup:"),
        "",
        _("🕙 Bedtime: <b>{bedtime}</b>, {zone}").format(
            bedtime=clock_time(bedtime), zone=zone_label(zone, now)
        ),
        _("💊 Plan: {plan}").format(plan=plan_summary(plan)),
        _("🔔 First reminder: <b>{when}</b>").format(when=when(first, zone)),
        "",
        _("Shall I start?"),
    ]
    return "\n".join(lines)


def start_button() -> str:
    return _("✅ Start")


def change_button() -> str:
    return _("✏️ Change something")


def which_field() -> str:
    """After [Change something]: one part at a time; the rest is kept."""
    return _("What would you like to change? The rest stays as it is.")


def plan_button() -> str:
    return _("💊 Dose plan")


def started(first: datetime, zone: ZoneInfo) -> str:
    return (
        _("All set! Your first reminder comes {when}.").format(when=when(first, zone))
        + "\n\n"
        + _("Send /today to see tonight's dose, or /help for more.")
    )


# Coming back, and stopping a question --------------------------------------------------------


def welcome_back(next_reminder: datetime, zone: ZoneInfo) -> str:
    return _("Welcome back! Your reminders are on. Next one: {when}.").format(
        when=when(next_reminder, zone)
    )


def earlier_question() -> str:
    """Before asking the open question again, after a button from an earlier one."""
    return _("That button is from an earlier question. Here is where we are:")


def cancelled() -> str:
    return _("OK, stopped. Nothing is lost — send /start to pick up where you left off.")


def settings_cancelled() -> str:
    """/cancel inside /settings: the question is closed, nothing to pick up again."""
    return _("OK, stopped. Nothing is lost — your settings stay as they were.")


def nothing_to_cancel() -> str:
    return _("There's nothing to cancel right now.")
