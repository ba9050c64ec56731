"""The results table (metric, value, target, verdict), the baseline ratios, and RESULTS.md."""

from __future__ import annotations

import math
import os
import platform
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.hardening import FloodRun, Soak
from benchmarks.scenarios import (
    BareBaseline,
    Claim,
    Fanout,
    JobQueueBaseline,
    Startup,
    Wakeups,
)
from bot.app import MESSAGES_PER_SECOND


@dataclass(frozen=True)
class Row:
    metric: str
    value: str
    target: str = "—"
    ok: bool | None = None

    @property
    def verdict(self) -> str:
        return "—" if self.ok is None else ("pass" if self.ok else "FAIL")


@dataclass
class Results:
    """Everything measured in one run; any part may be missing (quick mode, --skip-…)."""

    patients: int
    cohort: int
    seed_s: float = math.nan
    startup: Startup | None = None
    startup_big: Startup | None = None
    claim: Claim | None = None
    claim_big: Claim | None = None
    unpaced: Fanout | None = None
    paced: Fanout | None = None
    jobqueue: JobQueueBaseline | None = None
    bare: BareBaseline | None = None  # over the product's request class: the ratio target
    bare_httpx: BareBaseline | None = None  # over PTB's default HTTPXRequest: for comparison
    bare_paced: BareBaseline | None = None  # through the pacer: a send's cost when alone
    wakeups: Wakeups | None = None  # what one event-loop wake-up costs on this machine
    flood: FloodRun | None = None  # one chat floods; everyone else's latency (issue 16)
    soak: Soak | None = None  # RSS over many mixed updates (issue 16)
    notes: list[str] = field(default_factory=list)


def _n(count: int) -> str:
    return f"{count // 1_000_000}M" if count % 1_000_000 == 0 else f"{count // 1000}k"


def _below(value: float, limit: float) -> bool:
    return not math.isnan(value) and value < limit


def _at_most(value: float, limit: float) -> bool:
    return not math.isnan(value) and value <= limit


def rows(r: Results) -> list[Row]:
    out: list[Row] = [Row(f"seed {r.patients:,} patients (set-up, no target)", f"{r.seed_s:.1f} s")]
    for s, limit in ((r.startup, 1.0), (r.startup_big, 2.0)):
        if s is None:
            continue
        n = _n(s.patients)
        out += [
            Row(
                f"start-up to ready at {n} (Store+migrations+app+wake-up+polling)",
                f"{s.startup_s * 1000:.0f} ms",
                f"< {limit:g} s",
                _below(s.startup_s, limit),
            ),
            Row(
                f"whole process, spawn to ready at {n} (imports {s.imports_s:.2f} s)",
                f"{s.process_s:.2f} s",
                "< 2 s",
                _below(s.process_s, 2.0),
            ),
            Row(f"RSS after start-up at {n}", f"{s.rss_mb:.0f} MB", "< 100 MB", s.rss_mb < 100),
        ]
    if r.startup is not None and r.startup_big is not None:
        growth = r.startup_big.rss_mb - r.startup.rss_mb
        out.append(
            Row(
                f"RSS growth {_n(r.startup.patients)} → {_n(r.startup_big.patients)} patients",
                f"{growth:+.1f} MB",
                "flat (< +10 MB)",
                growth < 10,
            )
        )
    for c in (r.claim, r.claim_big):
        if c is None:
            continue
        out += [
            Row(
                f"find, prepare + enqueue {c.expected:,} due at {_n(c.patients)} "
                f"({c.batches} chunks)",
                f"{c.seconds * 1000:.0f} ms ({c.seconds / max(c.claimed, 1) * 1e6:.0f} µs each)",
            ),
            Row(f"  missed by the claim at {_n(c.patients)}", f"{c.missed}", "0", c.missed == 0),
            Row(f"  idle due-scan poll at {_n(c.patients)}", f"{c.idle_scan_us:.0f} µs"),
        ]
    for f in (r.unpaced, r.paced):
        if f is not None:
            out += _fanout_rows(f, r.bare, r.bare_httpx, r.bare_paced)
    if r.jobqueue is not None:
        j = r.jobqueue
        capped = " (capped; extrapolated)" if j.capped else ""
        out += [
            Row(
                f"baseline (a) JobQueue: schedule {j.patients:,} run_daily jobs{capped}",
                f"{j.schedule_s:.1f} s",
            ),
            Row("baseline (a) JobQueue: RSS after scheduling", f"{j.rss_mb:.0f} MB"),
            Row(
                f"baseline (a) JobQueue: cohort of {j.cohort:,} due at once",
                f"{j.ran:,} ran, {j.missed:,} dropped as missed",
            ),
        ]
    for b in (r.bare, r.bare_httpx, r.bare_paced):
        if b is not None:
            how = f"paced at {MESSAGES_PER_SECOND}/s" if b.paced else "same concurrency"
            out.append(
                Row(
                    f"baseline (b) bare send_message ×{b.sent:,} over {b.transport}, {how}",
                    f"{b.throughput:.0f} msg/s, {b.cpu_ms_per_send:.2f} ms CPU each "
                    f"(emulator {b.emulator_busy:.0%} busy)",
                )
            )
    if r.flood is not None:
        out += _flood_rows(r.flood)
    if r.soak is not None:
        k = r.soak
        out.append(
            Row(
                f"soak: RSS growth over {k.updates - k.warm_updates:,} mixed updates after a "
                f"{k.warm_updates:,}-update warm-up ({k.people:,} people; "
                f"{k.warm_rss_mb:.1f} → {k.end_rss_mb:.1f} MB, {k.updates / k.seconds:.0f}/s)",
                f"{k.growth_mb:+.1f} MB",
                "< 5 MB",
                k.growth_mb < 5,
            )
        )
    if r.wakeups is not None:
        w = r.wakeups
        out.append(
            Row(
                f"machine: CPU per event-loop wake-up at {MESSAGES_PER_SECOND}/s (asyncio.sleep)",
                f"{w.asyncio_ms:.3f} ms (a blocking time.sleep: {w.blocking_ms:.3f} ms)",
            )
        )
    return out


