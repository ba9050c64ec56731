"""Words for check-ins, benefit ratings, suggestions and urgent answers (see bot.texts for tone)."""

from __future__ import annotations

from titration.benefits import Change, Measure
from titration.side_effects import Effect, Severity, Suggestion
from titration.urgent import Urgency

EFFECT_LABELS = {
    Effect.DREAMS: "😴 Vivid dreams",
    Effect.INSOMNIA: "🌙 Trouble sleeping",
    Effect.HEADACHE: "🤕 Headache",
    Effect.STOMACH: "🤢 Upset stomach",
    Effect.PAIN_FATIGUE: "😣 More pain or fatigue",
    Effect.OTHER: "✏️ Something else",
}
EFFECT_WORDS = {
    Effect.DREAMS: "vivid dreams",
    Effect.INSOMNIA: "trouble sleeping",
    Effect.HEADACHE: "headaches",
    Effect.STOMACH: "upset stomach",
    Effect.PAIN_FATIGUE: "more pain or fatigue",
    Effect.OTHER: "the other symptom you mentioned",
}
SEVERITY_LABELS = {Severity.MILD: "Mild", Severity.MODERATE: "Moderate", Severity.SEVERE: "Severe"}

QUESTION = "☀️ Good morning! How was last night? Tap anything you noticed, then Done."
NONE_BUTTON = "👍 None of these"
DONE_BUTTON = "✅ Done"
ASK_OTHER = "In a few words, what was it? (up to 200 characters)"
OTHER_TOO_LONG = "Please keep it short — up to 200 characters."
THANKS_NONE = "Glad to hear it — noted. 🌼"
THANKS = "Thanks — noted."
CLOSED = "That check-in has closed. Send /checkin to tell me about today."
NOT_ACTIVE = "Check-ins start once your reminders are set up. Send /start."


def how_bad(effect: Effect) -> str:
    return f"{EFFECT_LABELS[effect]} — how bad was it?"


def severe_advice(effects: list[Effect]) -> str:
    words = " and ".join(EFFECT_WORDS[e] for e in effects)
    return (
        f"I'm sorry the {words} was so bad. Please contact your prescriber today about it. "
        "If it feels like an emergency, seek medical care now."
    )


def suggestion(effect: Effect, kind: Suggestion) -> str:
    options = (
        "taking your dose in the morning instead, or a lower dose"
        if kind is Suggestion.MORNING_OR_LOWER
        else "slowing the steps of your plan, or a lower dose"
    )
    return (
        f"You've had {EFFECT_WORDS[effect]} on most mornings lately. It often settles, but it's "
        f"worth talking to your prescriber — for example about {options}. "
        "Please don't change your dose on your own. I'll hold your next step-up until it eases."
    )


def held(effects: tuple[Effect, ...]) -> str:
    words = " and ".join(EFFECT_WORDS[e] for e in effects)
    return (
        f"Your next step-up is on hold while {words} continue — talk it over with your prescriber."
    )


URGENT = {
    Urgency.ALLERGY: (
        "⚠️ A rash, swelling or trouble breathing can be an allergic reaction. "
        "Please seek medical care now — call your local emergency number if breathing is hard — "
        "and tell them you take naltrexone (LDN)."
    ),
    Urgency.LIVER: (
        "⚠️ Yellow skin or eyes, or dark urine, can be a sign of liver trouble. "
        "Please seek medical care now and tell them you take naltrexone (LDN)."
    ),
    Urgency.OPIOID: (
        "⚠️ LDN must not be combined with opioids such as tramadol, codeine or oxycodone: it "
        "blocks them and can cause sudden withdrawal. Please talk to your prescriber or "
        "pharmacist before taking both."
    ),
}

MEASURE_QUESTIONS = {
    Measure.PAIN: "Over the past week, how bad was your pain? 0 = none, 10 = worst",
    Measure.SLEEP: "How well did you sleep this past week? 0 = very badly, 10 = very well",
    Measure.FATIGUE: "How tired have you felt this week? 0 = not at all, 10 = exhausted",
    Measure.MOOD: "How has your mood been this week? 0 = very low, 10 = very good",
    Measure.FOG: "How foggy has your thinking been (fibro fog)? 0 = clear, 10 = very foggy",
}
MEASURE_WORDS = {
    Measure.PAIN: "pain",
    Measure.SLEEP: "sleep",
    Measure.FATIGUE: "fatigue",
    Measure.MOOD: "mood",
    Measure.FOG: "fibro fog",
}
BASELINE_OFFER = (
    "One more thing: would you rate how you feel now, before your first dose? "
    "It's 5 quick taps and lets me show you the change later."
)
BASELINE_YES = "Yes, rate now"
BASELINE_LATER = "Later"
BASELINE_LATER_OK = "No problem — I'll ask in a week."
WEEKLY_INTRO = "And your weekly check of how LDN is helping (5 quick taps):"


def benefits_done(week: int, result: list[Change] | None) -> str:
    if result is None:
        return (
            f"Thanks! You're in week {week}. LDN usually takes 2 to 8 weeks to show its effects, "
            "so I won't judge yet — from week 8 I'll show you the change since you started."
        )
    lines = [f"Thanks! Week {week} compared with when you started:"]
    for change in result:
        trend = "better" if change.improved else "same" if change.delta == 0 else "worse"
        lines.append(
            f"• {MEASURE_WORDS[change.measure]}: {change.baseline} → {change.latest} ({trend})"
        )
    lines.append("Share this with your prescriber when you next talk.")
    return "\n".join(lines)


def history_line(dose: str, count: int, effects: dict[Effect, int]) -> str:
    if not effects:
        return f"At {dose}: no side effects on {count} check-ins."
    parts = [f"{EFFECT_WORDS[e]} on {n} of {count}" for e, n in effects.items()]
    return f"At {dose}: " + ", ".join(parts) + "."
