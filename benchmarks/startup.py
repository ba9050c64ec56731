"""Start-up of a fresh ``ldn-bot``-like process: phases, then resident memory, then a clean stop.

``python -m benchmarks.startup DB BASE_URL TOKEN`` prints one ``ready`` JSON line with
``time.monotonic()`` stamps (the parent subtracts the instant it spawned us) and VmRSS.
The first stamp is taken before anything else is imported.
"""

from __future__ import annotations

import time

ENTERED = time.monotonic()

import argparse  # noqa: E402
import asyncio  # noqa: E402
from pathlib import Path  # noqa: E402

from benchmarks import botrun  # noqa: E402  (imports python-telegram-bot's whole stack)
from benchmarks.measure import peak_rss_mb, rss_mb  # noqa: E402
from benchmarks.population import SEEDED_AT  # noqa: E402
from benchmarks.stdio import emit  # noqa: E402

IMPORTED = time.monotonic()


async def main(db: Path, base_url: str, token: str) -> None:
    bot = await botrun.start_bot(db, base_url, token, rate_limit=True, now=SEEDED_AT)
    stamps = {"entered": ENTERED, "imported": IMPORTED, **bot.stamps}
    emit("ready", stamps=stamps, rss_mb=rss_mb(), peak_rss_mb=peak_rss_mb())
    await botrun.stop_bot(bot)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("base_url")
    parser.add_argument("token")
    args = parser.parse_args()
    asyncio.run(main(args.db, args.base_url, args.token))