def _flood_rows(f: FloodRun) -> list[Row]:
    during = f"during a {f.count:,}-message flood in {f.seconds:g} s"
    return [
        Row(
            f"flood: others' reply, p50 / p99 {during} ({f.replied}/{f.asked} answered)",
            f"{f.reply_p50_ms:.0f} / {f.reply_p99_ms:.0f} ms",
            "p99 < 1 s, all answered",
            _below(f.reply_p99_ms, 1000) and f.replied == f.asked,
        ),
        Row(
            f"flood: others' press → answer, p50 / p99 ({f.answered}/{f.pressed} answered)",
            f"{f.press_p50_ms:.0f} / {f.press_p99_ms:.0f} ms",
            "< 1 s, all answered",
            _below(f.press_p99_ms, 1000) and f.answered == f.pressed,
        ),
        Row(
            f"flood: replies to the flooding chat ({f.flooder_replies}, "
            f"{f.slow_downs} 'slow down'; most in one second {f.flooder_most_in_a_second})",
            f"{f.flooder_rate:.2f}/s",
            "≈ 1/s, one 'slow down'",
            f.flooder_most_in_a_second <= 3 and f.slow_downs == 1,
        ),
        Row(
            "flood: 429s from the emulator enforcing Telegram's limits",
            f"{f.count_429}",
            "0",
            f.count_429 == 0,
        ),
    ]


def _cpu_row(f: Fanout, threads: str, bare_paced: BareBaseline | None) -> Row:
    """CPU per reminder. The target is the bot's own work at capacity (rate limiting off). Paced,
    each send is a wake-up of its own, and what a wake-up costs is the machine's: the figure is
    set beside a bare send_message paced the same way, which costs more than 2.5 ms on some
    machines by itself."""
    value = (
        f"{f.cpu_ms_net_of_idle:.2f} ms (raw {f.cpu_ms_per_reminder:.2f}: {threads}; "
        f"idle {f.idle_cpu_ms_per_s:.0f} ms/s)"
    )
    if not f.paced:
        metric = "  CPU per reminder, all-in (bot process, less the idle heartbeat)"
        return Row(metric, value, "≤ 2.5 ms", _at_most(f.cpu_ms_net_of_idle, 2.5))
    if bare_paced is not None:
        value += f"; a bare paced send: {bare_paced.cpu_ms_per_send:.2f} ms"
    return Row("  CPU per reminder, all-in, paced (each send wakes the process)", value)


