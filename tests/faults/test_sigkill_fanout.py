"""SIGKILL during an evening's fan-out, then restart: nothing lost, duplicates only where the
Bot API cannot help it (sent, accepted, not yet recorded), none more than twice."""

from __future__ import annotations

import asyncio
import os
import random
from pathlib import Path

import pytest

from tests.faults.fanout import RoundResult, run_round

pytestmark = pytest.mark.faults

QUICK_ROUNDS, QUICK_PATIENTS = 3, 60
FULL_ROUNDS, FULL_PATIENTS = 52, 200
PARALLEL = 4  # rounds at a time; each bot mostly waits on its own 28.5 msg/s pacing


def base_seed() -> int:
    """LDN_FAULT_SEED replays a failed run; otherwise a fresh random seed per run."""
    return int(os.environ.get("LDN_FAULT_SEED") or random.SystemRandom().randrange(1 << 30))


async def run_rounds(tmp_path: Path, rounds: int, patients: int) -> list[RoundResult]:
    seed = base_seed()
    gate = asyncio.Semaphore(PARALLEL)

    async def one(n: int) -> RoundResult:
        workdir = tmp_path / f"round-{n:02d}"
        workdir.mkdir()
        async with gate:
            return await run_round(workdir, seed + n, patients)

    return list(await asyncio.gather(*(one(n) for n in range(rounds))))


async def test_sigkill_at_random_points_of_the_fanout(tmp_path: Path) -> None:
    results = await run_rounds(tmp_path, QUICK_ROUNDS, QUICK_PATIENTS)
    assert len(results) == QUICK_ROUNDS
    assert all(r.duplicates == r.unrecorded_deliveries for r in results)


@pytest.mark.slow
async def test_sigkill_at_fifty_random_points_of_the_fanout(tmp_path: Path) -> None:
    results = await run_rounds(tmp_path, FULL_ROUNDS, FULL_PATIENTS)
    assert len({r.kill_after for r in results}) >= 40  # the kill points really are spread
    assert all(r.duplicates == r.unrecorded_deliveries for r in results)
