"""Small measuring tools: resident memory, percentiles, and an event-loop stall monitor."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import math
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


def rss_mb() -> float:
    """This process's resident set size (VmRSS) in MiB."""
    return _status_kb("VmRSS") / 1024


def peak_rss_mb() -> float:
    """This process's peak resident set size (VmHWM) in MiB."""
    return _status_kb("VmHWM") / 1024


def _status_kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def thread_cpu() -> dict[str, float]:
    """CPU seconds (user + system) used so far by each thread of this process, by thread name.

    Threads that Python does not know (none, usually) are added up as "other".
    """
    ticks = os.sysconf("SC_CLK_TCK")
    names = {thread.native_id: thread.name for thread in threading.enumerate()}
    found: dict[str, float] = {}
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(OSError):
            stat = (task / "stat").read_text()
            name = names.get(int(task.name), "other")
            fields = stat[stat.rindex(")") + 2 :].split()
            found[name] = found.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / ticks
    return found


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (``fraction`` in 0..1) of ``values``; NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class LagStats:
    """How late the event loop ran a 10 ms timer during one window."""

    samples: int
    max_ms: float
    p99_ms: float
    over_100ms: int


class LoopMonitor:
    """A heartbeat task: sleeps ``interval`` in a loop and records how late it wakes."""

    def __init__(self, interval: float = 0.01) -> None:
        self._interval = interval
        self._lags: list[float] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._beat(), name="heartbeat")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _beat(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(self._interval)
            self._lags.append(loop.time() - before - self._interval)

    def window(self) -> LagStats:
        """Statistics since the previous call, which starts a new window."""
        lags, self._lags = self._lags, []
        millis = [lag * 1000 for lag in lags]
        return LagStats(
            samples=len(millis),
            max_ms=max(millis, default=0.0),
            p99_ms=percentile(millis, 0.99) if millis else 0.0,
            over_100ms=sum(1 for lag in millis if lag > 100),
        )


class ShiftedClock:
    """The system clock moved to another instant: it ticks in real time from wherever it is set.

    Unlike ``FakeClock`` nothing has to move it, so the real wake-up job fires on its own when a
    due instant arrives, exactly as under ``SystemClock`` in production.
    """

    def __init__(self, start: datetime) -> None:
        self._offset = start - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def set(self, instant: datetime) -> None:
        self._offset = instant - datetime.now(UTC)


class GcWatch:
    """The garbage collector's pauses (any thread's collection holds the GIL, so a long one is an
    event-loop stall): the longest, and how many took over 20 ms, per generation."""

    def __init__(self) -> None:
        self._started = 0.0
        self.longest_ms: dict[int, float] = {}
        self.over_20ms: dict[int, int] = {}

    def start(self) -> None:
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        took = (time.perf_counter() - self._started) * 1000
        generation = info["generation"]
        self.longest_ms[generation] = max(self.longest_ms.get(generation, 0.0), took)
        if took > 20:
            self.over_20ms[generation] = self.over_20ms.get(generation, 0) + 1

    def window(self) -> dict[str, object]:
        """Figures since the previous call."""
        found = {"longest_ms": dict(self.longest_ms), "over_20ms": dict(self.over_20ms)}
        self.longest_ms, self.over_20ms = {}, {}
        return found
