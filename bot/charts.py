"""THE chart of a patient's record (``titration.record.PatientRecord``) as PNG bytes.

One renderer for the patient's /history, the caregivers' summaries and the doctor report: the dose
steps over time, each night (taken on time, late, skipped, missed), a severity strip per side effect
and the benefit scores (0–10) per measure. ``with_health=False`` draws the dose and the nights only
(a caregiver who may see adherence only): no side-effect or benefit panel, name or value. The
numbers behind the picture come from ``bot.chart_data``.

Every word comes in through ``ChartLabels`` (built per language by ``bot.chart_texts``) and dates
are formatted with Babel in ``ChartLabels.language``, so ``render`` is a pure function of its
inputs: safe in a worker thread or process (nothing read from the update's context).

Cost: matplotlib is imported on the first render (never at start-up), with the Agg canvas and no
pyplot (no global figure registry). Each thread keeps one figure per (labels, panels): the title,
dates, legends and axes are a saved background, redrawn only when the period or the dose axis
changes, and a render draws its two strips, a few lines and labels over it (no layout engine,
legend placement or ``tight_layout`` per render), then writes an 8-bit palette PNG. The bot
renders in worker processes of its own (``render_off_loop``); ``render_many`` over
``process_pool`` renders a batch in parallel, one process per core (``benchmarks/charts.py``
measures both).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import math
import os
import threading
from collections.abc import Iterable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from functools import cache
from multiprocessing import get_context
from typing import TYPE_CHECKING, Any

from bot.chart_data import (
    date_ticks,
    days_of,
    dose_steps,
    dose_text,
    effect_rows,
    night_row,
    period_title,
    reported_effects,
    tick_label,
)
from titration.benefits import Measure
from titration.record import PatientRecord
from titration.side_effects import Effect

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.image import AxesImage
    from matplotlib.lines import Line2D
    from matplotlib.text import Text

WIDTH_PX = 1000
DPI = 100  # 1 inch = 100 px: sizes below are in pixels ÷ 100
FULL_HEIGHT_PX = 1150
ADHERENCE_HEIGHT_PX = 490
LEFT_PX, RIGHT_PX = 250, 30  # room for the row names at the left
FONT = 23  # px at DPI 100: about 9 pt when a phone shows the picture 400 pt wide
SMALL = 21
ROW_NAME = 19  # the side effects' names, the longest beside their strip
PNG_COMPRESSION = 3  # zlib level: a flat-coloured palette image is small even at a low level

# Colours (colour-blind-safe where it matters: taken blue/green vs missed vermilion)
TAKEN, LATE, SKIPPED, MISSED, PENDING = "#009E73", "#A6D96A", "#999999", "#D55E00", "#E8E8E8"
NIGHT_COLOURS = (TAKEN, LATE, SKIPPED, MISSED, PENDING)
NO_CHECKIN, NO_EFFECT = "#F2F2F2", "#FFFFFF"
SEVERITY_COLOURS = ("#FFE08A", "#F4A259", "#C0392B")  # mild, moderate, severe
MEASURE_COLOURS = {
    Measure.PAIN: "#C0392B",
    Measure.SLEEP: "#0072B2",
    Measure.FATIGUE: "#8E6C8A",
    Measure.MOOD: "#E69F00",
    Measure.FOG: "#56B4E9",
}
DOSE_COLOUR = "#1F3A5F"


@dataclass(frozen=True)
class ChartLabels:
    """Every word the chart shows, already in the reader's language (hashable, picklable)."""

    language: str  # Babel locale of the dates and numbers: "en", "de"
    dose: str  # "Dose (mg)"
    nights: str  # "Nights"
    taken: str
    late: str
    skipped: str
    missed: str
    side_effects: str  # "Side effects"
    severities: tuple[str, str, str]  # mild, moderate, severe
    effects: tuple[tuple[Effect, str], ...]
    benefits: str  # "Weekly ratings (0–10)"
    measures: tuple[tuple[Measure, str], ...]
    nothing_recorded: str  # "Nothing recorded in this period yet."
    no_side_effects: str  # "No side effects noted."
    no_checkins: str  # "No check-ins in this period."

    def effect(self, effect: Effect) -> str:
        return dict(self.effects).get(effect, effect.value)


