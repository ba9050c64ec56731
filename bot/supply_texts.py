"""Words of /supply: what is on hand, about how long it lasts, the questions for a count or a
refill, and the notices after a dose (about 7 days left, the last of it, a count that was empty).

Warm and plain; never suggests changing a dose to stretch a supply. Amounts are counted in
capsules (one per dose) or ml of a liquid (``titration.supply``); numbers per language.
"""

from __future__ import annotations

from decimal import Decimal

from bot.form_texts import ml
from bot.i18n import _, day, mg, ngettext, number
from care.supply import StepAhead, SupplyNote, SupplyView
from titration.supply import REORDER_DAYS, AmountProblem, Notice, SupplyUnit


def amount(value: Decimal, unit: SupplyUnit) -> str:
    """ "30 capsules" / "1 capsule" / "42.5 ml"."""
    if unit is SupplyUnit.ML:
        return ml(value)
    n = int(value)
    return ngettext("{n} capsule", "{n} capsules", n).format(n=number(n))


def days_lasting(n: int) -> str:
    return ngettext("about {n} day", "about {n} days", n).format(n=n)


# /supply ------------------------------------------------------------------------------------


def not_tracked(unit: SupplyUnit) -> str:
    if unit is SupplyUnit.ML:
        what = _(
            "Tell me how many ml of your liquid you have, and I'll count each dose down when you "
            "tap Taken."
        )
    else:
        what = _(
            "Tell me how many capsules you have, and I'll count one down each time you tap Taken "
            "(one capsule per dose)."
        )
    return "\n".join(
        [
            _("📦 <b>Your supply</b> — I'm not counting it yet."),
            what,
            _(
                "When about {n} days are left I'll remind you once, so you can reorder in time. "
                "It's optional, and you can stop any time."
            ).format(n=REORDER_DAYS),
        ]
    )


def start_button() -> str:
    return _("Start counting")


def refill_button(unit: SupplyUnit) -> str:
    if unit is SupplyUnit.ML:
        return _("🧴 I got a new bottle")
    return _("📦 I got a new pack")


def count_button() -> str:
    return _("✏️ Correct the count")


def stop_button() -> str:
    return _("Stop counting")


def shown(view: SupplyView) -> str:
    """/supply while counting: on hand, days at the current dose, and what to do."""
    supply = view.supply
    assert supply is not None
    on_hand = amount(supply.on_hand, supply.unit)
    if view.form_changed:
        return "\n".join(
            [
                _("📦 <b>Your supply</b>: {amount}.").format(amount=on_hand),
                _(
                    "Your LDN's form has changed since, so I've stopped counting it down. Tap "
                    "“Correct the count” to tell me what you have now."
                ),
            ]
        )
    lines = [_("📦 <b>Your supply</b>: {amount}.").format(amount=on_hand)]
    if view.days == 0:
        lines.append(
            _(
                "That's not enough for another dose. You may want to check your supply and "
                "reorder — and never double up on a missed dose."
            )
        )
        return "\n".join(lines)
    each = (
        _("{volume} a day").format(volume=ml(view.per_dose))
        if supply.unit is SupplyUnit.ML
        else _("one capsule a day")
    )
    lines.append(
        _("That's {days} at your current dose ({each}).").format(
            days=days_lasting(view.days), each=each
        )
    )
    if view.step_ahead is not None:
        lines.append(step_note(view.step_ahead, supply.unit, counted=view.counts_step))
    if view.reorder:
        lines.append(_("Time to reorder, so you don't run short."))
    return "\n".join(lines)


def step_note(step: StepAhead, unit: SupplyUnit, *, counted: bool) -> str:
    if unit is SupplyUnit.CAPSULE:
        return _(
            "Your plan steps up to {dose} on {day}: check with your pharmacy that these capsules "
            "fit the new dose."
        ).format(dose=mg(step.dose_mg), day=day(step.day))
    if counted:
        return _(
            "This counts the step up to {dose} on {day} (a bigger dose from then), so it's an "
            "estimate."
        ).format(dose=mg(step.dose_mg), day=day(step.day))
    return _("Your plan steps up to {dose} on {day}, so it's an estimate.").format(
        dose=mg(step.dose_mg), day=day(step.day)
    )


def ask_count(unit: SupplyUnit) -> str:
    if unit is SupplyUnit.ML:
        return _(
            "How many ml of your liquid do you have now? Type a number, for example 30 or 30.5."
        )
    return _("How many capsules do you have now? Type a number, for example 30.")


def ask_refill(unit: SupplyUnit) -> str:
    if unit is SupplyUnit.ML:
        return _("How many ml are in the new bottle? Type a number, for example 100.")
    return _("How many capsules are in the new pack? Type a number, for example 30.")


def saved(view: SupplyView) -> str:
    return _("Saved.") + "\n" + shown(view)


def stopped() -> str:
    return _("OK, I've stopped counting your supply. Send /supply to start again any time.")


def problem(found: AmountProblem, unit: SupplyUnit) -> str:
    """Why a typed amount was not taken; the question stays open."""
    example = _("for example 30.5") if unit is SupplyUnit.ML else _("for example 30")
    if found is AmountProblem.NEGATIVE:
        text = _("An amount can't be below zero. Please type what you have, {example}.")
    elif found is AmountProblem.NOTHING_ADDED:
        text = _("That adds nothing. Please type how much you got, {example}.")
    elif found is AmountProblem.NOT_WHOLE:
        text = _("Please count whole capsules, {example}.")
    elif found is AmountProblem.TOO_MUCH:
        text = _(
            "That's more than I can count as a home supply. Please check the number and type it "
            "again, {example}."
        )
    else:
        text = _("Please type just the number, {example}.")
    return text.format(example=example)


def not_now() -> str:
    return _("That question has closed. Send /supply to see your supply.")


# After a dose -------------------------------------------------------------------------------


def notice(note: SupplyNote) -> str:
    on_hand = amount(note.on_hand, note.unit)
    if note.notice is Notice.REORDER:
        return _(
            "📦 About {days} of LDN left ({amount}) — time to reorder, so you don't run short. "
            "Tap /supply when the new one arrives."
        ).format(days=days_count(note.days), amount=on_hand)
    if note.notice is Notice.RAN_OUT:
        return _(
            "📦 By my count that was the last of your supply. If you still have some, tell me in "
            "/supply; if not, it's time to get more. Never double up on a missed dose."
        )
    return _(
        "📦 By my count your supply was already used up, so you may want to check your supply. "
        "You can update it in /supply."
    )


def days_count(n: int) -> str:
    return ngettext("{n} day", "{n} days", n).format(n=n)
