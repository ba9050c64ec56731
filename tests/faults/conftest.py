"""Fault-suite plumbing: every log record goes to the suite-wide scan, the scan runs last, and
the SIGKILL rounds' duplicate counts are printed at the end of the run."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import BotHarness
from tests.emulator import BotApiEmulator
from tests.faults.fanout import ROUNDS
from tests.faults.logscan import SINK

SCAN_TEST = "test_no_token_or_health_data_in_any_fault_suite_log"

MakeBot = Callable[..., Awaitable[BotHarness]]


@pytest.fixture(autouse=True)
def capture_all_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Every record at every level, into the suite-wide sink (the product's logger levels
    still apply: the harness quiets httpx and PTB exactly as ``ldn-bot run`` does)."""
    caplog.set_level(logging.DEBUG)
    root = logging.getLogger()
    root.addHandler(SINK)
    try:
        yield
    finally:
        root.removeHandler(SINK)


@pytest.fixture
async def make_bot(emu: BotApiEmulator, tmp_path: Path) -> AsyncIterator[MakeBot]:
    """Start a BotHarness with non-default options; stopped when the test ends."""
    async with AsyncExitStack() as stack:

        async def make(**options: Any) -> BotHarness:
            harness = BotHarness(emu, tmp_path / "ldn.db", **options)
            await harness.start()
            stack.push_async_callback(harness.stop)
            return harness

        yield make


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The log scan looks at what every other fault test logged, so it runs last."""
    scans = [item for item in items if item.name == SCAN_TEST]
    for item in scans:
        items.remove(item)
        items.append(item)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    write = terminalreporter.write_line
    if SINK.lines or SINK.external:
        size = sum(len(text) for text in SINK.external.values())
        write("")
        write(
            f"fault-suite log scan: {len(SINK.lines)} in-process records, "
            f"{len(SINK.external)} bot subprocess logs ({size} chars), "
            f"{len(SINK.leaks())} leaks"
        )
    if not ROUNDS:
        return
    write(f"SIGKILL fan-out rounds: {len(ROUNDS)}")
    write("  seed        patients latency kill_after delivered in_flight unrecorded dups   secs")
    for r in ROUNDS:
        write(
            f"  {r.seed:<11} {r.patients:>8} {r.latency:>7} {r.kill_after:>10} "
            f"{r.delivered_at_kill:>9} {r.in_flight_at_kill:>9} "
            f"{r.unrecorded_deliveries:>10} {r.duplicates:>4} {r.seconds:>6}"
        )
    dups = [r.duplicates for r in ROUNDS]
    write(
        f"  duplicates: total {sum(dups)}, per round min {min(dups)} / max {max(dups)} / "
        f"mean {sum(dups) / len(dups):.2f}; rounds with none: {dups.count(0)}"
    )
