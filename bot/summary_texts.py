"""Words a caregiver reads about the person they follow (summaries, alerts, /summary), and the
patient's "Sam saw this".

Written for the caregiver, about the patient by the first name the patient gave. Only codes and
numbers come in (``titration.care_summary``): never anything the patient typed. What a scope
does not share is simply not there, so "adherence only" carries no side-effect or benefit word.
"""

from __future__ import annotations

from html import escape

from bot.checkin_texts import EFFECT_NAMES, MEASURE_NAMES
from bot.i18n import N_, _, day, mg, ngettext
from titration.care_summary import CareKind, Held, PlanState, Summary
from titration.caregiving import SummaryCadence
from titration.record import Adherence
from titration.side_effects import Effect

SIGN_NAMES = {
    "allergy": N_("signs of an allergic reaction"),
    "liver": N_("signs of liver trouble"),
    "opioid": N_("an opioid"),
}
TOPICS = {
    CareKind.MISSED: N_("missed doses"),
    CareKind.SUGGESTION: N_("a side effect that keeps coming back"),
    CareKind.SEVERE: N_("a severe side effect"),
    CareKind.URGENT: N_("an urgent sign"),
    CareKind.OPIOID: N_("an opioid"),
}


def _effects(effects: tuple[Effect, ...]) -> str:
    return ", ".join(_(EFFECT_NAMES[e]) for e in effects)


# The summary ----------------------------------------------------------------------------------


def summary(name: str, s: Summary, cadence: SummaryCadence = SummaryCadence.WEEKLY) -> str:
    """The whole summary, as one short message (it fits a photo's caption)."""
    who = escape(name)
    if cadence is SummaryCadence.DAILY or s.first == s.last:
        title = _("📋 <b>{name}'s LDN</b>, night of {day}").format(name=who, day=day(s.last))
    else:
        title = _("📋 <b>{name}'s LDN</b>, {first} – {last}").format(
            name=who, first=day(s.first), last=day(s.last)
        )
    lines = [title, doses(s.adherence), *plan(who, s.plan)]
    if s.scope.shows_effects:
        lines.extend(effects(s))
    return "\n".join(lines)


def doses(a: Adherence) -> str:
    if a.scheduled == 0:
        return _("No nights to count yet.")
    taken = ngettext(
        "Doses: {taken} of {nights} night taken ({percent}%)",
        "Doses: {taken} of {nights} nights taken ({percent}%)",
        a.scheduled,
    ).format(taken=a.taken, nights=a.scheduled, percent=a.percent)
    detail = _("{on_time} on time, {late} late, {skipped} skipped, {missed} missed.").format(
        on_time=a.on_time, late=a.late, skipped=a.skipped, missed=a.missed
    )
    return f"{taken} — {detail}"


def plan(who: str, p: PlanState) -> list[str]:
    if p.current_mg is None:
        return [_("No dose set yet.")]
    if p.next_mg is None:
        return [
            _("Dose now: <b>{dose}</b> — the target dose is reached.").format(dose=mg(p.current_mg))
        ]
    lines = [
        _("Dose now: <b>{dose}</b> (plan target {target}).").format(
            dose=mg(p.current_mg), target=mg(p.target_mg or p.current_mg)
        )
    ]
    nxt = mg(p.next_mg)
    if p.held is Held.SIDE_EFFECT:
        lines.append(
            _("Next step, {dose}, is on hold while a side effect settles.").format(dose=nxt)
        )
    elif p.held is Held.WAITING:
        lines.append(_("Next step, {dose}, is on hold for now.").format(dose=nxt))
    elif p.held is Held.BY_PATIENT:
        lines.append(
            _("Next step, {dose}: {name} chose to stay at this dose for now.").format(
                dose=nxt, name=who
            )
        )
    elif p.held is Held.OFFERED:
        lines.append(_("Next step, {dose}, is offered; {name} decides.").format(dose=nxt, name=who))
    elif p.nights_until_step:
        lines.append(
            ngettext(
                "Next step: {dose} after {count} more night taken.",
                "Next step: {dose} after {count} more nights taken.",
                p.nights_until_step,
            ).format(dose=nxt, count=p.nights_until_step)
        )
    else:
        lines.append(_("Next step: {dose}, due now.").format(dose=nxt))
    return lines


def effects(s: Summary) -> list[str]:
    """Side effects, suggestions and benefits: a full scope only."""
    lines = []
    if s.persistent:
        lines.append(
            _("Side effects that keep coming back: {effects}.").format(
                effects=_effects(s.persistent)
            )
        )
    else:
        lines.append(_("No side effect keeps coming back."))
    if s.suggestions:
        lines.append(
            _("I suggested talking to the prescriber about: {effects}.").format(
                effects=_effects(s.suggestions)
            )
        )
    if s.benefits is None:
        lines.append(_("Benefits: too early to judge — LDN usually takes 2–8 weeks."))
    elif s.benefits:
        parts = [
            _("{measure} {before} → {now}").format(
                measure=_(MEASURE_NAMES[c.measure]), before=c.baseline, now=c.latest
            )
            for c in s.benefits
        ]
        lines.append(
            _("Benefits since the start (0–10): {changes}.").format(changes=", ".join(parts))
        )
    return lines


# Alerts ---------------------------------------------------------------------------------------


def alert(
    kind: CareKind, name: str, detail: str | None, nights: int | None, since: str | None
) -> str:
    who = escape(name)
    if kind is CareKind.MISSED:
        count = nights or 0
        return ngettext(
            "⚠️ {name} has not taken LDN for {count} night in a row (since {day}). A kind "
            "word may help. A missed dose is simply skipped, never doubled.",
            "⚠️ {name} has not taken LDN for {count} nights in a row (since {day}). A kind "
            "word may help. A missed dose is simply skipped, never doubled.",
            count,
        ).format(name=who, count=count, day=since or "")
    effect = _(EFFECT_NAMES[Effect(detail)]) if detail in set(Effect) else ""
    if kind is CareKind.SUGGESTION:
        return _(
            "💬 {name}'s side effect ({effect}) keeps coming back. I suggested talking it over "
            "with the prescriber."
        ).format(name=who, effect=effect)
    if kind is CareKind.SEVERE:
        return _(
            "⚠️ {name} reported a severe side effect ({effect}). I advised contacting the "
            "prescriber today."
        ).format(name=who, effect=effect)
    if kind is CareKind.URGENT:
        sign = _(SIGN_NAMES[detail]) if detail in SIGN_NAMES else _("an urgent sign")
        return _("🚨 {name} wrote of {sign}. I told them to seek medical care now.").format(
            name=who, sign=sign
        )
    return _(
        "🚨 {name} may have taken an opioid. I explained what that means with LDN and advised "
        "talking to the prescriber."
    ).format(name=who)


def acknowledge_button() -> str:
    return _("👍 Acknowledge")


def acknowledged(name: str) -> str:
    return _("👍 Thank you — I let {name} know you saw this.").format(name=escape(name))


def already_acknowledged() -> str:
    return _("You acknowledged this already.")


def seen_by(caregiver: str, kind: CareKind) -> str:
    """To the patient: the caregiver saw the alert about them."""
    return _("💬 {name} saw this: my message about {topic}.").format(
        name=escape(caregiver), topic=_(TOPICS[kind])
    )


# /summary ---------------------------------------------------------------------------------------


def choose_patient() -> str:
    return _("Whose summary would you like to see?")


def nobody() -> str:
    return _(
        "You don't follow anyone's LDN here yet. When someone invites you, their link brings "
        "you here."
    )
