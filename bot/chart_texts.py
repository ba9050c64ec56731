"""Words of the chart (``bot.charts``): its panel titles and legends in the current language.

``chart_labels()`` reads the language set for this update (``bot.i18n.use``) and returns a plain
``ChartLabels`` value, so the drawing itself can run in a worker thread or process. The names of
effects, severities and measures are the check-in's own (``bot.checkin_texts``).
"""

from __future__ import annotations

from bot.charts import ChartLabels
from bot.checkin_texts import EFFECT_NAMES, MEASURE_NAMES, SEVERITY_LABELS
from bot.i18n import _, current
from titration.benefits import Measure
from titration.side_effects import Effect, Severity


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def chart_labels() -> ChartLabels:
    """Every word of the chart, in the language of the person it is for."""
    return ChartLabels(
        language=current(),
        dose=_("Dose (mg)"),
        nights=_("Nights"),
        taken=_("Taken"),
        late=_("Taken late"),
        skipped=_("Skipped"),
        missed=_("Missed"),
        side_effects=_("Side effects"),
        severities=(
            _(SEVERITY_LABELS[Severity.MILD]),
            _(SEVERITY_LABELS[Severity.MODERATE]),
            _(SEVERITY_LABELS[Severity.SEVERE]),
        ),
        effects=tuple((e, _capitalised(_(EFFECT_NAMES[e]))) for e in Effect),
        benefits=_("Weekly ratings (0–10)"),
        measures=tuple((m, _capitalised(_(MEASURE_NAMES[m]))) for m in Measure),
        nothing_recorded=_("Nothing recorded in this period yet."),
        no_side_effects=_("No side effects noted."),
    )
