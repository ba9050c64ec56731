"""The real bot in a process of its own, driven by the benchmark through standard input.

``python -m benchmarks.botproc DB BASE_URL TOKEN [--no-rate-limit]`` starts the bot with its
clock at ``SEEDED_AT`` (nothing due), runs a heartbeat that records event-loop stalls, prints
``ready``, then obeys one command per line:

- ``go LEAD [EPOCH]``: take a mark, move the clock to ``COHORT_AT - LEAD`` (or ``EPOCH - LEAD``)
  and re-arm the wake-up; the reply gives the ``time.monotonic()`` at which that instant falls
  due. From then on the real
  wake-up job fires by itself, as in production.
- ``mark``: CPU time, wall time, loop stalls since the previous mark, RSS, and the states of the
  cohort's reminder tasks.
- ``recorded``: wait until every send so far has its outcome written to the database.
- end of input: stop cleanly and exit.

``LDN_SLOW_CALLBACK_MS=N`` in the environment turns on asyncio's debug mode once the bot is up
and logs (to the bot's log, logger ``asyncio``) every callback or task step that held the event
loop N ms or more, with what it was: the way to find what stalls the loop. Debug mode costs
CPU of its own (a traceback kept for every callback), so figures from such a run are not the
product's.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import time
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from benchmarks import botrun
from benchmarks.measure import GcWatch, LoopMonitor, rss_mb, thread_cpu
from benchmarks.population import COHORT_AT, SEEDED_AT
from benchmarks.stdio import emit, stdin_reader
from bot.app import services_of


def cohort_states(db: Database) -> dict[str, int]:
    rows = db.execute(
        "SELECT state, COUNT(*) FROM due_tasks WHERE kind = 'reminder' AND due_at = ? "
        "GROUP BY state",
        [int(COHORT_AT.timestamp())],
    ).fetchall()
    return {str(state): int(count) for state, count in rows}


def care_states(db: Database) -> dict[str, int]:
    """Caregivers' summaries and alerts by state."""
    rows = db.execute("SELECT state, COUNT(*) FROM care_tasks GROUP BY state").fetchall()
    return {str(state): int(count) for state, count in rows}


def watch_slow_callbacks(millis: str | None) -> None:
    """With ``millis`` (``LDN_SLOW_CALLBACK_MS``), log every loop step that takes that long."""
    if not millis:
        return
    loop = asyncio.get_running_loop()
    loop.slow_callback_duration = float(millis) / 1000
    loop.set_debug(True)
    logging.getLogger("asyncio").setLevel(logging.WARNING)


async def main(db: Path, base_url: str, token: str, rate_limit: bool) -> None:
    bot = await botrun.start_bot(db, base_url, token, rate_limit=rate_limit, now=SEEDED_AT)
    watch_slow_callbacks(os.environ.get("LDN_SLOW_CALLBACK_MS"))
    monitor = LoopMonitor()
    monitor.start()
    collections = GcWatch()
    collections.start()
    emit("ready", stamps=bot.stamps, rss_mb=rss_mb())
    commands = await stdin_reader()
    while line := (await commands.readline()).decode().split():
        cpu, wall = time.process_time(), time.monotonic()
        if line[0] == "go":
            lead = float(line[1])
            at = datetime.fromtimestamp(int(line[2]), UTC) if len(line) > 2 else COHORT_AT
            monitor.window()
            collections.window()
            bot.clock.set(at - timedelta(seconds=lead))
            due_at = time.monotonic() + lead
            botrun.poke_wakeup(bot)
            emit("go", cpu=cpu, mono=wall, due_mono=due_at, threads=thread_cpu())
        elif line[0] == "recorded":
            await services_of(bot.app).dispatcher.idle()
            care = services_of(bot.app).care_dispatcher
            if care is not None:
                await care.idle()
            emit("recorded")
        elif line[0] == "mark":
            lag = monitor.window()
            states = await bot.store.run(cohort_states)
            emit(
                "mark",
                cpu=cpu,
                mono=wall,
                threads=thread_cpu(),
                lag=asdict(lag),
                rss_mb=rss_mb(),
                states=states,
                care_states=await bot.store.run(care_states),
                gc=collections.window(),
            )
    await monitor.stop()
    await botrun.stop_bot(bot)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("base_url")
    parser.add_argument("token")
    parser.add_argument("--no-rate-limit", dest="rate_limit", action="store_false")
    args = parser.parse_args()
    asyncio.run(main(args.db, args.base_url, args.token, args.rate_limit))
