"""Caregivers' summaries at scale: 10,000 due in the same minute, beside a cohort of reminders.

``python -m benchmarks.summaries`` (``--quick``: 1,000 caregivers, 200 reminders) seeds the usual
population (``benchmarks.seed``), gives the first N patients a week of nights and one caregiver
each (an active link, weekly summaries, half of them full scope), and arms every summary for the
same instant, a third of their paced delivery time before the reminder cohort falls due (so the
reminders fall due while the summaries are going out). The real bot runs in its own process
against the emulator enforcing Telegram's limits (30/s overall, 1/s per chat), production pacing
on. Measured: summaries delivered and their rate, 429s, the longest event-loop stall (a 10 ms
heartbeat), CPU per message, and whether the cohort's bedtime reminders are delivered as fast as
they would be alone (reminders first). Every summary is its chart (``bot.summary_charts``: the
shared renderer in a worker process) with the words as the caption, so the chart rate is the
send rate; what one chart costs, and the renderer's capacity, are ``benchmarks/charts.py``'s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.population import COHORT_AT, SEEDED_AT
from benchmarks.procs import Child, Emulator
from benchmarks.seed import cohort_users, seed
from bot.app import MESSAGES_PER_SECOND
from bot.pacing import BULK_PER_SECOND
from storage.rows import iso

CARE_CHAT_FROM = 9_000_000_000  # caregivers' Telegram ids (and chats) from here on
GO_LEAD = 1.0


@dataclass(frozen=True)
class SummaryRun:
    caregivers: int
    reminders: int
    delivered: int
    first_s: float  # due instant -> first summary sent
    delivered_in_s: float  # due instant -> last summary sent
    rate: float  # summaries a second while they went out
    count_429: int
    reminders_first_s: float  # reminders' due instant -> first reminder sent
    reminders_in_s: float  # reminders' due instant -> last reminder sent
    reminders_alone_s: float  # what the reminders take alone at the pacer's rate
    reminders_due_after_s: float  # the reminders fall due this long after the summaries
    max_stall_ms: float
    idle_max_stall_ms: float  # the same heartbeat over 5 s with nothing due: the machine's noise
    p99_stall_ms: float
    stalls_over_100ms: int
    cpu_ms_per_summary: float
    states: dict[str, int]
    gc: dict[str, Any]  # the bot's garbage-collection pauses: longest and > 20 ms, by generation
    photos: int = 0  # summaries sent as a chart with the words as caption


def summaries_at(caregivers: int) -> datetime:
    """The summaries' due instant: a third of their delivery time before the reminders'."""
    return COHORT_AT - timedelta(seconds=round(caregivers / MESSAGES_PER_SECOND / 3))


def add_caregivers(path: Path, caregivers: int) -> None:
    """One caregiver for each of the first ``caregivers`` patients, with a week of nights
    (mostly taken) and a summary due at ``summaries_at``."""
    now = iso(SEEDED_AT)
    at = summaries_at(caregivers)
    due = int(at.timestamp())
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("BEGIN")
        conn.execute(
            "INSERT INTO caregivers (telegram_id, chat_id, name, zone_name, language, "
            "created_at, updated_at) SELECT ? + id, ? + id, 'Sam', zone, language, ?, ? "
            "FROM patients WHERE id <= ? ORDER BY id",
            [CARE_CHAT_FROM, CARE_CHAT_FROM, now, now, caregivers],
        )
        conn.execute(
            "INSERT INTO care_links (patient_id, caregiver_id, scope, status, patient_name, "
            "created_at, allowed_at) SELECT id, id, CASE WHEN id % 2 THEN 'full' "
            "ELSE 'adherence' END, 'active', 'Ana', ?, ? FROM patients WHERE id <= ? ORDER BY id",
            [now, now, caregivers],
        )
        for back in range(1, 8):
            day = (at - timedelta(days=back)).date()
            status = "'missed'" if back == 3 else "CASE WHEN id % 7 THEN 'taken' ELSE 'late' END"
            conn.execute(
                "INSERT INTO dose_events (patient_id, dose_day, scheduled_at, dose_mg, status, "
                f"answered_at) SELECT id, ?, ?, current_dose_mg, {status}, ? FROM patients "
                "WHERE id <= ? ORDER BY id",
                [day.isoformat(), due - back * 86400, now, caregivers],
            )
        conn.execute(
            "INSERT INTO care_tasks (link_id, kind, period, due_at) "
            "SELECT id, 'summary', ?, ? FROM care_links ORDER BY id",
            [at.date().isoformat(), due],
        )
        conn.execute("COMMIT")


async def run(workdir: Path, caregivers: int, reminders: int) -> SummaryRun:
    db = workdir / "summaries.db"
    seed(db, max(caregivers, reminders) + 1000, reminders)
    add_caregivers(db, caregivers)
    users = cohort_users(db)
    carers = [CARE_CHAT_FROM + n for n in range(1, caregivers + 1)]
    total = caregivers + reminders
    budget = 180 + total / MESSAGES_PER_SECOND * 1.5
    async with await Emulator.start(workdir / "emulator-summaries.log") as emu:
        await emu.configure(enforce_limits=True, care_from=CARE_CHAT_FROM)
        await emu.start_chats(users + carers)
        args = [str(db), emu.base_url, emu.token]
        async with await Child.start("botproc", args, workdir / "bot-summaries.log") as bot:
            await bot.event("ready", timeout=120)
            await asyncio.sleep(0.5)
            await bot.command("mark", "mark")
            await asyncio.sleep(5.0)  # idle: how late the heartbeat is with nothing to do
            idle = await bot.command("mark", "mark")
            at = summaries_at(caregivers)
            go = await bot.command(f"go {GO_LEAD} {int(at.timestamp())}", "go")
            sent = await emu.wait_sent(total, timeout=budget)
            await bot.command("recorded", "recorded", timeout=120)
            done = await bot.command("mark", "mark")
    due = go["due_mono"]
    gap = (COHORT_AT - summaries_at(caregivers)).total_seconds()
    reminders_due = due + gap

    def after(at: float | None, since: float) -> float:
        return at - since if at is not None else math.nan

    delivered = int(sent["care_sent"])
    span = after(sent["care_last"], sent["care_first"] or 0.0)
    return SummaryRun(
        caregivers=caregivers,
        reminders=reminders,
        delivered=delivered,
        first_s=after(sent["care_first"], due),
        delivered_in_s=after(sent["care_last"], due),
        rate=(delivered - 1) / span if delivered > 1 and span > 0 else 0.0,
        count_429=int(sent["count_429"]),
        reminders_first_s=after(sent["patients_first"], reminders_due),
        reminders_in_s=after(sent["patients_last"], reminders_due),
        reminders_alone_s=reminders / MESSAGES_PER_SECOND,
        reminders_due_after_s=gap,
        max_stall_ms=done["lag"]["max_ms"],
        idle_max_stall_ms=idle["lag"]["max_ms"],
        p99_stall_ms=done["lag"]["p99_ms"],
        stalls_over_100ms=done["lag"]["over_100ms"],
        cpu_ms_per_summary=(done["cpu"] - go["cpu"]) / max(total, 1) * 1000,
        states=done["care_states"],
        gc=done["gc"],
        photos=int(sent["photos"]),
    )


def at_the_pace(r: SummaryRun) -> float:
    """Seconds from due to the last summary at the pacer's rates: the reminders' slots at
    ``MESSAGES_PER_SECOND``, the summaries' at ``BULK_PER_SECOND``."""
    return r.caregivers / BULK_PER_SECOND + r.reminders / MESSAGES_PER_SECOND


