"""One command for the whole benchmark: ``python -m benchmarks.run [--patients N] [--cohort C]``.

Seeds N synthetic patients in a fresh database (C of them due in the same minute), then measures
start-up (at N and at 1M), finding the due minute, the fan-out through the real bot to the local
Bot API emulator with rate limiting off and then paced to Telegram's limits, button latency, and
two baselines (one PTB JobQueue job per patient; bare ``send_message`` calls). It prints one
table with targets and the ratios to the baselines. ``--quick`` is a one-minute smoke run.
"""

from __future__ import annotations

import argparse
import asyncio
import shlex
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from benchmarks import hardening, report, scenarios
from benchmarks.procs import ChildFailed, Emulator
from benchmarks.report import Results
from benchmarks.seed import cohort_users, remove_database, seed
from bot.app import MESSAGES_PER_SECOND

T = TypeVar("T")
PACED_BARE = 2000  # bare sends through the pacer: about 70 s
BIG = 1_000_000
RESULTS_FILE = Path(__file__).with_name("RESULTS.md")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--patients", type=int, help="patients to seed (default 100,000)")
    parser.add_argument("--cohort", type=int, help="of them due in one minute (default 10,000)")
    parser.add_argument(
        "--quick", action="store_true", help="10k patients, 1k cohort, no paced run, no 1M"
    )
    parser.add_argument("--skip-paced", action="store_true", help="skip the ~6 min paced run")
    parser.add_argument("--skip-big", action="store_true", help="skip the 1M start-up run")
    parser.add_argument("--skip-baselines", action="store_true")
    parser.add_argument("--presses", type=int, help="button presses per button test")
    parser.add_argument("--soak", type=int, help="updates in the memory soak (default 100,000)")
    parser.add_argument("--skip-hardening", action="store_true", help="skip the flood and soak")
    parser.add_argument("--workdir", type=Path, help="where databases and logs go (kept)")
    parser.add_argument("--write-results", action="store_true", help=f"write {RESULTS_FILE}")
    args = parser.parse_args(argv)
    args.patients = args.patients or (10_000 if args.quick else 100_000)
    args.cohort = args.cohort or min(args.patients, 1_000 if args.quick else 10_000)
    args.presses = args.presses or (300 if args.quick else 1000)
    args.runs = 1 if args.quick else 3
    args.soak = args.soak or (20_000 if args.quick else 100_000)
    args.skip_paced = args.skip_paced or args.quick
    args.skip_big = args.skip_big or args.quick
    return args


def step(name: str) -> Callable[[Callable[[], Awaitable[T]]], Awaitable[T]]:
    async def timed(work: Callable[[], Awaitable[T]]) -> T:
        print(f"… {name}", end="", flush=True, file=sys.stderr)
        started = time.monotonic()
        result = await work()
        print(f" ({time.monotonic() - started:.0f} s)", file=sys.stderr)
        return result

    return timed


async def measure(args: argparse.Namespace, work: Path) -> Results:
    results = Results(args.patients, args.cohort)
    master = work / "patients.db"

    async def seeding() -> None:
        seeded = seed(master, args.patients, args.cohort)
        results.seed_s = seeded.seconds

    await step(f"seeding {args.patients:,} patients")(seeding)

    async def wakeups() -> None:
        results.wakeups = await scenarios.wakeup_cost(work)

    await step("what one event-loop wake-up costs here")(wakeups)
    users = cohort_users(master)

    async with await Emulator.start(work / "emulator-startup.log") as emu:

        async def starting() -> None:
            results.startup = await scenarios.startup(master, emu, args.patients, args.runs, work)

        await step(f"start-up ×{args.runs}")(starting)
        if not args.skip_baselines:

            async def jobqueue() -> None:
                results.jobqueue = await scenarios.baseline_jobqueue(master, emu, work, cap=180)

            await step("baseline (a): one JobQueue job per patient")(jobqueue)

    async def claiming() -> None:
        copy = scenarios.copy_database(master, work / "claim.db")
        results.claim = scenarios.find_and_enqueue(copy, args.patients, args.cohort)
        remove_database(copy)

    await step("find and enqueue the due minute")(claiming)

    presses = [scenarios.PressPlan(args.presses), scenarios.PressPlan(args.presses, latency=0.05)]

    async def unpaced() -> None:
        results.unpaced = await scenarios.fanout(
            master, work, users, paced=False, press_plans=presses
        )

    await step("fan-out with rate limiting off, then buttons")(unpaced)
    if not args.skip_baselines:

        async def bare() -> None:
            results.bare = await scenarios.baseline_bare(work, users, "aiohttp")
            results.bare_httpx = await scenarios.baseline_bare(work, users, "httpx")

        await step("baseline (b): bare send_message, over aiohttp and over httpx")(bare)

    if not args.skip_big:
        big = work / "patients-1m.db"

        async def big_startup() -> None:
            seed(big, BIG, min(args.cohort, BIG))
            async with await Emulator.start(work / "emulator-startup-1m.log") as emu:
                results.startup_big = await scenarios.startup(big, emu, BIG, args.runs, work)
            copy = scenarios.copy_database(big, work / "claim-1m.db")
            results.claim_big = scenarios.find_and_enqueue(copy, BIG, min(args.cohort, BIG))
            remove_database(copy)
            remove_database(big)

        await step(f"seeding {BIG:,} patients, start-up ×{args.runs} and claim at 1M")(big_startup)

    if not args.skip_hardening:

        async def flooding() -> None:
            results.flood = await hardening.flood(work)

        await step("one chat floods 3,000 messages; the others' latency")(flooding)

        async def soaking() -> None:
            results.soak = await hardening.soak(work, args.soak)

        await step(f"memory soak: {args.soak:,} mixed updates")(soaking)

    if not args.skip_paced:
        production = [scenarios.PressPlan(min(args.presses, 500))]

        async def paced() -> None:
            results.paced = await scenarios.fanout(
                master, work, users, paced=True, press_plans=production
            )

        minutes = args.cohort / MESSAGES_PER_SECOND / 60
        await step(f"paced fan-out (~{minutes:.0f} min), then buttons")(paced)
        if not args.skip_baselines:

            async def bare_paced() -> None:
                chosen = users[:PACED_BARE]
                results.bare_paced = await scenarios.baseline_bare(
                    work, chosen, "aiohttp", paced=True
                )

            await step(f"baseline (b): {PACED_BARE:,} bare sends, paced")(bare_paced)
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="ldn-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    load_before = " ".join(f"{x:.2f}" for x in scenarios.machine_load())
    print(f"workdir {work}; machine load average {load_before}", file=sys.stderr)
    try:
        results = asyncio.run(measure(args, work))
    except ChildFailed as error:
        print(f"benchmark failed; logs are in {work}\n{error}", file=sys.stderr)
        return 1
    results.notes.append(f"load average before the run: {load_before}")
    text = report.table(report.rows(results))
    ratios = report.ratios(results)
    if ratios:
        text += "\n\nRatios to the baselines:\n\n" + "\n".join(f"- {line}" for line in ratios)
    print(text)
    if args.write_results:
        command = "python -m benchmarks.run " + shlex.join(sys.argv[1:] if argv is None else argv)

        def load() -> str:
            return " ".join(f"{x:.2f}" for x in scenarios.machine_load())

        report.write_results(RESULTS_FILE, results, command.strip(), text, load)
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    failed = [row for row in report.rows(results) if row.ok is False]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
