"""Shared fixtures: the Bot API emulator and the bot running against it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.harness import BotHarness
from tests.emulator import BotApiEmulator


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as emulator:
        yield emulator


# Strings that must never reach a log line: the token, and message contents from the fixtures.
NEVER_LOGGED = ("Time for tonight", "taken at", "Is it OK to store", "opioid medicine", "Gentle")


@pytest.fixture
async def bot(
    emu: BotApiEmulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[BotHarness]:
    caplog.set_level(logging.DEBUG)
    harness = BotHarness(emu, tmp_path / "ldn.db")
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()
    secret = emu.token.split(":", 1)[1]
    leaked = [
        record.getMessage()
        for record in caplog.records
        if secret in record.getMessage() or any(s in record.getMessage() for s in NEVER_LOGGED)
    ]
    assert leaked == [], "secrets or message contents were logged"
