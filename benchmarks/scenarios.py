"""The measurements, one coroutine each; every one starts the processes it needs and stops them.

All bot-side numbers come from a separate bot process (``benchmarks.botproc``) talking to a
separate emulator process (``benchmarks.emulator_server``), so each process's CPU time is its own.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from benchmarks.measure import percentile
from benchmarks.population import COHORT_AT
from benchmarks.procs import Child, Emulator
from benchmarks.seed import remove_database
from bot.app import MESSAGES_PER_SECOND
from scheduler.claim import claim_and_prepare
from scheduler.prepared import Prepared
from scheduler.wakeup import CHUNK
from storage import tasks
from storage.db import Store

GO_LEAD = 1.0  # seconds between moving the clock and the cohort falling due


def copy_database(source: Path, target: Path) -> Path:
    remove_database(target)
    shutil.copyfile(source, target)
    return target


# Start-up ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Startup:
    patients: int
    runs: int
    interpreter_s: float  # spawn -> first line of our module
    imports_s: float  # python-telegram-bot, sqlite-utils, pydantic …
    store_s: float  # Store opened, migrations checked
    build_s: float  # build_application
    initialize_s: float  # app.initialize (getMe)
    wakeup_s: float  # post_init: commands, dispatcher, recover + arm the wake-up
    polling_s: float  # app.start + start_polling
    startup_s: float  # Store open -> polling (the product's own start-up work)
    process_s: float  # spawn -> polling (whole process)
    rss_mb: float


async def startup(db: Path, emu: Emulator, patients: int, runs: int, logs: Path) -> Startup:
    """Median (by whole-process time) of ``runs`` fresh ``ldn-bot``-like processes."""
    samples: list[Startup] = []
    for n in range(runs):
        child = await Child.start(
            "startup", [str(db), emu.base_url, emu.token], logs / f"startup-{patients}-{n}.log"
        )
        ready = await child.event("ready", timeout=120)
        await child.finish()
        s = ready["stamps"]
        samples.append(
            Startup(
                patients=patients,
                runs=runs,
                interpreter_s=s["entered"] - child.spawned,
                imports_s=s["imported"] - s["entered"],
                store_s=s["store_opened"] - s["begin"],
                build_s=s["app_built"] - s["store_opened"],
                initialize_s=s["initialized"] - s["app_built"],
                wakeup_s=s["wakeup_armed"] - s["initialized"],
                polling_s=s["polling"] - s["wakeup_armed"],
                startup_s=s["polling"] - s["begin"],
                process_s=s["polling"] - child.spawned,
                rss_mb=ready["rss_mb"],
            )
        )
    samples.sort(key=lambda sample: sample.process_s)
    return samples[len(samples) // 2]


# Find and enqueue ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    patients: int
    expected: int
    claimed: int
    seconds: float
    batches: int
    idle_scan_us: float  # one earliest_due() poll when nothing is due

    @property
    def missed(self) -> int:
        return self.expected - self.claimed


def _idle_scan_us(db: Database, polls: int = 5000) -> float:
    """One ``earliest_due`` query on the database thread (no thread hand-over counted)."""
    started = time.perf_counter()
    for _ in range(polls):
        tasks.earliest_due(db)
    return (time.perf_counter() - started) / polls * 1e6


def find_and_enqueue(db: Path, patients: int, expected: int) -> Claim:
    """Claim and prepare the cohort minute's due reminders a chunk at a time, exactly as the
    wake-up does (one transaction per chunk), and put them on a queue for the senders."""
    store = Store(db)
    try:
        idle_us = store.run_sync(_idle_scan_us)
        queue: asyncio.Queue[Prepared] = asyncio.Queue()
        batches = 0
        started = time.perf_counter()
        while True:
            claimed = store.run_sync(claim_and_prepare, COHORT_AT, CHUNK)
            batches += 1
            for prepared in claimed.ready:
                queue.put_nowait(prepared)
            if claimed.count < CHUNK:
                break
        seconds = time.perf_counter() - started
    finally:
        store.close()
    cohort_at = int(COHORT_AT.timestamp())
    found: list[Prepared] = []
    while not queue.empty():
        found.append(queue.get_nowait())
    right = sum(1 for p in found if int(p.task.due_at.timestamp()) == cohort_at)
    return Claim(patients, expected, right, seconds, batches, idle_us)


# Fan-out and buttons ------------------------------------------------------------------------


@dataclass(frozen=True)
class Presses:
    rate: float
    latency_s: float  # the emulator's added delay per request
    pressed: int
    answered: int
    p50_ms: float
    p99_ms: float
    edited: int  # presses whose message was edited to show the answer
    edit_p50_ms: float
    edit_p99_ms: float
    answers_per_s: float
    cpu_ms_per_press: float
    max_stall_ms: float


@dataclass(frozen=True)
class Fanout:
    paced: bool
    cohort: int
    delivered: int
    states: dict[str, int]
    first_send_s: float  # due instant -> first reminder accepted by the emulator
    delivered_in_s: float  # due instant -> last reminder accepted
    throughput: float  # reminders a second, first to last
    count_429: int
    cpu_ms_per_reminder: float
    thread_cpu_ms: dict[str, float]
    max_stall_ms: float
    p99_stall_ms: float
    stalls_over_100ms: int
    emulator_busy: float  # the emulator process's CPU share during the fan-out
    rss_after_mb: float
    idle_cpu_ms_per_s: float  # the bot doing nothing (long polling, heartbeat), per second
    cpu_ms_net_of_idle: float  # per reminder, less that idle rate over the fan-out's duration
    presses: list[Presses] = field(default_factory=list)

    @property
    def missed(self) -> int:
        return self.cohort - self.delivered


async def _presses(
    emu: Emulator, bot: Child, users: list[int], rate: float, latency: float
) -> Presses:
    await emu.configure(latency=latency)
    before = await bot.command("mark", "mark")
    report = await emu.press(users, rate, timeout=30 + len(users) / 10)
    after = await bot.command("mark", "mark")
    await emu.configure(latency=0.0)
    latencies: list[float] = report["latencies_ms"]
    edits: list[float] = report["edit_latencies_ms"]
    first, last = report["first_press"], report["last_answer"]
    span = (last - first) if first is not None and last is not None else 0.0
    return Presses(
        rate=rate,
        latency_s=latency,
        pressed=report["pressed"] + report["press_failures"],
        answered=report["answered"],
        p50_ms=percentile(latencies, 0.5),
        p99_ms=percentile(latencies, 0.99),
        edited=len(edits),
        edit_p50_ms=percentile(edits, 0.5),
        edit_p99_ms=percentile(edits, 0.99),
        answers_per_s=report["answered"] / span if span > 0 else 0.0,
        cpu_ms_per_press=(after["cpu"] - before["cpu"]) / max(len(users), 1) * 1000,
        max_stall_ms=after["lag"]["max_ms"],
    )


@dataclass(frozen=True)
class PressPlan:
    count: int
    rate: float = 100.0
    latency: float = 0.0


async def fanout(
    master: Path,
    workdir: Path,
    users: list[int],
    *,
    paced: bool,
    press_plans: list[PressPlan],
) -> Fanout:
    """The cohort falls due in a running bot; wait until every reminder is accepted, then
    press buttons. ``paced``: production pacing against Telegram's limits, else both off."""
    name = "paced" if paced else "unpaced"
    db = copy_database(master, workdir / f"{name}.db")
    cohort = len(users)
    budget = 120 + (cohort / MESSAGES_PER_SECOND * 1.5 if paced else cohort / 20)
    async with await Emulator.start(workdir / f"emulator-{name}.log") as emu:
        await emu.configure(enforce_limits=paced)
        await emu.start_chats(users)
        args = [str(db), emu.base_url, emu.token] + ([] if paced else ["--no-rate-limit"])
        async with await Child.start("botproc", args, workdir / f"bot-{name}.log") as bot:
            await bot.event("ready", timeout=120)
            await asyncio.sleep(0.5)  # let polling settle
            idle_from = await bot.command("mark", "mark")
            await asyncio.sleep(2.0)
            idle_to = await bot.command("mark", "mark")
            emu_before = await emu.stats()
            go = await bot.command(f"go {GO_LEAD}", "go")
            sent = await emu.wait_sent(cohort, timeout=budget)
            await bot.command("recorded", "recorded")  # every outcome written: all-in CPU
            done = await bot.command("mark", "mark")
            emu_after = await emu.stats()
            presses = []
            offset = 0
            for plan in press_plans:
                chosen = users[offset : offset + plan.count]
                offset += plan.count
                presses.append(await _presses(emu, bot, chosen, plan.rate, plan.latency))
    delivered = sent["sent"]
    idle_ms_per_s = (idle_to["cpu"] - idle_from["cpu"]) / (idle_to["mono"] - idle_from["mono"])
    idle_ms_per_s *= 1000
    first, last = sent["sent_first"], sent["sent_last"]
    threads = {
        name: (cpu - go["threads"].get(name, 0.0)) / max(delivered, 1) * 1000
        for name, cpu in done["threads"].items()
        if cpu - go["threads"].get(name, 0.0) > 0
    }
    return Fanout(
        paced=paced,
        cohort=cohort,
        delivered=delivered,
        states=done["states"],
        first_send_s=(first - go["due_mono"]) if first is not None else float("nan"),
        delivered_in_s=(last - go["due_mono"]) if last is not None else float("nan"),
        throughput=(delivered - 1) / (last - first) if delivered > 1 else 0.0,
        count_429=sent["count_429"],
        cpu_ms_per_reminder=(done["cpu"] - go["cpu"]) / max(delivered, 1) * 1000,
        thread_cpu_ms=threads,
        max_stall_ms=done["lag"]["max_ms"],
        p99_stall_ms=done["lag"]["p99_ms"],
        stalls_over_100ms=done["lag"]["over_100ms"],
        emulator_busy=(emu_after["cpu"] - emu_before["cpu"])
        / (emu_after["mono"] - emu_before["mono"]),
        rss_after_mb=done["rss_mb"],
        idle_cpu_ms_per_s=idle_ms_per_s,
        cpu_ms_net_of_idle=(
            (done["cpu"] - go["cpu"]) * 1000 - idle_ms_per_s * (done["mono"] - go["mono"])
        )
        / max(delivered, 1),
        presses=presses,
    )


