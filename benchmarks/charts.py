"""What a chart costs (``bot.charts``): ms per chart in one thread, charts per second with one
worker process per core (the caregivers' Sunday summaries need ≥ 30/s on this 2-core machine).

    .venv/bin/python -m benchmarks.charts [--quick] [--write-results]

Single-threaded: the first render of a figure (matplotlib import and figure built: once per
thread/process and language) apart from the steady state, per kind of chart (30 days, 30 days
adherence only in German, 90 days, two years), median and p95 of the render call (PNG bytes out).
Parallel: ``render_many`` over ``process_pool()`` (spawned workers, warmed up first), records
pickled to the workers as a caregiver summary job would send them. ``--write-results`` puts the
figures into ``benchmarks/RESULTS.md`` between the chart markers (the rest is left as it is).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bot import i18n
from bot.chart_texts import chart_labels
from bot.charts import ChartJob, ChartLabels, _batch_key, process_pool, render_job, render_many
from tests.records import sample_record

RESULTS_FILE = Path(__file__).with_name("RESULTS.md")
START, END = "<!-- charts:start -->", "<!-- charts:end -->"
TARGET_PER_SECOND = 30
NOTES = """DESIGN.md measured ~150 ms per 3-panel chart (a fresh figure, `savefig`). Now each
thread/process keeps one figure per language and panel set; the title, dates, legends and axes
are a saved background (drawn again only when the period or dose axis changes), so a render
draws two images, a few lines and labels over it and encodes an 8-bit palette PNG (zlib level 3).
"CPU per chart" is `time.process_time`, which holds when other work shares the machine; the
wall-clock figures do not. A worker's CPU per chart is above the single-thread figures because
the mix changes period and language between jobs (`render_many` groups jobs to limit that)."""


def labels_in(language: str) -> ChartLabels:
    i18n.use(language)
    try:
        return chart_labels()
    finally:
        i18n.use(i18n.DEFAULT)


def kinds() -> dict[str, ChartJob]:
    english, german = labels_in("en"), labels_in("de")
    return {
        "30 days, all panels (en)": ChartJob(sample_record(30, seed=1), english),
        "30 days, adherence only (de)": ChartJob(sample_record(30, seed=2), german, False),
        "90 days, all panels (de)": ChartJob(sample_record(90, seed=3), german),
        "2 years, all panels (en)": ChartJob(sample_record(730, seed=4), english),
    }


def single(repeats: int) -> list[tuple[str, str]]:
    rows = []
    started = time.perf_counter()
    import matplotlib.figure  # noqa: F401  (what the first render pays once)

    rows.append(("import matplotlib (once per process)", f"{_ms(time.perf_counter() - started)}"))
    for name, job in kinds().items():
        started = time.perf_counter()
        png = render_job(job)
        first = time.perf_counter() - started
        walls, cpus = [], []
        for _ in range(repeats):
            started, cpu = time.perf_counter(), time.process_time()
            render_job(job)
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
        walls.sort()
        p95 = walls[min(len(walls) - 1, int(len(walls) * 0.95))]
        rows.append(
            (
                f"{name}: CPU per chart; wall median / p95 (first render, figure built)",
                f"{_ms(statistics.mean(cpus))}; {_ms(statistics.median(walls))} / {_ms(p95)} "
                f"({_ms(first)}); {len(png) // 1024} KB",
            )
        )
    return rows


def timed_render(job: ChartJob) -> tuple[bytes, float]:
    """``render_job`` in a worker, with the CPU seconds it took there (the jobs are sent in
    ``render_many``'s order)."""
    cpu = time.process_time()
    png = render_job(job)
    return png, time.process_time() - cpu


def parallel(count: int, workers: int) -> tuple[float, float, float]:
    """(charts per second, CPU seconds per chart in the workers, seconds to start and warm up)."""
    mix = list(kinds().values())
    # Sunday summaries are mostly 30-day charts: every other job is one, the rest the mix.
    jobs = [mix[0] if i % 2 == 0 else mix[(i // 2) % len(mix)] for i in range(count)]
    started = time.perf_counter()
    with process_pool(workers) as pool:
        render_many(mix * workers, pool)  # every worker builds its figures once
        warm = time.perf_counter() - started
        started = time.perf_counter()
        results = list(pool.map(timed_render, sorted(jobs, key=_batch_key), chunksize=4))
        elapsed = time.perf_counter() - started
    assert all(png.startswith(b"\x89PNG") for png, _ in results)
    return count / elapsed, sum(cpu for _, cpu in results) / count, warm


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--write-results", action="store_true", help=f"update {RESULTS_FILE}")
    args = parser.parse_args()
    repeats, count = (20, 120) if args.quick else (100, 1200)

    rows = single(repeats)
    per_second, cpu, warm = parallel(count, args.workers)
    capacity = args.workers / cpu  # what the workers could do with their cores to themselves
    verdict = "pass" if per_second >= TARGET_PER_SECOND else "FAIL"
    rows.append(
        (
            f"{count} charts, {args.workers} worker processes (one per core; half 30-day, "
            "half the mix above)",
            f"{per_second:.0f} charts/s measured (target ≥ {TARGET_PER_SECOND}/s: {verdict}); "
            f"CPU {_ms(cpu)} per chart in a worker, so {capacity:.0f}/s with the cores free; "
            f"pool start + warm-up {warm:.1f} s",
        )
    )
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    table = "\n".join(
        ["| chart | value |", "| --- | --- |", *(f"| {name} | {value} |" for name, value in rows)]
    )
    print(table)
    print(f"load average: {load}")
    if args.write_results:
        _write(table, " ".join(["python -m benchmarks.charts", *sys.argv[1:]]), load)
    return 0 if verdict == "pass" else 1


def _write(table: str, command: str, load: str) -> None:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = (
        f"{START}\n## Charts (`bot.charts`)\n\n- date: {when}; command: `{command}`; "
        f"{os.cpu_count()} CPUs; load average at the end: {load}\n\n{table}\n\n{NOTES}\n{END}"
    )
    text = RESULTS_FILE.read_text() if RESULTS_FILE.exists() else ""
    if START in text and END in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END) :]
    else:
        text = f"{text.rstrip()}\n\n{section}\n"
    RESULTS_FILE.write_text(text)


if __name__ == "__main__":
    raise SystemExit(main())
