"""Words of /history's chart: the two-line summary under the picture and the period buttons.

Line one is adherence (``titration.record.adherence``, the one computation) and the current
dose; line two the side effect noted most often and, from week 8, how pain (or the first measure
rated) changed since the start. The text /history (``bot.view_texts``) follows as before.
"""

from __future__ import annotations

from bot.checkin_texts import MEASURE_NAMES, effect_name, trend
from bot.i18n import _, mg, ngettext
from care.views import HistoryChart, HistoryPeriod
from titration.benefits import Change, Measure


def period_button(period: HistoryPeriod) -> str:
    if period.days is None:
        return _("📈 Since the start")
    return ngettext("📈 {n} day", "📈 {n} days", period.days).format(n=period.days)


def _period(period: HistoryPeriod) -> str:
    if period.days is None:
        return _("Since you started")
    return ngettext("Last {n} day", "Last {n} days", period.days).format(n=period.days)


def _nights(chart: HistoryChart) -> str:
    counted = chart.record.adherence
    if not counted.scheduled:
        return _("no nights to count yet")
    taken = ngettext(
        "<b>{taken} of {n}</b> night taken ({percent}%)",
        "<b>{taken} of {n}</b> nights taken ({percent}%)",
        counted.scheduled,
    ).format(taken=counted.taken, n=counted.scheduled, percent=counted.percent)
    if not counted.late:
        return taken
    return _("{taken}, {late} of them late").format(taken=taken, late=counted.late)


def _effects(chart: HistoryChart) -> str:
    if not chart.checkins:
        return _("No check-ins in this period.")
    if chart.most_noted is None:
        return ngettext(
            "No side effects on the {n} check-in.",
            "No side effects on any of the {n} check-ins.",
            chart.checkins,
        ).format(n=chart.checkins)
    noted = chart.most_noted
    return ngettext(
        "Most noted: {effect}, on {count} of {n} check-in.",
        "Most noted: {effect}, on {count} of {n} check-ins.",
        chart.checkins,
    ).format(effect=effect_name(noted.effect), count=noted.mornings, n=chart.checkins)


def _benefit(changes: tuple[Change, ...]) -> str:
    shown = next((c for c in changes if c.measure is Measure.PAIN), changes[0])
    name = _(MEASURE_NAMES[shown.measure])
    return _("{measure}: {before} → {now} since the start ({trend}).").format(
        measure=name[:1].upper() + name[1:],
        before=shown.baseline,
        now=shown.latest,
        trend=trend(shown),
    )


def summary(chart: HistoryChart) -> str:
    """The two lines under the chart."""
    first = _("{period}: {nights}. Now on <b>{dose}</b>.").format(
        period=_period(chart.period), nights=_nights(chart), dose=mg(chart.dose_mg)
    )
    second = _effects(chart)
    benefits = chart.benefits
    if benefits is not None and benefits.changes:
        second = f"{second} {_benefit(benefits.changes)}"
    return f"{first}\n{second}"
