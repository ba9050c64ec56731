"""The real entry point, ``ldn-bot``, as a separate process against the emulator."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.emulator import BotApiEmulator

pytestmark = pytest.mark.e2e
ANA = 1001


def env_for(emu: BotApiEmulator, db: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ADMIN_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=emu.token,
        TELEGRAM_API_BASE_URL=emu.base_url,
        DATABASE_PATH=str(db),
        LOG_LEVEL="DEBUG",
        **extra,
    )
    return env


async def ldn_bot(*args: str, env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_missing_token_stops_with_one_clear_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    process = await ldn_bot("run", env=env, cwd=tmp_path)
    _, err = await process.communicate()
    assert process.returncode == 2
    assert err.decode().strip() == "ldn-bot: TELEGRAM_BOT_TOKEN is not set (see .env.example)"


async def test_run_serves_refuses_a_second_instance_and_stops_on_sigterm(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    env = env_for(emu, tmp_path / "ldn.db")
    first = await ldn_bot("run", env=env, cwd=tmp_path)
    try:
        emu.send_text(ANA, "/start")
        consent = await emu.wait_for_message(ANA, contains="Is it OK to store", timeout=20)
        assert [b["text"] for b in consent.buttons()] == ["Yes, I agree", "No thanks"]
        second = await ldn_bot("run", env=env, cwd=tmp_path)
        _, err = await second.communicate()
        assert second.returncode == 2
        assert "already using" in err.decode()
    finally:
        first.send_signal(signal.SIGTERM)
        _, log = await asyncio.wait_for(first.communicate(), timeout=20)
    assert first.returncode == 0
    text = log.decode()
    assert "Application started" in text
    assert emu.token.split(":")[1] not in text
    assert "Is it OK to store" not in text  # message contents never logged, even at DEBUG
