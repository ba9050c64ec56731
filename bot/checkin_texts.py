"""Words of the morning check-in, the benefit ratings, the suggestions and the urgent answers.

Tone: warm, short, plain words; suggest talking to the prescriber; never instruct a dose change.
Every sentence goes through gettext (``bot.i18n``); effects and measures are tables of ``N_``
markers translated where they are used. Sentences that name effects are written so they read
right for any effect, one or several, in every language ("… with: headache and upset stomach").
"""

from __future__ import annotations

from collections.abc import Iterable

from babel.lists import format_list

from bot.i18n import N_, _, current
from titration.benefits import Change, Measure
from titration.side_effects import Effect, Severity, Suggestion
from titration.urgent import Urgency

# Tables (translated at use) ------------------------------------------------------------------

EFFECT_LABELS = {  # the check-in's buttons, in this order
    Effect.DREAMS: N_("😴 Vivid dreams"),
    Effect.INSOMNIA: N_("🌙 Trouble sleeping"),
    Effect.HEADACHE: N_("🤕 Headache"),
    Effect.STOMACH: N_("🤢 Upset stomach"),
    Effect.PAIN_FATIGUE: N_("😣 More pain or fatigue"),
    Effect.OTHER: N_("✏️ Something else"),
}
EFFECT_NAMES = {  # an effect inside a sentence or a list
    Effect.DREAMS: N_("vivid dreams"),
    Effect.INSOMNIA: N_("trouble sleeping"),
    Effect.HEADACHE: N_("headache"),
    Effect.STOMACH: N_("upset stomach"),
    Effect.PAIN_FATIGUE: N_("more pain or fatigue"),
    Effect.OTHER: N_("other symptoms"),
}
SEVERITY_LABELS = {
    Severity.MILD: N_("Mild"),
    Severity.MODERATE: N_("Moderate"),
    Severity.SEVERE: N_("Severe"),
}
MEASURE_QUESTIONS = {
    Measure.PAIN: N_("Over the past week, how bad was your pain? 0 = none, 10 = worst"),
    Measure.SLEEP: N_("How well did you sleep this past week? 0 = very badly, 10 = very well"),
    Measure.FATIGUE: N_("How tired have you felt this week? 0 = not at all, 10 = exhausted"),
    Measure.MOOD: N_("How has your mood been this week? 0 = very low, 10 = very good"),
    Measure.FOG: N_("How foggy has your thinking been (fibro fog)? 0 = clear, 10 = very foggy"),
}
MEASURE_NAMES = {
    Measure.PAIN: N_("pain"),
    Measure.SLEEP: N_("sleep"),
    Measure.FATIGUE: N_("fatigue"),
    Measure.MOOD: N_("mood"),
    Measure.FOG: N_("fibro fog"),
}


def effect_label(effect: Effect) -> str:
    return _(EFFECT_LABELS[effect])


def effect_name(effect: Effect) -> str:
    return _(EFFECT_NAMES[effect])


def severity_label(level: Severity) -> str:
    return _(SEVERITY_LABELS[level])


def _names(effects: Iterable[Effect]) -> str:
    """ "headache and upset stomach" / "Kopfschmerzen und Magenbeschwerden"."""
    return format_list([effect_name(e) for e in effects], locale=current())


# The check-in --------------------------------------------------------------------------------


def question() -> str:
    return _("☀️ Good morning! How was last night? Tap anything you noticed, then Done.")


def none_button() -> str:
    return _("👍 None of these")


def done_button() -> str:
    return _("✅ Done")


def chosen(effects: Iterable[Effect]) -> str:
    """The answer shown under the question once it is answered."""
    labels = [effect_label(e) for e in effects]
    return ", ".join(labels) if labels else none_button()


def how_bad(effect: Effect) -> str:
    return _("{effect} — how bad was it?").format(effect=effect_label(effect))


def ask_other(limit: int) -> str:
    return _("In a few words, what was it? (up to {limit} characters)").format(limit=limit)


def other_too_long(limit: int) -> str:
    return _("Please keep it short — up to {limit} characters.").format(limit=limit)


def thanks() -> str:
    return _("Thanks — noted.")


