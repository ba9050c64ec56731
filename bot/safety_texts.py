"""Words of the safety answers: the crisis answer, a double dose, an opioid taken now, and the
confirmation /resume asks for after one. (The allergy, liver and opioid warnings themselves are
in ``bot.checkin_texts.urgent``.)

Tone: calm, kind and clear about what to do now; never a dose change ("take less tomorrow").
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import _, day


def crisis() -> str:
    """Thoughts of suicide or self-harm: this answer alone, before anything else."""
    return "\n\n".join(
        [
            _(
                "💛 I'm really sorry you're feeling this way. You matter, and you don't have to "
                "carry this alone."
            ),
            _(
                "If you might act on these thoughts or you're in danger, please call your "
                "emergency number now: <b>112</b> (Europe), <b>999</b> (UK), <b>911</b> "
                "(US and Canada)."
            ),
            _(
                "You can talk to someone right now, free and in confidence:\n"
                "• Germany: TelefonSeelsorge <b>0800 111 0 111</b> or <b>0800 111 0 222</b>\n"
                "• Austria: <b>142</b> · Switzerland: <b>143</b>\n"
                "• UK and Ireland: Samaritans <b>116 123</b>\n"
                "• US: call or text <b>988</b>\n"
                "• Elsewhere: findahelpline.com"
            ),
            _("If you can, tell someone you trust how you're feeling right now."),
        ]
    )


def double_dose() -> str:
    return "\n".join(
        [
            _(
                "Taking an extra dose by mistake happens. LDN is a low dose, so one extra dose "
                "is unlikely to harm you."
            ),
            _("• Don't take any more today."),
            _("• Take your next dose at the usual time, as usual."),
            _("• Tonight's sleep may be more restless or your dreams more vivid."),
            _(
                "• If you feel unwell, or took more than one extra dose, contact your prescriber "
                "or a pharmacist — or your emergency number if you feel very unwell."
            ),
        ]
    )


def taking_now() -> str:
    """Under the opioid warning."""
    return _("<b>Are you taking it now?</b>")


def taking_yes() -> str:
    return _("Yes")


def taking_no() -> str:
    return _("No, just asking")


def paused_for_opioid() -> str:
    return "\n\n".join(
        [
            _("I've paused your LDN reminders."),
            _(
                "<b>Why:</b> LDN blocks opioids. Taken together, the opioid may stop working "
                "and withdrawal can start suddenly."
            ),
            _(
                "<b>What to do:</b> don't take your next LDN dose for now, and talk to your "
                "prescriber before your next dose. When they say you can go on, send /resume."
            ),
        ]
    )


def still_paused_for_opioid() -> str:
    return _(
        "Your reminders are paused and stay paused. Please talk to your prescriber before your "
        "next LDN dose; when they say you can go on, send /resume."
    )


def opioid_before_start() -> str:
    return _(
        "Then please don't take LDN while you take it, and talk to your prescriber before you "
        "start."
    )


def just_asking() -> str:
    return _(
        "Thanks — nothing changes then. If you're ever prescribed an opioid (or need one for an "
        "operation), tell the doctor first that you take LDN."
    )


def confirm_resume(reported_at: datetime, zone: ZoneInfo) -> str:
    return _(
        "On {day} you told me you were taking an opioid, so I paused your reminders. Before "
        "they start again: has your prescriber said you can take LDN, and are you no longer "
        "taking the opioid?"
    ).format(day=day(reported_at.astimezone(zone).date()))


def resume_yes() -> str:
    return _("Yes, go on")


def resume_not_yet() -> str:
    return _("Not yet")


def stay_paused() -> str:
    return _("OK — your reminders stay paused. Send /resume once your prescriber says it's fine.")
