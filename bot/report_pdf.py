"""The doctor report as a PDF (fpdf2): the plan and its steps, adherence, side effects per step
with their persistence episodes and the bot's suggestions, the benefit ratings, and a note on
where the data comes from. At most two A4 pages for three months.

The text is set in DejaVu Sans, the TrueType font matplotlib ships (found through
``matplotlib.get_data_path()``), embedded as a subset so umlauts and dashes print right in every
language. The chart is the shared renderer's (``bot.charts``), passed in as a PNG. This module is
imported only when a report is made, off the event loop.
"""

from __future__ import annotations

import io
from collections import Counter
from functools import cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from bot import export_texts as words
from bot.checkin_texts import MEASURE_NAMES, effect_name, severity_label
from bot.i18n import _, current, mg
from care.exports import ReportData
from titration.benefits import Measure
from titration.episodes import Episode
from titration.side_effects import Effect, Severity, suggestion_for
from titration.steps import StepSpan, spans

FONT = "DejaVu"
BODY, SMALL, HEADING = 9.5, 8, 12
LINE = 5.0  # mm per line of body text
STEPS_PER_TABLE = 7  # dose steps side by side in the side-effect table (more: another table)
EFFECT_COLUMN = 38.0  # mm for the effect names
CHART_WIDTH = 125.0  # mm: the chart's 1000 px wide, its 23 px text about 8 pt