def thanks_none() -> str:
    return _("Glad to hear it — noted. 🌼")


def closed() -> str:
    return _("That check-in has closed. Send /checkin to tell me about today.")


def nothing_yet() -> str:
    """/checkin before the first dose is taken."""
    return _(
        "Nothing to report yet — check-ins start the morning after your first dose. "
        "I'll ask you then."
    )


def not_active() -> str:
    return _("Check-ins start once your reminders are set up. Send /start.")


def severe_advice(effects: Iterable[Effect]) -> str:
    return _(
        "I'm sorry last night was so hard ({effects}). Please contact your prescriber today "
        "about it. If it feels like an emergency, seek medical care now."
    ).format(effects=_names(effects))


def suggestion(effect: Effect, kind: Suggestion) -> str:
    if kind is Suggestion.MORNING_OR_LOWER:
        options = _("taking your dose in the morning instead, or a lower dose")
    else:
        options = _("slowing the steps of your plan, or a lower dose")
    return _(
        "On most mornings lately you've noted: {effect}. It often settles, but it's worth "
        "talking to your prescriber — for example about {options}. Please don't change your "
        "dose on your own. I'll hold your next step-up until it eases."
    ).format(effect=effect_name(effect), options=options)


def held(effects: Iterable[Effect]) -> str:
    """Under tonight's reminder while a side-effect episode holds the plan's next step."""
    return _(
        "Your next step-up is on hold while these continue: {effects}. "
        "Talk it over with your prescriber."
    ).format(effects=_names(effects))


# Urgent answers --------------------------------------------------------------------------------


def urgent(sign: Urgency) -> str:
    if sign is Urgency.ALLERGY:
        return _(
            "⚠️ A rash, swelling or trouble breathing can be an allergic reaction. "
            "Please seek medical care now — call your local emergency number if breathing is "
            "hard — and tell them you take naltrexone (LDN)."
        )
    if sign is Urgency.LIVER:
        return _(
            "⚠️ Yellow skin or eyes, or dark urine, can be a sign of liver trouble. "
            "Please seek medical care now and tell them you take naltrexone (LDN)."
        )
    return _(
        "⚠️ LDN must not be combined with opioids such as tramadol, codeine or oxycodone: it "
        "blocks them and can cause sudden withdrawal. Please talk to your prescriber or "
        "pharmacist before taking both."
    )


# Benefit ratings -------------------------------------------------------------------------------


def measure_question(measure: Measure) -> str:
    return _(MEASURE_QUESTIONS[measure])


def baseline_offer() -> str:
    return _(
        "One more thing: would you rate how you feel now, before your first dose? "
        "It's 5 quick taps and lets me show you the change later."
    )


def baseline_yes() -> str:
    return _("Yes, rate now")


def baseline_later() -> str:
    return _("Later")


def baseline_later_ok() -> str:
    return _("No problem — I'll ask in a week.")


def weekly_intro() -> str:
    return _("And your weekly check of how LDN is helping (5 quick taps):")


def rating_answered() -> str:
    return _("You've already answered that one — thank you.")


def benefits_thanks() -> str:
    return _("Thanks!")


def trend(change: Change) -> str:
    if change.improved:
        return _("better")
    return _("same") if change.delta == 0 else _("worse")


def benefits_summary(week: int, changes: Iterable[Change] | None) -> str:
    """The week on LDN and, from week 8, each measure then and now."""
    if changes is None:
        return _(
            "You're in week {week}. LDN usually takes 2 to 8 weeks to show its effects, so I "
            "won't judge yet — from week 8 I'll show you the change since you started."
        ).format(week=week)
    lines = [_("Week {week} compared with when you started:").format(week=week)]
    for change in changes:
        lines.append(
            _("• {measure}: {before} → {now} ({trend})").format(
                measure=_(MEASURE_NAMES[change.measure]),
                before=change.baseline,
                now=change.latest,
                trend=trend(change),
            )
        )
    lines.append(_("Share this with your prescriber when you next talk."))
    return "\n".join(lines)


def benefits_done(week: int, changes: Iterable[Change] | None) -> str:
    return benefits_thanks() + " " + benefits_summary(week, changes)
