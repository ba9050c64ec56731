"""Shared fixtures: the Bot API emulator and the bot running against it."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.harness import BotHarness, BotOptions
from tests.emulator import BotApiEmulator


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as emulator:
        yield emulator


# Strings that must never reach a log line: the token, and message contents from the fixtures.
NEVER_LOGGED = ("Time for tonight", "taken at", "Is it OK to store", "opioid medicine", "Gentle")


@pytest.fixture
def bot_options(request: pytest.FixtureRequest) -> BotOptions:
    """Options for ``bot``: the defaults (real HTTP, paced sends) unless a test module overrides
    this fixture, e.g. with ``HANDLER_FLOW`` (in-process, unpaced) for handler flows. Tests
    marked ``per_chat_pace`` get Telegram's per-chat pace too."""
    if request.node.get_closest_marker("per_chat_pace") is not None:
        return BotOptions(per_chat_pace=True)
    return BotOptions()


@pytest.fixture
async def bot(
    emu: BotApiEmulator,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    bot_options: BotOptions,
) -> AsyncIterator[BotHarness]:
    caplog.set_level(logging.DEBUG)
    harness = BotHarness(emu, tmp_path / "ldn.db", **bot_options)
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()
    secret = emu.token.split(":", 1)[1]
    # Every phase's records (set-up, the test itself, tear-down), tracebacks included.
    records = [*caplog.get_records("setup"), *caplog.get_records("call"), *caplog.records]
    shown = [logging.Formatter().format(record) for record in records]
    leaked = [text for text in shown if secret in text or any(s in text for s in NEVER_LOGGED)]
    assert leaked == [], "secrets or message contents were logged"


# Fault suite (tests/faults): every test is marked `faults`; heavy variants are also `slow` and
# only run with --run-slow or LDN_FULL_FAULTS=1.
def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-slow",
        action="store_true",
        default=False,
        help="also run tests marked slow (the full fault suite); or set LDN_FULL_FAULTS=1",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "faults: fault-injection test (tests/faults)")
    config.addinivalue_line("markers", "slow: heavy variant; runs only with --run-slow")


def run_slow(config: pytest.Config) -> bool:
    """Whether the heavy variants run: --run-slow, or LDN_FULL_FAULTS=1 in the environment."""
    return bool(config.getoption("--run-slow")) or os.environ.get("LDN_FULL_FAULTS") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if run_slow(config):
        return
    skip = pytest.mark.skip(reason="slow: give --run-slow or set LDN_FULL_FAULTS=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