@dataclass(frozen=True)
class ChartJob:
    """One chart to render (what a worker process receives)."""

    record: PatientRecord
    labels: ChartLabels
    with_health: bool = True


# The figure, built once per thread or process and (labels, panels) ------------------------


class _Chart:
    """A figure and the artists whose data change per render."""

    def __init__(self, labels: ChartLabels, with_health: bool) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.colors import ListedColormap
        from matplotlib.figure import Figure
        from matplotlib.patches import Patch

        self.labels = labels
        height = FULL_HEIGHT_PX if with_health else ADHERENCE_HEIGHT_PX
        self.fig: Figure = Figure(figsize=(WIDTH_PX / DPI, height / DPI), dpi=DPI)
        self.canvas = FigureCanvasAgg(self.fig)
        self.with_health = with_health

        self.height = height
        self.title: Text = self.fig.text(0.5, self._y(10), "", ha="center", va="top")
        self.title.set_fontsize(FONT)
        self.title.set_fontweight("bold")

        self.dose_ax: Axes = self.fig.add_axes(self._rect(80, 210))
        self.dose_ax.set_ylabel(labels.dose, fontsize=FONT)
        (self.dose_line,) = self.dose_ax.plot([], [], color=DOSE_COLOUR, lw=4, ds="steps-post")
        self.dose_now: Text = self.dose_ax.text(
            1.0, 1.02, "", transform=self.dose_ax.transAxes, ha="right", va="bottom"
        )
        self.dose_now.set_fontsize(FONT)
        self.dose_now.set_fontweight("bold")
        self.empty: Text = self.dose_ax.text(
            0.5, 0.5, labels.nothing_recorded, transform=self.dose_ax.transAxes, ha="center"
        )
        self.empty.set_fontsize(FONT)
        self.dose_ax.grid(axis="y", color="#DDDDDD")

        self.night_ax: Axes = self.fig.add_axes(self._rect(305, 45), sharex=self.dose_ax)
        night_map = ListedColormap(NIGHT_COLOURS).with_extremes(bad="white")
        self.night_img: AxesImage = self.night_ax.imshow(
            [[math.nan]], cmap=night_map, vmin=-0.5, vmax=4.5, aspect="auto",
            interpolation="antialiased", interpolation_stage="rgba", extent=(0, 1, 0, 1),
        )  # fmt: skip
        self.night_ax.set_yticks([0.5], [labels.nights], fontsize=FONT)
        legend = [
            Patch(color=c, label=t)
            for c, t in zip(
                NIGHT_COLOURS[:4],
                (labels.taken, labels.late, labels.skipped, labels.missed),
                strict=True,
            )
        ]
        self.fig.legend(
            handles=legend, loc="upper center", ncols=2, fontsize=SMALL, frameon=False,
            bbox_to_anchor=(0.5, self._y(358 if with_health else 398)), handlelength=1.2,
            columnspacing=1.5, borderaxespad=0,
        )  # fmt: skip
        self.bottom_ax = self.night_ax
        self.axes: list[Axes] = [self.dose_ax, self.night_ax]

        if with_health:
            self._health_panels()
        for ax in self.axes:
            ax.tick_params(labelsize=FONT, length=4)
            ax.xaxis.set_visible(ax is self.bottom_ax)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        self.night_ax.tick_params(axis="y", length=0)
        if with_health:
            self.effect_ax.tick_params(axis="y", labelsize=ROW_NAME)
        self.night_ax.spines["left"].set_visible(False)
        # What changes per chart is drawn over a saved picture of everything else; the title
        # and the dates belong to the picture, redrawn when the period (or the dose axis)
        # changes: a batch of summaries for one week draws them once.
        self.dynamic: list[Artist] = [self.night_img, self.dose_line, self.dose_now, self.empty]
        if with_health:
            self.dynamic += [self.effect_img, self.no_effects, self.effect_ax.yaxis]
            self.dynamic += list(self.benefit_lines.values())
        for artist in self.dynamic:
            artist.set_animated(True)
        self.background_key: tuple[float, date, date] | None = None
        self.background: Any = None

    def _background(self, dose_top: float, first: date, last: date) -> None:
        """The static picture for this dose axis and period (drawn again only when it changes)."""
        key = (dose_top, first, last)
        if key == self.background_key:
            return
        language = self.labels.language
        self.dose_ax.set_ylim(0, dose_top)
        self.dose_ax.set_yticks(range(0, math.floor(dose_top) + 1, 1 if dose_top <= 7 else 2))
        self.title.set_text(period_title(first, last, language))
        self.dose_ax.set_xlim(0, (last - first).days + 1)
        ticks = date_ticks(first, last)
        self.bottom_ax.set_xticks(
            [(t - first).days for t in ticks], [tick_label(t, first, last, language) for t in ticks]
        )
        self.canvas.draw()  # type: ignore[no-untyped-call]
        self.background = self.canvas.copy_from_bbox(self.fig.bbox)  # type: ignore[no-untyped-call]
        self.background_key = key

    def _y(self, top_px: float) -> float:
        """A distance from the top in pixels as a figure coordinate."""
        return 1 - top_px / self.height

    def _rect(self, top_px: float, height_px: float) -> tuple[float, float, float, float]:
        """A panel's place: ``top_px`` from the top, the full width less the margins."""
        width = (WIDTH_PX - LEFT_PX - RIGHT_PX) / WIDTH_PX
        return LEFT_PX / WIDTH_PX, self._y(top_px + height_px), width, height_px / self.height

    def _heading(self, top_px: float, text: str) -> None:
        self.fig.text(LEFT_PX / WIDTH_PX, self._y(top_px), text, fontsize=FONT, va="top")

    def _health_panels(self) -> None:
        from matplotlib.colors import ListedColormap
        from matplotlib.patches import Patch

        labels = self.labels
        self._heading(452, labels.side_effects)
        self.effect_ax: Axes = self.fig.add_axes(self._rect(490, 220), sharex=self.dose_ax)
        effect_map = ListedColormap((NO_EFFECT, *SEVERITY_COLOURS)).with_extremes(bad=NO_CHECKIN)
        self.effect_img: AxesImage = self.effect_ax.imshow(
            [[math.nan]], cmap=effect_map, vmin=-0.5, vmax=3.5, aspect="auto",
            interpolation="nearest", extent=(0, 1, 0, 1),
        )  # fmt: skip
        self.effect_ax.tick_params(axis="y", length=0)
        self.no_effects: Text = self.effect_ax.text(
            0.5, 0.5, labels.no_side_effects, transform=self.effect_ax.transAxes, ha="center",
            va="center",
        )  # fmt: skip
        self.no_effects.set_fontsize(FONT)
        severities = zip(SEVERITY_COLOURS, labels.severities, strict=True)
        self.fig.legend(
            handles=[Patch(color=c, label=t) for c, t in severities],
            loc="upper center", ncols=3, fontsize=SMALL, frameon=False, handlelength=1.2,
            bbox_to_anchor=(0.5, self._y(722)), borderaxespad=0,
        )  # fmt: skip

        self._heading(778, labels.benefits)
        self.benefit_ax: Axes = self.fig.add_axes(self._rect(915, 180), sharex=self.dose_ax)
        self.benefit_ax.set_ylim(-0.5, 10.5)
        self.benefit_ax.set_yticks([0, 5, 10])
        self.benefit_ax.grid(axis="y", color="#DDDDDD")
        self.benefit_lines: dict[Measure, Line2D] = {}
        for measure, name in labels.measures:
            (line,) = self.benefit_ax.plot(
                [], [], color=MEASURE_COLOURS[measure], marker="o", ms=6,
                lw=4 if measure is Measure.PAIN else 2, label=name,
            )  # fmt: skip
            self.benefit_lines[measure] = line
        self.fig.legend(
            handles=list(self.benefit_lines.values()), loc="upper left", ncols=3,
            bbox_to_anchor=((LEFT_PX - 10) / WIDTH_PX, self._y(814)), fontsize=SMALL,
            frameon=False, handlelength=1.0, columnspacing=1.0, borderaxespad=0,
        )  # fmt: skip
        self.axes += [self.effect_ax, self.benefit_ax]
        self.bottom_ax = self.benefit_ax

    def draw(self, record: PatientRecord) -> bytes:
        labels, days = self.labels, days_of(record)
        xs, ys = dose_steps(record)
        self._background(max([4.5, *ys]) + 0.5, record.first, record.last)
        self.dose_line.set_data(xs, ys)
        current = record.dose_on(record.last)
        self.dose_now.set_text(dose_text(float(current), labels.language) if current else "")
        self.empty.set_visible(not record.nights and not ys)

        self.night_img.set_data([night_row(record)])
        self.night_img.set_extent((0, days, 0, 1))

        if self.with_health:
            effects = reported_effects(record)
            self.no_effects.set_visible(not effects)
            nothing = labels.no_side_effects if record.checkins else labels.no_checkins
            self.no_effects.set_text(nothing)
            rows = effect_rows(record, effects) if effects else [[0.0] * days]
            self.effect_img.set_data(rows)
            self.effect_img.set_extent((0, days, len(rows), 0))
            self.effect_ax.set_ylim(len(rows), 0)
            self.effect_ax.set_yticks(
                [i + 0.5 for i in range(len(effects))],
                [_wrapped(labels.effect(e)) for e in effects],
            )
            for measure, line in self.benefit_lines.items():
                points = [
                    ((r.day - record.first).days + 0.5, r.scores[measure])
                    for r in record.ratings
                    if measure in r.scores
                ]
                line.set_data([p[0] for p in points], [p[1] for p in points])
                line.set_markersize(6 if days <= 120 else 0)  # a marker a week: months only

        self.canvas.restore_region(self.background)  # type: ignore[no-untyped-call]
        for artist in self.dynamic:
            self.fig.draw_artist(artist)
        return _png(self.canvas)


