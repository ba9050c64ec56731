"""The data files are guarded (issue 16, item 4), through the real ``ldn-bot`` process.

A database that vanished is never silently replaced by an empty one (only ``ldn-bot init``
creates one where a database was before); a file that cannot be used at start-up stops the bot
with one line naming it and what to do, exit 2 and no traceback; a database deleted or replaced
while the bot runs stops it (one log line, exit 2) before anything more is written, keeping the
open copy; ``ldn-bot check-db`` finds a corrupted page that start-up does not read; the data
folder is created 0700.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from storage.db import Store
from tests.e2e.test_cli import env_for, ldn_bot
from tests.emulator import BotApiEmulator

pytestmark = pytest.mark.faults
ANA = 1001
CONSENT = "Is it OK to store"


async def finish(process: asyncio.subprocess.Process) -> tuple[int, str]:
    """Wait for ``ldn-bot`` to exit; its status and everything it wrote."""
    out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode is not None
    return process.returncode, (out + err).decode()


async def run_once(emu: BotApiEmulator, db: Path, *args: str) -> tuple[int, str]:
    process = await ldn_bot(*(args or ("run",)), env=env_for(emu, db), cwd=db.parent.parent)
    return await finish(process)


def existing_database(folder: Path) -> Path:
    """A database as the bot leaves it after a clean stop: the file and its lock file."""
    path = folder / "data" / "ldn.db"
    Store(path).close()
    return path


def companions(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("", "-wal", "-shm")]


def assert_one_clear_line(code: int, output: str, path: Path, *advice: str) -> None:
    assert code == 2, output
    assert "Traceback" not in output, output
    last = output.strip().splitlines()[-1]
    assert last.startswith("ldn-bot: ") and str(path) in last, output
    for words in advice:
        assert words in last, last


# A first run, and a database that vanished ------------------------------------------------------


async def test_first_run_creates_the_data_folder_0700_in_one_command(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    db = tmp_path / "data" / "ldn.db"  # a fresh machine: no data folder at all
    process = await ldn_bot("run", env=env_for(emu, db), cwd=tmp_path)
    try:
        emu.send_text(ANA, "/start")
        await emu.wait_for_message(ANA, contains=CONSENT, timeout=20)
    finally:
        process.send_signal(signal.SIGTERM)
        code, output = await finish(process)
    assert code == 0, output
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


@pytest.mark.parametrize("how", ["deleted", "emptied"])
async def test_a_vanished_database_is_not_replaced_by_an_empty_one(
    emu: BotApiEmulator, tmp_path: Path, how: str
) -> None:
    db = existing_database(tmp_path)
    for path in companions(db):
        path.unlink(missing_ok=True)
    if how == "emptied":
        db.write_bytes(b"")

    code, output = await run_once(emu, db)

    assert_one_clear_line(code, output, db, "a database was here before", "ldn-bot init")
    assert emu.calls == []  # stopped before anything else
    assert not db.exists() or db.stat().st_size == 0  # nothing was created in its place

    code, output = await run_once(emu, db, "init")  # the explicit way to start again
    assert (code, output.strip()) == (0, f"ldn-bot: created an empty database at {db}")
    Store(db).close()  # and from then on it simply opens


async def test_init_leaves_an_existing_database_as_it_is(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    db = existing_database(tmp_path)
    before = db.read_bytes()
    code, output = await run_once(emu, db, "init")
    assert (code, output.strip()) == (0, f"ldn-bot: {db} already holds a database; left as it is")
    assert db.read_bytes() == before


# A file that cannot be used at start-up -----------------------------------------------------------


def random_bytes(db: Path) -> None:
    db.write_bytes(os.urandom(64 * 1024))


def damaged_header(db: Path) -> None:
    with db.open("r+b") as file:
        file.write(b"not SQLite at all")


def truncated(db: Path) -> None:
    with db.open("r+b") as file:
        file.truncate(db.stat().st_size // 2)


def corrupt_page(db: Path, table: str) -> None:
    """Overwrite the root page of ``table`` (here: its only page) with garbage."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", [table]
        ).fetchone()
        (size,) = conn.execute("PRAGMA page_size").fetchone()
    with db.open("r+b") as file:
        file.seek((root - 1) * size)
        file.write(b"\xff" * size)


def corrupted_page_read_at_start_up(db: Path) -> None:
    corrupt_page(db, "processed_updates")  # start-up reads the highest update id from it


START_UP_FAULTS: dict[str, tuple[Callable[[Path], None], tuple[str, ...]]] = {
    "random bytes": (random_bytes, ("not an SQLite database", "backup")),
    "damaged header": (damaged_header, ("not an SQLite database", "backup")),
    "truncated file": (truncated, ("damaged", "backup")),
    "corrupted page": (corrupted_page_read_at_start_up, ("damaged", "backup")),
}


@pytest.mark.parametrize("fault", list(START_UP_FAULTS))
async def test_a_damaged_file_stops_start_up_with_one_line_and_exit_2(
    emu: BotApiEmulator, tmp_path: Path, fault: str
) -> None:
    db = existing_database(tmp_path)
    damage, advice = START_UP_FAULTS[fault]
    damage(db)
    before = db.read_bytes()

    code, output = await run_once(emu, db)

    assert_one_clear_line(code, output, db, *advice)
    assert db.read_bytes() == before  # left exactly as it was found


