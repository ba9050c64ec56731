"""The memory soak: the real bot in a process of its own, fed mixed updates from many people.

``python -m benchmarks.soakproc DB BASE_URL TOKEN CONTROL_URL --updates N [--trace]`` starts the
bot (rate limiting off: this is about memory, not pace), then asks the emulator for one round of
updates at a time (``benchmarks.emulated_people.feed``: /start, presses of the newest button,
texts, /help, /today, /settings, /cancel), each round from ``BATCH`` people, a new group of
people every ``ROUNDS_PER_GROUP`` rounds, and waits until the bot has handled the round. It
prints ``soak`` with the RSS after the warm-up (a fifth of the updates), at every tenth of the
run and at the end, and
with ``--trace`` the ``tracemalloc`` sites that grew most between the two (to standard error).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import time
import tracemalloc
from pathlib import Path

import httpx

from benchmarks import botrun
from benchmarks.measure import rss_mb
from benchmarks.population import SEEDED_AT
from benchmarks.stdio import emit
from bot.updates import PerChatUpdateProcessor

BATCH = 500  # people per round (each sends one update)
ROUNDS_PER_GROUP = 9  # then the next group of people: new chats keep arriving
FIRST_PERSON = 50_000_000
WARM_UP = 0.2  # of the updates


async def main(
    db: Path, base_url: str, token: str, control: str, updates: int, trace: bool
) -> None:
    bot = await botrun.start_bot(db, base_url, token, rate_limit=False, now=SEEDED_AT)
    processor = bot.app.update_processor
    assert isinstance(processor, PerChatUpdateProcessor)
    handled = 0
    progress = asyncio.Event()

    def done(_update: object) -> None:
        nonlocal handled
        handled += 1
        progress.set()

    processor.on_done = done
    rounds = max(1, updates // BATCH)
    warm_rounds = max(1, int(rounds * WARM_UP))
    warm_rss = warm_snapshot = None
    samples: list[tuple[int, float]] = []  # (updates handled, RSS MB) every tenth of the run
    started = time.monotonic()
    async with httpx.AsyncClient(base_url=control, timeout=None) as http:
        for round_no in range(rounds):
            group = FIRST_PERSON + (round_no // ROUNDS_PER_GROUP) * BATCH
            users = list(range(group, group + BATCH))
            response = await http.post("/feed", json={"users": users, "round": round_no})
            target = handled + int(response.json()["queued"])
            while handled < target:
                progress.clear()
                await asyncio.wait_for(progress.wait(), 60)
            if (round_no + 1) % max(1, rounds // 10) == 0:
                samples.append((handled, round(rss_mb(), 2)))
            if round_no + 1 == warm_rounds:
                gc.collect()
                warm_rss, warm_at = rss_mb(), handled
                if trace:
                    tracemalloc.start(5)
                    warm_snapshot = tracemalloc.take_snapshot()
    gc.collect()
    end_rss = rss_mb()
    if trace and warm_snapshot is not None:
        stats = tracemalloc.take_snapshot().compare_to(warm_snapshot, "traceback")
        for stat in stats[:12]:
            print(stat, file=sys.stderr)
            for line in stat.traceback.format()[-6:]:
                print("   ", line, file=sys.stderr)
    emit(
        "soak",
        updates=handled,
        warm_updates=warm_at,
        warm_rss_mb=warm_rss,
        end_rss_mb=end_rss,
        seconds=time.monotonic() - started,
        people=(rounds // ROUNDS_PER_GROUP + 1) * BATCH,
        samples=samples,
    )
    await botrun.stop_bot(bot)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("base_url")
    parser.add_argument("token")
    parser.add_argument("control_url")
    parser.add_argument("--updates", type=int, default=100_000)
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()
    asyncio.run(
        main(args.db, args.base_url, args.token, args.control_url, args.updates, args.trace)
    )
