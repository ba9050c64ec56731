"""The real ``ldn-bot run`` meeting a bad start (F10/F11, rows 12–13): a rejected token fails
fast and says so; a Bot API that is down for a moment at boot is waited for; one that stays down
makes the process exit non-zero so the supervisor restarts it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.emulator import BotApiEmulator
from tests.faults.crashrun import BotProcess
from tests.faults.proxy import SwitchableProxy

pytestmark = pytest.mark.faults
ANA = 1001


@pytest.fixture
async def proxy(emu: BotApiEmulator) -> AsyncIterator[SwitchableProxy]:
    server = SwitchableProxy(emu)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def test_rejected_token_fails_fast_without_a_retry_loop(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    bot = BotProcess(emu, tmp_path / "ldn.db", tmp_path / "run.log", token="42:revoked-token")
    await bot.start()
    try:
        assert await bot.exited(timeout=20) != 0
    finally:
        await bot.ensure_dead()
    assert len(emu.calls_to("getMe")) == 1  # one try, no loop
    assert emu.calls_to("getMe")[0].status == 401
    assert "rejected by the server" in bot.log


async def test_a_wrong_api_url_does_not_print_the_token(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    typo = emu.base_url.replace("/bot", "/bots/bot")
    # scanned=False: while the bug stands this log holds the token; the suite scan skips it.
    bot = BotProcess(emu, tmp_path / "ldn.db", tmp_path / "run.log", base_url=typo, scanned=False)
    await bot.start()
    try:
        assert await bot.exited(timeout=20) != 0
    finally:
        await bot.ensure_dead()
    assert "rejected" in bot.log
    assert emu.token.split(":", 1)[1] not in bot.log


async def test_api_down_for_a_moment_at_boot_is_waited_out(
    emu: BotApiEmulator, proxy: SwitchableProxy, tmp_path: Path
) -> None:
    bot = BotProcess(emu, tmp_path / "ldn.db", tmp_path / "run.log", base_url=proxy.base_url)
    await bot.start()
    try:
        await emu.wait_for(lambda: proxy.refused >= 1, 20, what="a refused first attempt")
        proxy.up = True  # the API is back while the bot is still in its bootstrap retries
        emu.send_text(ANA, "/start")
        await emu.wait_for_message(ANA, contains="Is it OK to store", timeout=20)
        assert await bot.terminate() == 0
    finally:
        await bot.ensure_dead()
    assert len(emu.calls_to("getMe")) == 1


@pytest.mark.slow
async def test_api_down_through_every_retry_exits_non_zero_for_the_supervisor(
    emu: BotApiEmulator, proxy: SwitchableProxy, tmp_path: Path
) -> None:
    bot = BotProcess(emu, tmp_path / "ldn.db", tmp_path / "run.log", base_url=proxy.base_url)
    await bot.start()
    try:
        assert await bot.exited(timeout=60) != 0
    finally:
        await bot.ensure_dead()
    assert proxy.refused >= 4  # the first try and bootstrap_retries=3 more
    assert emu.calls == []
    assert "Aborting" in bot.log
