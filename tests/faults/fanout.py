"""One SIGKILL round: an evening's fan-out, a kill at a random point, a restart, the verdict.

Telegram's Bot API has no idempotency key, so a reminder whose request Telegram accepted but whose
outcome the bot had not yet recorded when it died is sent again after the restart. Those, and
only those, may arrive twice; everything else exactly once.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.app import MESSAGES_PER_SECOND
from tests.emulator import BotApiEmulator
from tests.faults.crashrun import (
    REMINDER,
    BotProcess,
    due_instant,
    integrity,
    now_utc,
    reminder_states,
    seed_due_patients,
)

FIRST_USER = 700_000


@dataclass(frozen=True)
class RoundResult:
    """What one round measured; kept for the end-of-run summary."""

    seed: int
    patients: int
    latency: float
    kill_after: int
    delivered_at_kill: int
    in_flight_at_kill: int
    unrecorded_deliveries: int
    duplicates: int
    seconds: float


ROUNDS: list[RoundResult] = []


@dataclass(frozen=True)
class Plan:
    """A round's random choices, all drawn from its seed."""

    seed: int
    patients: int
    latency: float
    kill_after: int
    kill_jitter: float

    @classmethod
    def draw(cls, seed: int, patients: int) -> Plan:
        rng = random.Random(seed)
        latency = rng.choice((0.02, 0.1, 0.25))
        return cls(seed, patients, latency, rng.randint(1, patients - 1), rng.uniform(0, latency))

    @property
    def users(self) -> list[int]:
        return list(range(FIRST_USER, FIRST_USER + self.patients))

    @property
    def budget(self) -> float:
        """Seconds to wait for a whole fan-out (start-up plus paced sends, with slack)."""
        return 30.0 + self.patients / MESSAGES_PER_SECOND * 2

    def __str__(self) -> str:
        return (
            f"round seed={self.seed} patients={self.patients} latency={self.latency} "
            f"kill_after={self.kill_after}"
        )


def delivered(emu: BotApiEmulator) -> int:
    """Reminders the emulator accepted so far (each successful sendMessage is one)."""
    return sum(1 for call in emu.calls if call.method == "sendMessage" and call.status == 200)


async def deliveries_settled(emu: BotApiEmulator, quiet: float) -> None:
    """Wait until no reminder has arrived for ``quiet`` seconds: the killed process's last
    requests are in. (A fixed pause was not enough on a loaded host: a request written before
    the kill reached the emulator after it, and was taken for one the restart sent twice.)"""
    count = -1
    while (now := delivered(emu)) != count:
        count = now
        await asyncio.sleep(quiet)


def reminders_per_user(emu: BotApiEmulator, users: Sequence[int]) -> dict[int, int]:
    return {u: sum(REMINDER in m.body for m in emu.messages(u)) for u in users}


def expected_counts(
    users: Sequence[int], at_kill: dict[int, int], states: dict[int, str]
) -> dict[int, int]:
    """Reminders each patient should end up with, judged from the state at the kill."""
    # The wake-up claims a chunk at a time: some tasks may not have been claimed yet.
    assert {states[u] for u in users} <= {"pending", "sending", "sent"}, states
    assert all(at_kill[u] == 0 for u in users if states[u] == "pending"), at_kill
    # Recorded as sent before the kill ("acked") means delivered once and never again.
    assert all(at_kill[u] == 1 for u in users if states[u] == "sent"), at_kill
    assert all(at_kill[u] <= 1 for u in users), at_kill
    # The only duplicates: deliveries Telegram accepted that the bot had not yet recorded.
    return {u: 2 if states[u] == "sending" and at_kill[u] else 1 for u in users}


async def run_round(workdir: Path, seed: int, patients: int) -> RoundResult:
    """Seed, start, SIGKILL after a random number of deliveries, restart, check, record."""
    plan = Plan.draw(seed, patients)
    users, db_path = plan.users, workdir / "ldn.db"
    started = time.monotonic()
    async with BotApiEmulator(latency=plan.latency) as emu:
        for user in users:
            emu.start_chat(user)
        seed_due_patients(db_path, users, due_instant(now_utc()))
        first = BotProcess(emu, db_path, workdir / "run-1.log")
        second = BotProcess(emu, db_path, workdir / "run-2.log")
        try:
            await first.start()
            await emu.wait_for(
                lambda: delivered(emu) >= plan.kill_after, plan.budget, what=f"{plan}: sends"
            )
            await asyncio.sleep(plan.kill_jitter)  # anywhere between two arrivals
            await first.kill()
            # Requests already inside "Telegram" still complete: accepted, never acknowledged.
            await deliveries_settled(emu, quiet=plan.latency + 1.0)
            at_kill, states = reminders_per_user(emu, users), reminder_states(db_path)
            assert integrity(db_path) == "ok", plan
            expected = expected_counts(users, at_kill, states)
            # Any API call from the new process means its SIGTERM handler is installed.
            calls_before = len(emu.calls_to("getMe"))
            await second.start()
            await emu.wait_for(
                lambda: (
                    len(emu.calls_to("getMe")) > calls_before
                    and all(n >= expected[u] for u, n in reminders_per_user(emu, users).items())
                ),
                plan.budget,
                what=f"{plan}: the restarted bot up and every reminder out",
            )
            assert await second.terminate() == 0, f"{plan}\n{second.log[-2000:]}"
        finally:
            await first.ensure_dead()
            await second.ensure_dead()
        final = reminders_per_user(emu, users)

    wrong = {u: (final[u], expected[u], states[u]) for u in users if final[u] != expected[u]}
    assert wrong == {}, f"{plan}: user -> (got, expected, state at kill) {wrong}"
    assert max(final.values()) <= 2, plan
    in_flight = [u for u in users if states[u] == "sending"]
    if in_flight:
        assert f"re-queued {len(in_flight)} tasks that were in flight" in second.log, plan
    assert set(reminder_states(db_path).values()) == {"sent"}, plan
    assert integrity(db_path) == "ok", plan
    result = RoundResult(
        seed=seed,
        patients=patients,
        latency=plan.latency,
        kill_after=plan.kill_after,
        delivered_at_kill=sum(at_kill.values()),
        in_flight_at_kill=len(in_flight),
        unrecorded_deliveries=sum(expected.values()) - len(users),
        duplicates=sum(final.values()) - len(users),
        seconds=round(time.monotonic() - started, 1),
    )
    ROUNDS.append(result)
    return result