def _fanout_rows(
    f: Fanout,
    bare: BareBaseline | None,
    bare_ptb: BareBaseline | None,
    bare_paced: BareBaseline | None,
) -> list[Row]:
    mode = "paced (rate limiter + Telegram limits on)" if f.paced else "rate limiting off"
    threads = ", ".join(f"{name} {ms:.2f}" for name, ms in sorted(f.thread_cpu_ms.items()))
    out = [
        Row(
            f"fan-out {f.cohort:,}, {mode}: first send after due",
            f"{f.first_send_s * 1000:.0f} ms",
            "< 1 s",
            _below(f.first_send_s, 1.0),
        ),
        Row(
            "  delivered / missed",
            f"{f.delivered:,} / {f.missed:,} {f.states}",
            "0 missed",
            f.missed == 0,
        ),
        _cpu_row(f, threads, bare_paced),
        Row(
            "  max event-loop stall",
            f"{f.max_stall_ms:.0f} ms (p99 {f.p99_stall_ms:.1f} ms)",
            "< 100 ms",
            _below(f.max_stall_ms, 100.0),
        ),
        Row(
            "  RSS after the fan-out", f"{f.rss_after_mb:.0f} MB", "< 100 MB", f.rss_after_mb < 100
        ),
    ]
    if f.paced:
        limit = f.cohort * 0.036  # 6 minutes for 10,000 at Telegram's 30/s
        out += [
            Row(
                "  whole cohort delivered in",
                f"{f.delivered_in_s:.0f} s ({f.throughput:.1f}/s)",
                f"≤ {limit:.0f} s",
                _at_most(f.delivered_in_s, limit),
            ),
            Row("  429 Too Many Requests", f"{f.count_429}", "0", f.count_429 == 0),
        ]
    else:
        out.append(
            Row(
                "  throughput",
                f"{f.throughput:.0f} reminders/s, all out {f.delivered_in_s:.1f} s after due "
                f"(emulator {f.emulator_busy:.0%} busy)",
            )
        )
        if bare_ptb is not None:
            ratio = f.throughput / bare_ptb.throughput if bare_ptb.throughput else math.nan
            out.append(
                Row(
                    "  throughput ÷ bare send_message (a bare PTB bot: default transport, "
                    f"{bare_ptb.transport})",
                    f"{ratio:.2f}",
                    "≥ 0.80",
                    ratio >= 0.8,
                )
            )
        if bare is not None:
            ratio = f.throughput / bare.throughput if bare.throughput else math.nan
            out.append(
                Row(
                    f"  throughput ÷ bare send_message over the bot's own {bare.transport} "
                    "(what all but the send costs)",
                    f"{ratio:.2f}",
                )
            )
    for p in f.presses:
        rtt = f" with {p.latency_s * 1000:.0f} ms added per request" if p.latency_s else ""
        config = "production config" if f.paced else "bot-side"
        line = f"  buttons at {p.rate:.0f}/s{rtt} ({config}): p50 / p99 press→answer"
        out.append(
            Row(
                line,
                f"{p.p50_ms:.1f} / {p.p99_ms:.1f} ms ({p.answered}/{p.pressed} answered)",
                "p99 < 50 ms" if not p.latency_s else "—",
                (_below(p.p99_ms, 50.0) and p.answered == p.pressed) if not p.latency_s else None,
            )
        )
        out.append(
            Row(
                "    press→edit (the message shows the answer): p50 / p99",
                f"{p.edit_p50_ms:.1f} / {p.edit_p99_ms:.1f} ms ({p.edited}/{p.pressed} edited)",
            )
        )
        out.append(
            Row(
                "    answers/s; CPU per press; max stall",
                f"{p.answers_per_s:.0f}/s; {p.cpu_ms_per_press:.2f} ms; {p.max_stall_ms:.0f} ms",
                "≥ 50/s" if p.latency_s else "—",
                p.answers_per_s >= 50 if p.latency_s else None,
            )
        )
    return out


def ratios(r: Results) -> list[str]:
    lines = []
    if r.jobqueue is not None and r.startup is not None:
        j, s = r.jobqueue, r.startup
        lines += [
            f"start-up vs JobQueue scheduling at {_n(j.patients)}: {s.startup_s:.2f} s vs "
            f"{j.schedule_s:.1f} s ({j.schedule_s / s.startup_s:.0f}× faster)",
            f"RSS vs JobQueue: {s.rss_mb:.0f} MB vs {j.rss_mb:.0f} MB "
            f"({j.rss_mb / s.rss_mb:.1f}× less)",
        ]
        if r.unpaced is not None:
            lines.append(
                f"cohort missed: {r.unpaced.missed:,} vs {j.missed:,} of {j.cohort:,} "
                f"(JobQueue, default 1 s misfire grace)"
            )
    if r.bare_paced is not None and r.paced is not None:
        alone, p = r.bare_paced, r.paced
        lines.append(
            f"CPU per message paced, vs bare send_message paced: {p.cpu_ms_net_of_idle:.2f} ms "
            f"vs {alone.cpu_ms_per_send:.2f} ms "
            f"= {p.cpu_ms_net_of_idle / alone.cpu_ms_per_send:.1f}×"
        )
    for b in (r.bare, r.bare_httpx):
        if b is not None and r.unpaced is not None:
            u = r.unpaced
            lines += [
                f"throughput vs bare send_message over {b.transport}: {u.throughput:.0f}/s vs "
                f"{b.throughput:.0f}/s = {u.throughput / b.throughput:.2f}",
                f"CPU per message vs bare send_message over {b.transport}: "
                f"{u.cpu_ms_net_of_idle:.2f} ms vs {b.cpu_ms_per_send:.2f} ms "
                f"= {u.cpu_ms_net_of_idle / b.cpu_ms_per_send:.1f}×",
            ]
    return lines


def table(found: list[Row]) -> str:
    header = ["metric", "value", "target", "verdict"]
    body = [[row.metric, row.value, row.target, row.verdict] for row in found]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(4)]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), rule, *(line(cells) for cells in body)])


def machine() -> str:
    model = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for entry in cpuinfo:
            if entry.startswith("model name"):
                model = entry.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()} "
        f"({sys.implementation.name}), {platform.system()} {platform.release()}"
    )


def write_results(path: Path, r: Results, command: str, text: str, load: Callable[[], str]) -> None:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    notes = "\n".join(f"- {note}" for note in r.notes)
    path.write_text(
        f"# Benchmark results\n\n"
        f"- date: {when}\n- machine: {machine()}\n- command: `{command}`\n"
        f"- load average at the end (other work on the machine): {load()}\n\n"
        f"{text}\n\n{notes}\n"
    )