# Baselines ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobQueueBaseline:
    patients: int
    schedule_s: float
    capped: bool
    rss_mb: float
    cohort: int
    ran: int
    missed: int


async def baseline_jobqueue(db: Path, emu: Emulator, logs: Path, cap: float) -> JobQueueBaseline:
    args = [str(db), emu.base_url, emu.token, str(int(COHORT_AT.timestamp())), f"--cap={cap}"]
    async with await Child.start("jobqueue", args, logs / "baseline-jobqueue.log") as child:
        done = await child.event("done", timeout=cap * 2 + 300)
    return JobQueueBaseline(
        patients=done["patients"],
        schedule_s=done["schedule_seconds"],
        capped=done["capped"],
        rss_mb=done["rss_mb"],
        cohort=done["cohort"],
        ran=done["ran"],
        missed=done["missed"],
    )


@dataclass(frozen=True)
class BareBaseline:
    transport: str
    paced: bool
    sent: int
    throughput: float
    cpu_ms_per_send: float
    emulator_busy: float


async def baseline_bare(
    workdir: Path, users: list[int], transport: str, *, paced: bool = False
) -> BareBaseline:
    name = f"{transport}-paced" if paced else transport
    users_file = workdir / f"bare-users-{name}.json"
    users_file.write_text(json.dumps(users))
    async with await Emulator.start(workdir / f"emulator-bare-{name}.log") as emu:
        await emu.start_chats(users)
        before = await emu.stats()
        args = [emu.base_url, emu.token, str(users_file), f"--transport={transport}"]
        args += ["--paced"] if paced else []
        log = workdir / f"baseline-bare-{name}.log"
        budget = 120 + len(users) / (20 if paced else 200)
        async with await Child.start("bare", args, log) as child:
            done = await child.event("done", timeout=budget)
        after = await emu.stats()
    first, last = after["sent_first"], after["sent_last"]
    return BareBaseline(
        transport=transport,
        paced=paced,
        sent=after["sent"],
        throughput=(after["sent"] - 1) / (last - first) if after["sent"] > 1 else 0.0,
        cpu_ms_per_send=done["cpu"] / max(done["sent"], 1) * 1000,
        emulator_busy=(after["cpu"] - before["cpu"]) / (after["mono"] - before["mono"]),
    )


@dataclass(frozen=True)
class Wakeups:
    asyncio_ms: float  # CPU per event-loop wake-up at the paced rhythm
    blocking_ms: float  # CPU per blocking time.sleep at the same rhythm


async def wakeup_cost(logs: Path) -> Wakeups:
    async with await Child.start("wakeups", [], logs / "wakeups.log") as child:
        done = await child.event("done", timeout=60)
    return Wakeups(asyncio_ms=done["asyncio_ms"], blocking_ms=done["blocking_ms"])


def machine_load() -> tuple[float, float, float]:
    with open("/proc/loadavg", encoding="ascii") as loadavg:
        one, five, fifteen = (float(part) for part in loadavg.read().split()[:3])
    return one, five, fifteen