def _wrapped(text: str, width: int = 16) -> str:
    """A long effect name on two lines ("Mehr Schmerzen oder\nErschöpfung")."""
    import textwrap

    lines = textwrap.wrap(text, width)
    return "\n".join([lines[0], " ".join(lines[1:])]) if len(lines) > 1 else text


def _png(canvas: Any) -> bytes:
    """The canvas as an 8-bit palette PNG: a third of the bytes of RGB, and ~3× faster to encode."""
    from PIL import Image

    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    paletted = image.convert("RGB").quantize(palette=_palette(), dither=Image.Dither.NONE)
    out = io.BytesIO()
    paletted.save(out, format="PNG", compress_level=PNG_COMPRESSION)
    return out.getvalue()


def _rgb(red: float, green: float, blue: float) -> tuple[int, int, int]:
    return round(255 * red), round(255 * green), round(255 * blue)


@cache
def _palette() -> Any:
    """The chart's colours, each blended with white and with black in steps (for antialiased
    edges and text): a fixed palette, so a chart's pixels depend on nothing but its inputs."""
    from matplotlib.colors import to_rgb
    from PIL import Image

    bases = {
        "#000000", "#DDDDDD", DOSE_COLOUR, NO_CHECKIN, *NIGHT_COLOURS, *SEVERITY_COLOURS,
        *MEASURE_COLOURS.values(),
    }  # fmt: skip
    colours: set[tuple[int, int, int]] = {(255, 255, 255)}
    for base in sorted(bases):
        red, green, blue = to_rgb(base)
        for step in range(1, 9):
            share = step / 8
            white = 1 - share
            colours.add(_rgb(red * share + white, green * share + white, blue * share + white))
            colours.add(_rgb(red * share, green * share, blue * share))
    # PIL maps to the palette at reduced precision: no near-white that could take white's place
    kept = [(255, 255, 255), *sorted(c for c in colours if min(c) < 244)]
    flat = [value for colour in kept[:256] for value in colour]
    palette = Image.new("P", (1, 1))
    palette.putpalette(flat)
    return palette


