"""``ldn-bot run`` as a real subprocess against an in-process emulator, for crash tests.

The subprocess reads the system clock, so patients are seeded with bedtimes that fall due a few
seconds before it starts (each in its own zone). ``BotProcess`` starts the bot with its stderr
in a file (a full pipe would block the bot), kills or stops it, and hands the log to the
suite-wide log scan.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sqlite3
import sys
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from storage.db import Store, write_transaction
from tests.emulator import BotApiEmulator
from tests.faults.logscan import SINK
from tests.seeding import onboarded_patient

REPO = Path(__file__).resolve().parents[2]
REMINDER = "tonight's LDN"

# Whole-, half- and quarter-hour offsets on both sides of UTC, with and without DST.
ZONES = (
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "America/St_Johns",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Adelaide",
    "Pacific/Chatham",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
)


def due_instant(now: datetime) -> datetime:
    """The latest whole minute at least two seconds before ``now``: a bedtime just passed."""
    return (now - timedelta(seconds=2)).replace(second=0, microsecond=0)


def _unambiguous(zone: str, at: datetime) -> str:
    """``zone``, or UTC in the rare hour when ``at``'s wall time there happens twice (the
    reminder would then be due an hour earlier, before it was armed)."""
    wall = at.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    first, second = (wall.replace(tzinfo=ZoneInfo(zone), fold=f).utcoffset() for f in (0, 1))
    return zone if first == second else "UTC"


def seed_due_patients(db_path: Path, users: Iterable[int], at: datetime) -> None:
    """Onboarded patients whose first reminder is due at ``at`` (one zone each, round robin)."""
    armed_before = at - timedelta(seconds=30)

    def seed(db: Database) -> None:
        with write_transaction(db):
            for n, user in enumerate(users):
                zone = _unambiguous(ZONES[n % len(ZONES)], at)
                bedtime = at.astimezone(ZoneInfo(zone)).strftime("%H:%M")
                onboarded_patient(db, user, zone=zone, bedtime=bedtime, now=armed_before)

    store = Store(db_path)
    try:
        store.run_sync(seed)
    finally:
        store.close()


def reminder_states(db_path: Path) -> dict[int, str]:
    """telegram id -> state of each patient's first (earliest) reminder task, read directly."""
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        rows = conn.execute(
            "SELECT p.telegram_id, t.state FROM due_tasks t JOIN patients p ON p.id = t.patient_id "
            "WHERE t.kind = 'reminder' AND t.dose_day = ("
            "  SELECT MIN(dose_day) FROM due_tasks WHERE patient_id = t.patient_id"
            "  AND kind = 'reminder')"
        ).fetchall()
    return {int(user): str(state) for user, state in rows}


def integrity(db_path: Path) -> str:
    """``PRAGMA integrity_check`` of the file (after WAL recovery), as one string."""
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        return "; ".join(str(row[0]) for row in conn.execute("PRAGMA integrity_check"))


def bot_env(
    emu: BotApiEmulator, db_path: Path, *, token: str | None = None, base_url: str | None = None
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ADMIN_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=token or emu.token,
        TELEGRAM_API_BASE_URL=base_url or emu.base_url,
        DATABASE_PATH=str(db_path),
        LOG_LEVEL="DEBUG",
        PYTHONPATH=str(REPO),
    )
    return env


class BotProcess:
    """One ``python -m bot run`` with its stderr in ``log_path`` (token and API URL may be
    overridden, e.g. to point the bot at a proxy in front of the emulator)."""

    def __init__(
        self,
        emu: BotApiEmulator,
        db_path: Path,
        log_path: Path,
        *,
        token: str | None = None,
        base_url: str | None = None,
        scanned: bool = True,
    ) -> None:
        self._env = bot_env(emu, db_path, token=token, base_url=base_url)
        self._scanned = scanned  # False only for a test that leaks on purpose (an xfail)
        self._db_path = db_path
        self.log_path = log_path
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log_path.open("wb") as log:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                env=self._env,
                cwd=self._db_path.parent,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=log,
            )

    async def kill(self) -> None:
        """SIGKILL: no clean-up of any kind (the OS still keeps what was written)."""
        assert self._process is not None
        self._process.send_signal(signal.SIGKILL)
        await self._process.wait()
        self._collect()

    async def exited(self, timeout: float = 30.0) -> int:  # noqa: ASYNC109
        """Wait for the process to end by itself; its exit code."""
        assert self._process is not None
        code = await asyncio.wait_for(self._process.wait(), timeout)
        self._collect()
        return code

    async def terminate(self, timeout: float = 20.0) -> int:  # noqa: ASYNC109
        """SIGTERM and wait: PTB stops polling, the send queue drains, the store closes."""
        assert self._process is not None
        self._process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(self._process.wait(), timeout)
        self._collect()
        return code

    async def ensure_dead(self) -> None:
        """For ``finally`` blocks: never leave a bot running after a failed test."""
        if self._process is not None and self._process.returncode is None:
            self._process.send_signal(signal.SIGKILL)
            await self._process.wait()
            self._collect()

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def _collect(self) -> None:
        if self._scanned:
            SINK.add_external(str(self.log_path), self.log)


def now_utc() -> datetime:
    return datetime.now(UTC)
