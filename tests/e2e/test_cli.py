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


async def test_check_config_accepts_a_good_setup(emu: BotApiEmulator, tmp_path: Path) -> None:
    process = await ldn_bot(
        "check-config", env=env_for(emu, tmp_path / "new" / "ldn.db"), cwd=tmp_path
    )
    out, err = await process.communicate()
    assert (process.returncode, out.decode().strip(), err) == (0, "ldn-bot: configuration OK", b"")


async def test_check_config_and_run_refuse_an_unwritable_database_path_in_one_line(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    env = env_for(emu, blocker / "data" / "ldn.db")
    for command in ("check-config", "run"):
        process = await ldn_bot(command, env=env, cwd=tmp_path)
        _, err = await process.communicate()
        lines = err.decode().strip().splitlines()
        assert process.returncode == 2, command
        assert len(lines) == 1 and lines[0].startswith("ldn-bot:"), lines
        assert str(blocker) in lines[0] and "Traceback" not in lines[0]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write any folder")
async def test_check_config_refuses_a_read_only_folder(emu: BotApiEmulator, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o555)
    process = await ldn_bot("check-config", env=env_for(emu, folder / "ldn.db"), cwd=tmp_path)
    _, err = await process.communicate()
    assert process.returncode == 2
    assert err.decode().strip() == (
        f"ldn-bot: DATABASE_PATH: the folder {folder} is not writable by this user"
    )


async def test_check_config_refuses_the_example_token_and_a_bad_api_url(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    db = tmp_path / "ldn.db"
    cases = {
        "TELEGRAM_BOT_TOKEN": "123456789:replace-with-your-token",
        "TELEGRAM_API_BASE_URL": "127.0.0.1:8081/bot",
    }
    for name, value in cases.items():
        process = await ldn_bot("check-config", env={**env_for(emu, db), name: value}, cwd=tmp_path)
        _, err = await process.communicate()
        assert process.returncode == 2
        assert err.decode().startswith(f"ldn-bot: {name}: "), err


async def test_run_without_network_says_it_cannot_reach_telegram(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on: connection refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ADMIN_"))}
    env.update(
        TELEGRAM_BOT_TOKEN="123:s3cret",
        TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{port}/bot",
        DATABASE_PATH=str(tmp_path / "ldn.db"),
    )
    process = await ldn_bot("run", env=env, cwd=tmp_path)
    _, err = await asyncio.wait_for(process.communicate(), timeout=60)
    text = err.decode()
    assert process.returncode == 1  # systemd's Restart=on-failure tries again later
    assert "ldn-bot: cannot reach Telegram at 127.0.0.1" in text
    assert "refused to start" not in text and "s3cret" not in text
    assert "Unclosed client session" not in text
    assert "Traceback" not in text  # PTB's retry loop: one line, the exception named
    assert "Failed run number 3 of 3. Aborting. (NetworkError:" in text
