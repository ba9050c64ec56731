"""What one event-loop wake-up costs on this machine: the floor under every paced send.

``python -m benchmarks.wakeups`` sleeps ``1 / MESSAGES_PER_SECOND`` in a loop for a few seconds
(the rhythm of paced sending, with nothing else to do) and prints the CPU time per wake-up,
beside the same rhythm with a blocking ``time.sleep`` for comparison. A paced send wakes the loop
at least twice (its slot, then Telegram's answer), and so costs at least twice this.
"""

from __future__ import annotations

import asyncio
import time

from benchmarks.stdio import emit
from bot.app import MESSAGES_PER_SECOND

SECONDS = 3.0


async def asyncio_wakeups(count: int, interval: float) -> float:
    started = time.process_time()
    for _ in range(count):
        await asyncio.sleep(interval)
    return (time.process_time() - started) / count


def blocking_wakeups(count: int, interval: float) -> float:
    started = time.process_time()
    for _ in range(count):
        time.sleep(interval)
    return (time.process_time() - started) / count


def main() -> None:
    interval = 1 / MESSAGES_PER_SECOND
    count = int(SECONDS * MESSAGES_PER_SECOND)
    per_wakeup = asyncio.run(asyncio_wakeups(count, interval))
    per_sleep = blocking_wakeups(count, interval)
    emit("done", asyncio_ms=per_wakeup * 1000, blocking_ms=per_sleep * 1000, wakeups=count)


if __name__ == "__main__":
    main()