_local = threading.local()
_MAX_FIGURES = 4  # per thread: two languages × two panel sets


def _chart(labels: ChartLabels, with_health: bool) -> _Chart:
    charts: dict[tuple[ChartLabels, bool], _Chart] = _local.__dict__.setdefault("charts", {})
    key = (labels, with_health)
    if key not in charts:
        if len(charts) >= _MAX_FIGURES:
            charts.pop(next(iter(charts)))
        charts[key] = _Chart(labels, with_health)
    return charts[key]


# The entry points ----------------------------------------------------------------------------


def render(record: PatientRecord, labels: ChartLabels, *, with_health: bool = True) -> bytes:
    """The record as a PNG, about 1,000 px wide; ``with_health=False``: dose and nights only."""
    return _chart(labels, with_health).draw(record)


def render_job(job: ChartJob) -> bytes:
    """``render`` for one ``ChartJob`` (a top-level function: picklable for worker processes)."""
    return render(job.record, job.labels, with_health=job.with_health)


BOT_WORKERS = 2  # the bot's chart processes: one per core here, started when first needed
_pool_lock = threading.Lock()
_pool: list[ProcessPoolExecutor] = []


def bot_pool() -> ProcessPoolExecutor:
    """The bot's chart worker processes (``process_pool(BOT_WORKERS)``), started on first use:
    matplotlib's memory (~50 MB) and CPU stay out of the bot's process and its event loop."""
    with _pool_lock:
        if not _pool:
            _pool.append(process_pool(BOT_WORKERS))
        return _pool[0]


