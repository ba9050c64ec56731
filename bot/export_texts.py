"""Words of /export's questions and captions, and of the doctor report (PDF) and the notes inside
the FHIR Bundle.

Every sentence goes through gettext (``bot.i18n``); doses, days and numbers are formatted per
language. The report is read by the prescriber but belongs to the patient: it speaks about the
record plainly ("the patient reported …") and never judges a dose.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from bot.i18n import N_, _, current, ngettext, number, percent
from care.exports import ExportFormat, ExportPeriod
from titration.record import Adherence
from titration.side_effects import Suggestion

# /export's questions --------------------------------------------------------------------------

FORMAT_LABELS = {
    ExportFormat.PDF: N_("📄 Report for my doctor (PDF)"),
    ExportFormat.CSV: N_("📊 Tables (CSV)"),
    ExportFormat.FHIR: N_("🏥 For clinic systems (FHIR)"),
    ExportFormat.JSON: N_("🗂 All my data (JSON)"),
}
FORMAT_NAMES = {
    ExportFormat.PDF: N_("report for your doctor (PDF)"),
    ExportFormat.CSV: N_("tables of your doses, check-ins and ratings (CSV)"),
    ExportFormat.FHIR: N_("file for clinic systems (FHIR)"),
    ExportFormat.JSON: N_("copy of everything I store about you (JSON)"),
}
PERIOD_LABELS = {
    ExportPeriod.RECENT: N_("Last 3 months"),
    ExportPeriod.ALL: N_("Everything"),
}
PERIOD_NAMES = {
    ExportPeriod.RECENT: N_("the last 3 months"),
    ExportPeriod.ALL: N_("everything since your first dose"),
}


def format_label(fmt: ExportFormat) -> str:
    return _(FORMAT_LABELS[fmt])


def period_label(period: ExportPeriod) -> str:
    return _(PERIOD_LABELS[period])


def ask_format() -> str:
    return _("What would you like to take to your doctor? I'll send the file to this chat only.")


def ask_format_no_plan() -> str:
    return _(
        "Once your plan has started I can make a report for your doctor. For now I can send "
        "you a copy of everything I store:"
    )


def ask_period(fmt: ExportFormat) -> str:
    return _("Your {what}: which period?").format(what=_(FORMAT_NAMES[fmt]))


def confirm(fmt: ExportFormat, period: ExportPeriod | None) -> str:
    if period is None:
        return _("I'll send your {what} here, to this chat only. Send it now?").format(
            what=_(FORMAT_NAMES[fmt])
        )
    return _("I'll send your {what} for {period} here, to this chat only. Send it now?").format(
        what=_(FORMAT_NAMES[fmt]), period=_(PERIOD_NAMES[period])
    )


def send() -> str:
    return _("Send")


def cancel() -> str:
    return _("Cancel")


def cancelled() -> str:
    return _("OK, nothing sent.")


def preparing() -> str:
    return _("Preparing your file …")


def sent() -> str:
    return _("Sent to this chat ✅")


# Captions -------------------------------------------------------------------------------------


def span(first: date, last: date) -> str:
    return _("{first} – {last}").format(first=long_day(first), last=long_day(last))


def long_day(d: date) -> str:
    """A day with its year: "5 Dec 2026" / "5. Dez. 2026"."""
    return format_date(d, "d MMM y" if current() == "en" else "d. MMM y", locale=current())


def report_caption(first: date, last: date) -> str:
    return _("Your report for your doctor, {span}.").format(span=span(first, last))


def tables_caption(first: date, last: date) -> str:
    return _("Your doses, check-ins and ratings, {span}.").format(span=span(first, last))


def fhir_caption(first: date, last: date) -> str:
    return _("Your record for a clinic system (FHIR R4), {span}.").format(span=span(first, last))


def adherence_line(figures: Adherence) -> str:
    """ "Nights taken: 40 of 44 (91%) · on time 35 · late 5 · skipped 2 · missed 2"."""
    if figures.percent is None:
        return _("No nights to count yet.")
    return ngettext(
        "Nights taken: {taken} of {n} ({percent}%) · on time {on_time} · late {late} · "
        "skipped {skipped} · missed {missed}",
        "Nights taken: {taken} of {n} ({percent}%) · on time {on_time} · late {late} · "
        "skipped {skipped} · missed {missed}",
        figures.scheduled,
    ).format(
        taken=figures.taken,
        n=figures.scheduled,
        percent=figures.percent,
        on_time=figures.on_time,
        late=figures.late,
        skipped=figures.skipped,
        missed=figures.missed,
    )


# The doctor report ----------------------------------------------------------------------------


def title() -> str:
    return _("LDN report for the prescriber")


def made(first: date, last: date, today: date, zone: str) -> str:
    return _("Period {span} · made on {today} · times in {zone}").format(
        span=span(first, last), today=long_day(today), zone=zone
    )


def plan_heading() -> str:
    return _("Plan and dose steps")


def plan_line(start: str, step: str, interval: int, target: str, *, morning: bool = False) -> str:
    if morning:
        return ngettext(
            "Plan: start at {start}, up {step} every {n} day, to {target}; taken in the morning.",
            "Plan: start at {start}, up {step} every {n} days, to {target}; taken in the morning.",
            interval,
        ).format(start=start, step=step, n=interval, target=target)
    return ngettext(
        "Plan: start at {start}, up {step} every {n} day, to {target}; taken at bedtime.",
        "Plan: start at {start}, up {step} every {n} days, to {target}; taken at bedtime.",
        interval,
    ).format(start=start, step=step, n=interval, target=target)


def no_plan() -> str:
    return _("No plan stored.")


STEP_COLUMNS = (N_("Dose"), N_("From"), N_("To"), N_("Why"), N_("Nights taken"))
REASONS = {
    "plan_start": N_("start of the plan"),
    "step_up": N_("step up (agreed)"),
}


def step_columns() -> list[str]:
    return [_(c) for c in STEP_COLUMNS]


def reason(code: str) -> str:
    return _(REASONS[code]) if code in REASONS else code


def until_now() -> str:
    return _("now")


def taken_of(taken: int, scheduled: int) -> str:
    return _("{taken} of {n}").format(taken=taken, n=scheduled)


def adherence_heading() -> str:
    return _("Adherence (scheduled nights in the period)")


def adherence_rows(figures: Adherence) -> list[tuple[str, str]]:
    shown = percent(figures.percent) if figures.percent is not None else "–"
    return [
        (_("Scheduled nights"), str(figures.scheduled)),
        (_("Taken"), f"{figures.taken} ({shown})"),
        (_("… on time (within 30 min of the reminder)"), str(figures.on_time)),
        (_("… late (more than 30 min after it)"), str(figures.late)),
        (_("Skipped"), str(figures.skipped)),
        (_("Missed"), str(figures.missed)),
    ]


def effects_heading() -> str:
    return _("Side effects per dose step")


def dose_column() -> str:
    return _("Dose")


def checkins_column() -> str:
    return _("Check-ins")


def effects_legend() -> str:
    return _(
        "Per dose step: on how many morning check-ins each effect was reported, and the worst "
        "severity (mild, moderate, severe)."
    )


def no_checkins() -> str:
    return _("No morning check-ins in this period.")


def episodes_heading() -> str:
    return _("Persistent side effects and what the bot suggested")


def episode_closed(effect: str, dose: str, start: date, end: date) -> str:
    return _("{effect} at {dose}: persistent from {start} to {end}").format(
        effect=effect, dose=dose, start=long_day(start), end=long_day(end)
    )


def episode_open(effect: str, dose: str, start: date) -> str:
    return _("{effect} at {dose}: persistent since {start}, still ongoing").format(
        effect=effect, dose=dose, start=long_day(start)
    )


def no_episodes() -> str:
    return _("No side effect was persistent in this period.")


SUGGESTED = {
    Suggestion.MORNING_OR_LOWER: N_(
        "{day}: suggested discussing a morning dose or a lower dose ({effect})"
    ),
    Suggestion.SLOWER_OR_LOWER: N_(
        "{day}: suggested discussing slower steps or a lower dose ({effect})"
    ),
}


def suggested(kind: Suggestion, on: date, effect: str) -> str:
    return _(SUGGESTED[kind]).format(day=long_day(on), effect=effect)


def advised(on: date, effect: str) -> str:
    return _(
        "{day}: reported as severe; advised contacting the prescriber that day ({effect})"
    ).format(day=long_day(on), effect=effect)


def benefits_heading() -> str:
    return _("Benefit ratings (0–10)")


BENEFIT_COLUMNS = (N_("Measure"), N_("Baseline"), N_("Latest"), N_("Change"))


def benefit_columns() -> list[str]:
    return [_(c) for c in BENEFIT_COLUMNS]


def ratings_dates(baseline: date | None, latest: date, week: int) -> str:
    if baseline is None:
        return _("Latest rating {latest}, week {week} on LDN; no baseline to compare with.").format(
            latest=long_day(latest), week=week
        )
    return _("Baseline {baseline}; latest rating {latest}, week {week} on LDN.").format(
        baseline=long_day(baseline), latest=long_day(latest), week=week
    )


def too_early(week: int) -> str:
    return _(
        "Week {week} on LDN: too early to judge a change (effects usually show within 2–8 "
        "weeks); the change is shown from week 8."
    ).format(week=week)


def lower_is_better() -> str:
    return _(
        "Lower is better for pain, fatigue and fibro fog; higher is better for sleep and mood."
    )


def no_ratings() -> str:
    return _("No benefit ratings in this period.")


def signed(delta: int) -> str:
    return f"{delta:+d}" if delta else number(0)


def chart_alt() -> str:
    return _(
        "Chart of the period: the dose steps, each night (taken, late, skipped, missed), side "
        "effects by severity and the weekly ratings."
    )


def source_note() -> str:
    return _(
        "All data here is reported by the patient in the LDN Companion Telegram bot; no clinician "
        "checked it. Not from a validated instrument: the side-effect items, graded mild, "
        "moderate or severe in the style of PRO-CTCAE (vivid dreams is a custom item), and the "
        "0–10 ratings of sleep, fatigue, mood and fibro fog. Pain is rated on a 0–10 numeric "
        "rating scale."
    )


def page(number_: int) -> str:
    return _("LDN Companion · patient-reported · page {page}").format(page=number_)


# Inside the FHIR Bundle -----------------------------------------------------------------------


def fhir_reported() -> str:
    return _("Patient-reported in the LDN Companion Telegram bot.")


def fhir_custom_item() -> str:
    return _("A custom item, not from a validated instrument.")


def fhir_dreams() -> str:
    return _("Vivid dreams is a custom item, not from a validated instrument.")


def fhir_plan(plan_line_: str) -> str:
    return _("Low-dose naltrexone, titration plan. {plan}").format(plan=plan_line_)


def fhir_late(minutes: int) -> str:
    return ngettext(
        "Confirmed {n} minute after the reminder.",
        "Confirmed {n} minutes after the reminder.",
        minutes,
    ).format(n=minutes)
