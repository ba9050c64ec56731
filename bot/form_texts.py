"""Words of the dose form (capsule, tablet or liquid) and the dose time (bedtime or morning) in
/settings, and the liquid dose in ml under reminders and /plan.

Every sentence goes through gettext (``bot.i18n``); numbers are formatted per language.
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from bot.i18n import N_, _, clock_time, mg, number
from titration.dose_form import (
    MAX_MG_PER_ML,
    MAX_ML,
    MIN_MG_PER_ML,
    MIN_ML,
    DoseForm,
    FormProblem,
    volume,
)

FORM_NAMES = {
    DoseForm.CAPSULE: N_("Capsules"),
    DoseForm.TABLET: N_("Tablets"),
    DoseForm.LIQUID: N_("Liquid"),
}


def ml(value: Decimal) -> str:
    """ "0.5 ml" ("0,5 ml" in German), to two decimals at most."""
    return _("{n} ml").format(n=number(value))


def concentration(mg_per_ml: Decimal) -> str:
    return _("{n} mg/ml").format(n=number(mg_per_ml))


def liquid_dose(dose_mg: Decimal, mg_per_ml: Decimal) -> str:
    """ "0.5 mg = 0.5 ml of your 1 mg/ml liquid", with a pharmacist note for an odd volume."""
    measured = volume(dose_mg, mg_per_ml)
    text = _("{dose} = {volume} of your {strength} liquid").format(
        dose=mg(dose_mg), volume=ml(measured.ml), strength=concentration(mg_per_ml)
    )
    if measured.unusual:
        text += "\n" + _(
            "⚠️ That volume is unusual (below {low} or above {high}): please check it with your "
            "pharmacist before you take it."
        ).format(low=ml(MIN_ML), high=ml(MAX_ML))
    return text


def liquid_hint() -> str:
    """Under "All set": where a liquid's strength is told."""
    return _(
        "Is your LDN a liquid? Tell me its strength in /settings and I'll show each dose in ml."
    )


# /settings: the dose form ---------------------------------------------------------------------


def form_button() -> str:
    return _("💊 Capsule or liquid")


def ask_form() -> str:
    return _("What form is your LDN?")


def form_name(form: DoseForm) -> str:
    return _(FORM_NAMES[form])


def ask_concentration() -> str:
    return _(
        "How strong is your liquid, in mg per ml? It's on the pharmacy label, "
        "for example 1 mg/ml. Type the number."
    )


def form_problem(problem: FormProblem) -> str:
    if problem is FormProblem.CONCENTRATION_OUT_OF_RANGE:
        return _(
            "That concentration looks unusual: LDN liquids are usually between {low} and {high}. "
            "Please check the label and type it again, or ask your pharmacist."
        ).format(low=concentration(MIN_MG_PER_ML), high=concentration(MAX_MG_PER_ML))
    return _("Please type the concentration as a number, for example 1 or 0.5 (mg per ml).")


def form_saved(form: DoseForm, mg_per_ml: Decimal | None, dose_mg: Decimal | None) -> str:
    if form is DoseForm.LIQUID and mg_per_ml is not None:
        text = _("Saved: a liquid of {strength}.").format(strength=concentration(mg_per_ml))
        if dose_mg is not None:
            text += "\n" + liquid_dose(dose_mg, mg_per_ml)
        return text
    return _("Saved: {form}, counted in mg.").format(form=form_name(form))


# /settings: when the dose is taken -----------------------------------------------------------


def dose_time_button() -> str:
    return _("🌅 Morning or bedtime")


def ask_dose_time() -> str:
    return _(
        "When do you take LDN? Some people move it to the morning when sleep is disturbed — "
        "only change this if that's what you and your prescriber agreed."
    )


def at_bedtime_button() -> str:
    return _("🌙 At bedtime")


def in_the_morning_button() -> str:
    return _("☀️ In the morning")


def ask_morning_time() -> str:
    return _("What time in the morning do you take it? Tap one or type a time like 08:00.")


def not_morning(at: time) -> str:
    return _(
        "{time} isn't in the morning. Please pick a time between 04:00 and 12:00, like 08:00."
    ).format(time=clock_time(at))


def dose_time_saved(morning: time | None) -> str:
    if morning is None:
        return _("Saved: you take LDN at bedtime. Reminders say “tonight” again.")
    return _(
        "Saved: you take LDN in the morning at {time}. Your check-in still asks how last night was."
    ).format(time=clock_time(morning))