@cache
def font_files() -> tuple[Path, Path]:
    """DejaVu Sans, regular and bold, from matplotlib's own fonts (nothing committed here)."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"


class _Report(FPDF):
    def footer(self) -> None:
        """ "LDN Companion · patient-reported · page 2" at the foot of every page."""
        self.set_y(-12)
        self.set_font(FONT, size=SMALL)
        self.set_text_color(110)
        self.cell(0, 6, words.page(self.page_no()), align="C")


def render(data: ReportData, chart: bytes | None = None) -> bytes:
    """The report as PDF bytes; ``chart``: the record's chart (``bot.charts``, a PNG) to place
    after the figures."""
    pdf = _Report(format="A4")
    pdf.set_margins(16, 14, 16)
    pdf.set_auto_page_break(True, margin=16)
    regular, bold = font_files()
    pdf.add_font(FONT, "", str(regular))
    pdf.add_font(FONT, "B", str(bold))
    pdf.set_title(words.title())
    pdf.set_lang(current())
    pdf.set_creator("LDN Companion")
    pdf.add_page()
    _head(pdf, data)
    _plan(pdf, data)
    _adherence(pdf, data)
    _effects(pdf, data)
    _benefits(pdf, data)
    if chart is not None:
        pdf.ln(3)
        x = pdf.l_margin + (pdf.epw - CHART_WIDTH) / 2
        pdf.image(io.BytesIO(chart), x=x, w=CHART_WIDTH, alt_text=words.chart_alt())
    _note(pdf)
    return bytes(pdf.output())


def _text(pdf: FPDF, text: str, *, size: float = BODY, bold: bool = False) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.multi_cell(
        0,
        LINE if size <= BODY else LINE + 1.5,
        text,
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(2.5)
    _text(pdf, text, size=HEADING, bold=True)
    pdf.ln(0.5)


def _table(
    pdf: FPDF,
    head: list[str],
    rows: list[list[str]],
    widths: tuple[float, ...],
    *,
    size: float = BODY,
    width: float | None = None,
) -> None:
    """A table with a shaded heading row; ``widths`` are relative unless ``width`` (mm) is
    given, when they are in mm and the table is that wide."""
    pdf.set_font(FONT, size=size)
    with pdf.table(
        col_widths=widths,
        width=width if width is not None else pdf.epw,
        align="LEFT",
        text_align="LEFT",
        line_height=LINE * size / BODY,
        first_row_as_headings=True,
        headings_style=_headings_style(),
        padding=0.8,
    ) as table:
        for values in [head, *rows]:
            row = table.row()
            for value in values:
                row.cell(value)


@cache
def _headings_style() -> FontFace:
    return FontFace(emphasis="BOLD", fill_color=(232, 236, 240))


def _head(pdf: FPDF, data: ReportData) -> None:
    rec = data.record
    _text(pdf, words.title(), size=16, bold=True)
    today = data.made_at.astimezone(rec.zone).date()
    _text(pdf, words.made(rec.first, rec.last, today, rec.zone.key), size=SMALL)


def _plan(pdf: FPDF, data: ReportData) -> None:
    rec = data.record
    _heading(pdf, words.plan_heading())
    plan = rec.plan
    if plan is None:
        _text(pdf, words.no_plan())
    else:
        _text(
            pdf,
            words.plan_line(
                mg(plan.start_mg),
                mg(plan.step_mg),
                plan.interval_days,
                mg(plan.target_mg),
                morning=data.morning,
            ),
        )
    rows = [
        [
            mg(span.step.dose_mg),
            words.long_day(span.first),
            words.until_now() if span.ongoing else words.long_day(span.last),
            words.reason(span.step.reason),
            words.taken_of(span.adherence.taken, span.adherence.scheduled),
        ]
        for span in spans(rec)
    ]
    pdf.ln(1)
    _table(pdf, words.step_columns(), rows, (14, 22, 22, 26, 16))


def _adherence(pdf: FPDF, data: ReportData) -> None:
    _heading(pdf, words.adherence_heading())
    rows = [[label, value] for label, value in words.adherence_rows(data.record.adherence)]
    _table(pdf, ["", ""], rows, (70, 30))


def _effects(pdf: FPDF, data: ReportData) -> None:
    _heading(pdf, words.effects_heading())
    steps = [span for span in spans(data.record) if span.checkins]
    if not steps:
        _text(pdf, words.no_checkins())
    for part in range(0, len(steps), STEPS_PER_TABLE):
        chunk = steps[part : part + STEPS_PER_TABLE]
        head = [words.dose_column(), *(mg(span.step.dose_mg) for span in chunk)]
        rows = [[words.checkins_column(), *(str(len(span.checkins)) for span in chunk)]]
        cells = [_effect_cells(span) for span in chunk]
        rows += [
            [_capitalised(effect_name(effect)), *(column[index] for column in cells)]
            for index, effect in enumerate(Effect)
        ]
        width = (pdf.epw - EFFECT_COLUMN) / STEPS_PER_TABLE
        widths = (EFFECT_COLUMN, *(width,) * len(chunk))
        _table(pdf, head, rows, widths, size=SMALL, width=min(sum(widths), pdf.epw))
    if steps:
        _text(pdf, words.effects_legend(), size=SMALL)
    _heading(pdf, words.episodes_heading())
    lines = [_episode(data, episode) for episode in data.episodes]
    for suggestion in data.record.suggestions:
        on = suggestion.sent_at.astimezone(data.record.zone).date()
        name = effect_name(suggestion.effect)
        if suggestion.kind == "severe":
            lines.append(words.advised(on, name))
        else:
            lines.append(words.suggested(suggestion_for(suggestion.effect), on, name))
    _text(pdf, "\n".join(f"• {line}" for line in lines) if lines else words.no_episodes())


def _episode(data: ReportData, episode: Episode) -> str:
    dose = data.record.dose_on(episode.start)
    name, at = effect_name(episode.effect), mg(dose) if dose is not None else "–"
    if episode.end is None:
        return words.episode_open(name, at, episode.start)
    return words.episode_closed(name, at, episode.start, episode.end)


def _effect_cells(span: StepSpan) -> list[str]:
    """Per effect: on how many mornings of the step it was reported, and the worst severity."""
    counts: Counter[Effect] = Counter()
    worst: dict[Effect, Severity] = {}
    for report in span.checkins:
        for effect, level in report.effects.items():
            counts[effect] += 1
            worst[effect] = max(worst.get(effect, level), level)
    return [
        f"{counts[e]} ({severity_label(worst[e]).lower()})" if counts[e] else "–" for e in Effect
    ]


def _benefits(pdf: FPDF, data: ReportData) -> None:
    _heading(pdf, words.benefits_heading())
    found = data.benefits
    if found.latest is None or found.week is None:
        if found.baseline is not None and data.record.first <= found.baseline.day:
            rows = [[_measure(m), str(found.baseline.scores[m]), "–", "–"] for m in Measure]
            _table(pdf, words.benefit_columns(), rows, (40, 20, 20, 20))
        else:
            _text(pdf, words.no_ratings())
        return
    baseline = found.baseline
    _text(
        pdf, words.ratings_dates(baseline.day if baseline else None, found.latest.day, found.week)
    )
    change = {c.measure: c.delta for c in found.changes or ()}
    rows = [
        [
            _measure(m),
            str(baseline.scores[m]) if baseline is not None else "–",
            str(found.latest.scores[m]),
            words.signed(change[m]) if m in change else "–",
        ]
        for m in Measure
    ]
    _table(pdf, words.benefit_columns(), rows, (40, 20, 20, 20))
    if found.changes is None and baseline is not None:
        _text(pdf, words.too_early(found.week), size=SMALL)
    _text(pdf, words.lower_is_better(), size=SMALL)


def _measure(measure: Measure) -> str:
    return _capitalised(_(MEASURE_NAMES[measure]))


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _note(pdf: FPDF) -> None:
    pdf.ln(3)
    pdf.set_text_color(70)
    _text(pdf, words.source_note(), size=SMALL)
    pdf.set_text_color(0)