def lines(r: SummaryRun) -> list[tuple[str, str, str, bool | None]]:
    """(metric, value, target, met) for the table."""
    reminders_ok = r.reminders_in_s <= r.reminders_alone_s * 1.1 + 2 and r.reminders_first_s < 2
    return [
        (f"summaries delivered (of {r.caregivers})", f"{r.delivered}", "all", None),
        (
            "summaries sent as a chart (PNG, rendered in the worker process)",
            f"{r.photos}",
            "all",
            r.photos == r.caregivers,
        ),
        (
            "charts rendered and sent a second",
            f"{r.rate * r.photos / max(r.delivered, 1):.1f}",
            f"the send rate (≤ {BULK_PER_SECOND:g}/s)",
            None,
        ),
        ("first summary after due", f"{r.first_s:.2f} s", "—", None),
        (
            "all summaries delivered in",
            f"{r.delivered_in_s:.0f} s",
            f"≈ {at_the_pace(r):.0f} s at the pace",
            None,
        ),
        ("summaries a second", f"{r.rate:.1f}", f"≤ {BULK_PER_SECOND:g}", r.rate <= 30),
        ("429 from the emulator", f"{r.count_429}", "0", r.count_429 == 0),
        ("longest event-loop stall", f"{r.max_stall_ms:.0f} ms", "< 100 ms", r.max_stall_ms < 100),
        ("event-loop stall p99", f"{r.p99_stall_ms:.1f} ms", "—", None),
        (
            "longest stall over 5 s idle before (the machine's noise)",
            f"{r.idle_max_stall_ms:.0f} ms",
            "—",
            None,
        ),
        (
            "garbage-collection pauses: longest ms, over 20 ms",
            str(r.gc),
            "—",
            None,
        ),
        ("CPU per message (summaries and reminders)", f"{r.cpu_ms_per_summary:.2f} ms", "—", None),
        (
            f"{r.reminders} bedtime reminders due {r.reminders_due_after_s:.0f} s into the "
            "summaries: first sent after",
            f"{r.reminders_first_s:.2f} s",
            "< 2 s",
            r.reminders_first_s < 2,
        ),
        (
            "… all delivered in",
            f"{r.reminders_in_s:.1f} s",
            f"≈ {r.reminders_alone_s:.1f} s (alone at the pace)",
            reminders_ok,
        ),
        ("caregiver rows after the run", str(r.states), "all sent", None),
    ]


def table(r: SummaryRun) -> str:
    rows = ["| metric | value | target | verdict |", "| --- | --- | --- | --- |"]
    for metric, value, target, ok in lines(r):
        verdict = "—" if ok is None else ("pass" if ok else "FAIL")
        rows.append(f"| {metric} | {value} | {target} | {verdict} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--caregivers", type=int, default=10_000)
    parser.add_argument("--reminders", type=int, default=1_000)
    parser.add_argument("--quick", action="store_true", help="1,000 caregivers, 200 reminders")
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    if args.quick:
        args.caregivers, args.reminders = 1_000, 200
    work = args.workdir or Path(tempfile.mkdtemp(prefix="ldn-bench-summaries-"))
    work.mkdir(parents=True, exist_ok=True)
    result = asyncio.run(run(work, args.caregivers, args.reminders))
    print(table(result))
    print(f"(logs in {work})", file=sys.stderr)
    return 1 if any(ok is False for *_, ok in lines(result)) else 0


if __name__ == "__main__":
    sys.exit(main())