@pytest.fixture
def immutable(tmp_path: Path) -> Iterator[Path]:
    db = existing_database(tmp_path)
    if subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i needs root and a file system with attributes")
    try:
        yield db
    finally:
        subprocess.run(["chattr", "-i", str(db)], check=True)


async def test_an_immutable_file_stops_start_up_with_one_line(
    emu: BotApiEmulator, immutable: Path
) -> None:
    code, output = await run_once(emu, immutable)
    assert_one_clear_line(code, output, immutable, "cannot be written", "chattr -i")


def can_mount_read_only(folder: Path) -> bool:
    """Whether this machine lets us bind-mount a folder read-only in a user namespace."""
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1"'
    command = ["unshare", "-rm", "sh", "-c", script, "sh", str(folder)]
    return shutil.which("unshare") is not None and subprocess.run(command).returncode == 0


async def test_a_read_only_mount_stops_start_up_with_one_line(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    db = existing_database(tmp_path)
    if not can_mount_read_only(db.parent):
        pytest.skip("no unprivileged user namespaces to mount a folder read-only")
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
    process = await asyncio.create_subprocess_exec(
        *("unshare", "-rm", "sh", "-c", script, "sh", str(db.parent)),
        *(sys.executable, "-m", "bot", "run"),
        env=env_for(emu, db),
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    code, output = await finish(process)
    assert_one_clear_line(code, output, db, "read-only mount")


# Deleted or replaced while running ----------------------------------------------------------------


async def test_a_database_deleted_while_running_stops_the_bot_and_keeps_the_open_copy(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    db = tmp_path / "data" / "ldn.db"
    process = await ldn_bot("run", env=env_for(emu, db), cwd=tmp_path)
    try:
        emu.send_text(ANA, "/start")
        await emu.wait_for_message(ANA, contains=CONSENT, timeout=20)
        emu.press_button(ANA, "Yes, I agree")  # consent stores ANA
        await emu.wait_for_message(ANA, contains="opioid", timeout=20)
        for path in companions(db):
            path.unlink()

        emu.send_text(ANA, "/help")  # the next database work finds the file gone
        code, output = await finish(process)
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.kill()

    assert code == 2, output
    assert "Traceback" not in output, output
    lines = [
        line for line in output.splitlines() if "was deleted while the bot was running" in line
    ]
    assert len(lines) == 1, output
    assert str(db) in lines[0] and "nothing more is written" in lines[0]
    await emu.wait_for_message(ANA, contains="couldn't save")  # not a "saved" that was lost
    assert not db.exists()  # nothing was written in its place

    (rescued,) = db.parent.glob("ldn.db.rescued-*")
    assert str(rescued) in lines[0]
    assert stat.S_IMODE(rescued.stat().st_mode) == 0o600
    with contextlib.closing(sqlite3.connect(rescued)) as conn:
        assert conn.execute("SELECT telegram_id FROM patients").fetchall() == [(ANA,)]

    # The next start does not create an empty database in its place.
    code, output = await run_once(emu, db)
    assert_one_clear_line(code, output, db, "a database was here before")


def test_a_database_replaced_while_open_is_noticed_by_the_watch_without_any_work(
    tmp_path: Path,
) -> None:
    db = existing_database(tmp_path)
    other = existing_database(tmp_path / "other")
    store = Store(db)
    lost = threading.Event()
    try:
        store.run_sync(lambda d: d.execute("CREATE TABLE kept (x)"))
        store.guard(lost.set, every=0.01)
        os.replace(other, db)  # e.g. a backup restored with the bot still running
        assert lost.wait(timeout=10)
        assert store.lost is not None and f"{db} was replaced" in store.lost
        with pytest.raises(sqlite3.DatabaseError, match="was replaced"):
            store.run_sync(lambda d: d.execute("INSERT INTO kept VALUES (1)"))
    finally:
        store.close()
    (rescued,) = db.parent.glob("ldn.db.rescued-*")
    with contextlib.closing(sqlite3.connect(rescued)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM kept").fetchone() == (0,)
    # The old WAL (it held "kept") is set aside, never replayed into the replacement.
    aside = sorted(path.name.split(".lost-")[0] for path in db.parent.glob("*.lost-*"))
    assert aside == ["ldn.db-shm", "ldn.db-wal"]
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'kept'").fetchall() == []
        assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]


# ldn-bot check-db ---------------------------------------------------------------------------------


async def test_check_db_finds_a_corrupted_page_that_start_up_does_not_read(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    db = existing_database(tmp_path)
    code, output = await run_once(emu, db, "check-db")
    assert code == 0, output
    assert output.startswith(f"ldn-bot: {db} is intact (quick_check ok in ")

    corrupt_page(db, "audit_log")
    code, output = await run_once(emu, db, "check-db")
    assert_one_clear_line(code, output, db, "is damaged", "backup")
    assert output.count("\n") == 1