async def render_off_loop(job: ChartJob) -> bytes:
    """``render_job`` in the bot's chart processes, awaited without blocking the event loop.
    Many at once (a batch of summaries): ``asyncio.gather`` them; the workers share them out.

    A worker that died (killed, out of memory) breaks its pool: the call raises and the next
    one starts a fresh pool.
    """
    pool = bot_pool()
    try:
        return await asyncio.get_running_loop().run_in_executor(pool, render_job, job)
    except BrokenProcessPool:
        with _pool_lock:
            if _pool and _pool[0] is pool:
                _pool.clear()
        pool.shutdown(wait=False, cancel_futures=True)
        raise


WORKER_NICENESS = 10  # chart workers yield the CPU to the bot's event loop (and to Telegram I/O)


def warm_up() -> None:
    """A worker process's initializer: lower its priority (``WORKER_NICENESS``), so that on a
    machine with as many busy workers as cores the bot's event loop still runs the moment it has
    work (a stall there delays every reply and can bunch the paced sends), and import
    matplotlib (build nothing else)."""
    with contextlib.suppress(OSError):  # not allowed here (or no such call): render anyway
        os.nice(WORKER_NICENESS)
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends import backend_agg  # noqa: F401


def process_pool(workers: int | None = None) -> ProcessPoolExecutor:
    """Worker processes for many charts (one per core by default), started with ``spawn`` so
    they never inherit the bot's threads, event loop or database connection.

    ``await loop.run_in_executor(pool, render_job, job)`` renders one chart off the event loop;
    ``render_many(jobs, pool)`` renders a batch. Shut it down with ``pool.shutdown()``.
    """
    import os

    return ProcessPoolExecutor(
        max_workers=workers or os.cpu_count() or 1,
        mp_context=get_context("spawn"),
        initializer=warm_up,
    )


def render_many(jobs: Iterable[ChartJob], pool: Executor) -> list[bytes]:
    """Every job's PNG, in order, rendered by ``pool`` (e.g. ``process_pool()``).

    The jobs go out grouped by language, panels and period, so a worker draws a figure's
    title and dates once for a run of charts of the same week (a Sunday's summaries).
    """
    listed = list(jobs)
    order = sorted(range(len(listed)), key=lambda i: _batch_key(listed[i]))
    rendered = pool.map(render_job, [listed[i] for i in order], chunksize=4)
    result: list[bytes] = [b""] * len(listed)
    for index, png in zip(order, rendered, strict=True):
        result[index] = png
    return result


def _batch_key(job: ChartJob) -> tuple[str, bool, date, date]:
    return job.labels.language, job.with_health, job.record.first, job.record.last
