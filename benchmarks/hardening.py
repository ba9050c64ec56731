"""Two runs about one person not spoiling it for the others (issue 16): a flood and a soak.

- **Flood**: the real bot (production pacing) against the emulator enforcing Telegram's limits.
  Twenty people get a button (/start), then one chat sends 3,000 messages in 0.3 s while the
  twenty send /help or press their button, four a second, for ten seconds. Measured: their
  reply latency (message → the bot's next message to that chat) and press latency
  (press → answerCallbackQuery), the flooder's reply rate, "slow down" replies and 429s.
- **Soak**: 100,000 mixed updates from many people (``benchmarks.soakproc``); the bot process's
  RSS after a warm-up of a fifth of them and at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from benchmarks.measure import percentile
from benchmarks.procs import Child, Emulator

OTHERS = list(range(70_000_000, 70_000_020))
FLOODER = 71_000_000


@dataclass(frozen=True)
class FloodRun:
    count: int
    seconds: float
    asked: int
    replied: int
    reply_p50_ms: float
    reply_p99_ms: float
    pressed: int
    answered: int
    press_p50_ms: float
    press_p99_ms: float
    flooder_replies: int
    flooder_rate: float  # replies a second to the flooding chat, over the span they took
    flooder_most_in_a_second: int
    slow_downs: int
    count_429: int


async def flood(work: Path, count: int = 3000, seconds: float = 0.3) -> FloodRun:
    async with await Emulator.start(work / "emulator-flood.log") as emu:
        args = [str(work / "flood.db"), emu.base_url, emu.token]
        async with await Child.start("botproc", args, work / "bot-flood.log") as bot:
            await bot.event("ready", timeout=120)
            await emu.everyone_says(OTHERS, "/start")  # each gets the consent buttons
            await emu.wait_sent(len(OTHERS), timeout=60)
            report = await emu.flood(
                {
                    "flooder": FLOODER,
                    "others": OTHERS,
                    "count": count,
                    "seconds": seconds,
                    "rate": 4.0,
                    "settle": 12.0,
                }
            )
    replies, presses = report["reply_ms"], report["press_ms"]
    span = report["flooder_span_s"]
    return FloodRun(
        count=count,
        seconds=seconds,
        asked=report["asked"],
        replied=len(replies),
        reply_p50_ms=percentile(replies, 0.5),
        reply_p99_ms=percentile(replies, 0.99),
        pressed=report["pressed"],
        answered=len(presses),
        press_p50_ms=percentile(presses, 0.5),
        press_p99_ms=percentile(presses, 0.99),
        flooder_replies=report["flooder_replies"],
        flooder_rate=(report["flooder_replies"] - 1) / span if span else 0.0,
        flooder_most_in_a_second=report["flooder_most_in_a_second"],
        slow_downs=report["slow_downs"],
        count_429=report["count_429"],
    )


@dataclass(frozen=True)
class Soak:
    updates: int
    people: int
    warm_updates: int
    warm_rss_mb: float
    end_rss_mb: float
    seconds: float
    samples: tuple[tuple[int, float], ...] = ()  # (updates handled, RSS MB) along the way

    @property
    def growth_mb(self) -> float:
        return self.end_rss_mb - self.warm_rss_mb


async def soak(work: Path, updates: int) -> Soak:
    async with await Emulator.start(work / "emulator-soak.log") as emu:
        args = [str(work / "soak.db"), emu.base_url, emu.token, emu.control_url]
        child = await Child.start("soakproc", [*args, "--updates", str(updates)], work / "soak.log")
        found = await child.event("soak", timeout=3600)
        await child.finish()
    return Soak(
        updates=found["updates"],
        people=found["people"],
        warm_updates=found["warm_updates"],
        warm_rss_mb=found["warm_rss_mb"],
        end_rss_mb=found["end_rss_mb"],
        seconds=found["seconds"],
        samples=tuple((int(n), float(mb)) for n, mb in found.get("samples", [])),
    )
