"""``ldn-bot admin …`` as a separate process beside a database and the emulator: each subcommand
does its one thing (and tells the patient or sets a menu over the emulator), and bad input gets
one clear line and a non-zero exit."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from storage import safety
from storage.db import Store
from storage.safety import EventKind
from tests.clock import FakeClock
from tests.e2e.harness import BotHarness
from tests.e2e.test_cli import env_for, ldn_bot
from tests.emulator import BotApiEmulator
from tests.seeding import onboarded_patient

pytestmark = pytest.mark.e2e
ANA = 1001
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.fixture
def db_path(tmp_path: Path, emu: BotApiEmulator) -> Path:
    path = tmp_path / "ldn.db"
    store = Store(path)
    for n in range(12):
        emu.start_chat(ANA + n)
        store.run_sync(onboarded_patient, ANA + n, zone="Europe/Berlin", bedtime="22:00", now=NOW)
    store.run_sync(lambda db: db.execute("UPDATE patients SET status = 'paused' WHERE id = 5"))
    store.close()
    return path


async def admin(emu: BotApiEmulator, db: Path, *args: str) -> tuple[int, str, str]:
    process = await ldn_bot("admin", *args, env=env_for(emu, db), cwd=db.parent)
    out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    store = Store(db, exclusive=False)
    try:
        return store.run_sync(lambda d: d.execute(sql).fetchall())
    finally:
        store.close()


async def one_error(emu: BotApiEmulator, db: Path, *args: str, says: str) -> None:
    code, out, err = await admin(emu, db, *args)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and says in err, err


async def test_grant_and_revoke(emu: BotApiEmulator, db_path: Path) -> None:
    emu.start_chat(777)
    code, out, _ = await admin(emu, db_path, "grant", "777")
    assert code == 0 and out == "ldn-bot: 777 is now an admin\n"
    scope = {"type": "chat", "chat_id": 777}
    assert "admin" in [c["command"] for c in emu.commands(scope, "de")]
    code, out, _ = await admin(emu, db_path, "grant", "778")
    assert code == 0
    code, out, _ = await admin(emu, db_path, "revoke", "777")
    assert code == 0 and out == "ldn-bot: 777 is no longer an admin\n"
    assert emu.commands(scope) == [] and emu.commands(scope, "de") == []
    assert rows(db_path, "SELECT telegram_id FROM staff") == [(778,)]
    await one_error(emu, db_path, "revoke", "777", says="777 is not an admin")
    await one_error(emu, db_path, "revoke", "778", says="778 is the last admin")
    await one_error(emu, db_path, "grant", "abc", says="'abc' is not a Telegram id")
    audit = rows(
        db_path,
        "SELECT actor_role, action, target_telegram_id FROM audit_log "
        "WHERE action LIKE 'staff.%' ORDER BY id",
    )
    assert audit == [
        ("operator", "staff.granted", 777),
        ("operator", "staff.granted", 778),
        ("operator", "staff.revoked", 777),
    ]


async def test_patients_lists_a_page_and_those_needing_attention(
    emu: BotApiEmulator, db_path: Path
) -> None:
    code, out, _ = await admin(emu, db_path, "patients")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["patient", "dose", "step"]
    assert [line.split()[0] for line in lines[1:-1]] == [f"P-{n:04d}" for n in range(1, 11)]
    assert lines[-1] == "page 1 of 2 · 12 patients"
    assert "paused" in lines[5] and "0.5 mg" in lines[1]
    code, out, _ = await admin(emu, db_path, "patients", "--attention")
    assert code == 0 and out.splitlines()[1].startswith("P-0005")
    assert out.splitlines()[-1] == "page 1 of 1 · 1 patient"
    store = Store(db_path, exclusive=False)
    try:  # the CLI's clock is the real one: events of just now
        just_now = datetime.now(UTC)
        store.run_sync(safety.record, 8, EventKind.URGENT_SIGN, None, just_now, sign="liver")
        store.run_sync(safety.record, 9, EventKind.OPIOID_TAKEN, "tramadol", just_now)
    finally:
        store.close()
    code, out, _ = await admin(emu, db_path, "patients", "--attention")
    flagged = out.splitlines()[1:-1]
    assert [line.split()[0] for line in flagged] == ["P-0005", "P-0008", "P-0009"]
    assert flagged[1].endswith("urgent sign") and flagged[2].endswith("opioid")
    assert "tramadol" not in out and "liver" not in out
    await one_error(emu, db_path, "patients", "--page", "0", says="--page counts from 1")
    viewed = rows(db_path, "SELECT count(*) FROM audit_log WHERE action = 'admin.viewed_patients'")
    assert viewed == [(3,)]


async def test_set_dose_tells_the_patient_and_refuses_bad_doses(
    emu: BotApiEmulator, db_path: Path
) -> None:
    code, out, _ = await admin(emu, db_path, "set-dose", "P-0001", "1", "--reason", "too sleepy")
    assert code == 0 and out == "ldn-bot: P-0001: dose 0.5 -> 1.0\n"
    told = emu.last_message(ANA).body
    assert "Your clinic changed your daily dose to 1.0 mg" in told and "too sleepy" in told
    await one_error(
        emu, db_path, "set-dose", "P-0001", "6", "--reason", "letter", says="--confirm-above-4.5"
    )
    await one_error(
        emu, db_path, "set-dose", "P-0001", "45", "--reason", "x", says="did you mean 4.5"
    )
    await one_error(emu, db_path, "set-dose", "P-0001", "12.5", "--reason", "x", says="not a low")
    await one_error(emu, db_path, "set-dose", "P-0099", "1", "--reason", "x", says="no enrolled")
    await one_error(emu, db_path, "set-dose", "Ana", "1", "--reason", "x", says="not a patient")
    await one_error(emu, db_path, "set-dose", "P-0001", "1", "--reason", " ", says="--reason")
    code, _, _ = await admin(
        emu, db_path, "set-dose", "2", "6", "--reason", "letter", "--confirm-above-4.5"
    )
    assert code == 0
    assert rows(db_path, "SELECT current_dose_mg FROM patients WHERE id IN (1, 2)") == [
        ("1.0",),
        ("6.0",),
    ]
    audit = rows(
        db_path, "SELECT actor_role, before, after FROM audit_log WHERE action = 'admin.dose'"
    )
    assert audit == [("operator", "0.5", "1.0"), ("operator", "0.5", "6.0")]


async def test_pause_and_resume(emu: BotApiEmulator, db_path: Path) -> None:
    code, out, _ = await admin(emu, db_path, "pause", "P-0003")
    assert code == 0 and out == "ldn-bot: P-0003: pause active -> paused\n"
    assert "Your clinic paused your reminders" in emu.last_message(ANA + 2).body
    assert rows(
        db_path, "SELECT count(*) FROM due_tasks WHERE patient_id = 3 AND state = 'pending'"
    ) == [(0,)]
    code, out, _ = await admin(emu, db_path, "pause", "P-0003")
    assert code == 0 and out == "ldn-bot: P-0003: nothing to change\n"
    code, out, _ = await admin(emu, db_path, "resume", "3")
    assert code == 0 and "turned your reminders back on" in emu.last_message(ANA + 2).body
    assert rows(
        db_path, "SELECT count(*) FROM due_tasks WHERE patient_id = 3 AND state = 'pending'"
    ) != [(0,)]


async def test_audit_exports_rfc_4180_csv_since_a_day(emu: BotApiEmulator, db_path: Path) -> None:
    await admin(emu, db_path, "pause", "P-0002")
    code, out, _ = await admin(emu, db_path, "audit", "--since", "2026-01-01", "--format", "csv")
    assert code == 0
    assert out.endswith("\r\n") and "\n" not in out.replace("\r\n", "")
    table = list(csv.reader(io.StringIO(out, newline="")))
    assert table[0] == [
        "at",
        "actor_role",
        "actor_telegram_id",
        "action",
        "target",
        "before",
        "after",
        "detail",
    ]
    paused = [row for row in table[1:] if row[3] == "admin.pause"]
    assert paused == [
        [paused[0][0], "operator", "", "admin.pause", "P-0002", "active", "paused", ""]
    ]
    code, out, _ = await admin(emu, db_path, "audit", "--since", "2999-01-01", "--format", "csv")
    assert code == 0 and out.count("\r\n") == 1  # the header only
    await one_error(emu, db_path, "audit", "--since", "yesterday", says="is not a date")


async def test_without_a_database_it_says_so(emu: BotApiEmulator, tmp_path: Path) -> None:
    code, _, err = await admin(emu, tmp_path / "none.db", "patients")
    assert code == 2 and err.strip() == f"ldn-bot: no database at {tmp_path / 'none.db'}"


async def test_a_reminder_moved_from_the_cli_follows_in_the_running_bot(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    """The CLI is another process: the running bot is not told, it notices the write
    (``scheduler.wakeup``'s watch) and sends the moved reminder by its own wake-up, without the
    test's ``settle`` (which would read the database itself). Before the watch, the bot slept
    on for up to 10 minutes, armed for the old time."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    zone = f"Etc/GMT{now.hour - 12:+d}"  # where it is about noon now (Etc/ signs are reversed)
    local = ZoneInfo(zone)
    assert 12 <= now.astimezone(local).hour < 13
    bot = BotHarness(
        emu, tmp_path / "ldn.db", clock=FakeClock(now), rate_limit=False, watch_every=0.05
    )
    await bot.start()
    try:
        bot.seed_patient(ANA, zone=zone, bedtime="22:00")
        await bot.settle()
        # The bot's clock has reached 14:00 (no settle: its wake-up is armed for 22:00 or for
        # 10 minutes from the last look); the operator, at the real noon, moves the reminder.
        bot.clock.set(now.astimezone(local).replace(hour=14, minute=0))
        code, out, err = await admin(emu, bot.db_path, "move-reminder", "P-0001", "14:00")
        assert (code, out) == (0, "ldn-bot: P-0001: time 22:00 -> 14:00\n"), err
        reminder = await emu.wait_for_message(ANA, contains="Time for tonight", timeout=10)
        assert "0.5 mg" in reminder.body
        await emu.wait_for_message(ANA, contains="moved your reminder to 14:00")
    finally:
        await bot.stop()
    assert rows(bot.db_path, "SELECT count(*) FROM due_tasks WHERE state = 'sent'") == [(1,)]
    await one_error(emu, bot.db_path, "move-reminder", "P-0001", "25:00", says="not a time of day")


async def test_a_command_line_argparse_cannot_read_gets_one_line(
    emu: BotApiEmulator, db_path: Path
) -> None:
    for args, says in (
        (("set-dose", "P-0001", "2"), "the following arguments are required: --reason"),
        (("frobnicate",), "invalid choice: 'frobnicate'"),
        (("patients", "--page", "x"), "invalid int value: 'x'"),
    ):
        code, out, err = await admin(emu, db_path, *args)
        assert (code, out) == (2, "") and err.count("\n") == 1 and says in err, err
        assert "usage:" not in err
    await one_error(emu, db_path, "patients", "--page", "3", says="past the last page (2)")


async def test_apply_template_switches_or_updates_a_patient_who_is_told(
    emu: BotApiEmulator, db_path: Path
) -> None:
    code, _, err = await admin(
        emu, db_path, "template", "create", "Slow", "--plan", "0.5x7 1x7 1.5"
    )
    assert code == 0, err
    code, out, _ = await admin(emu, db_path, "apply-template", "1", "P-0001")
    assert (code, out) == (0, "ldn-bot: P-0001 now follows template 1 (version 1)\n")
    told = emu.last_message(ANA).body
    assert "Your clinic updated your dose plan" in told and "0.5 mg (7 nights)" in told
    await one_error(emu, db_path, "apply-template", "1", "P-0001", says="follow its current")
    code, _, _ = await admin(emu, db_path, "template", "edit", "1", "plan", "0.5x5 1x5 1.5")
    assert code == 0
    code, out, _ = await admin(emu, db_path, "apply-template", "1", "1")
    assert (code, out) == (0, "ldn-bot: P-0001 now follows template 1 (version 2)\n")
    assert "0.5 mg (5 nights)" in emu.last_message(ANA).body
    await one_error(emu, db_path, "apply-template", "9", "P-0001", says="not an active template")
    await one_error(emu, db_path, "apply-template", "1", "P-0099", says="not enrolled")
    audit = rows(
        db_path,
        "SELECT actor_role, action, target_patient_id FROM audit_log "
        "WHERE action IN ('template.switched', 'template.applied') ORDER BY id",
    )
    assert audit == [("operator", "template.switched", 1), ("operator", "template.applied", 1)]
