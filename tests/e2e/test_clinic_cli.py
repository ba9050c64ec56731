"""``ldn-bot admin template|rules …``, ``ldn-bot backup`` and ``ldn-bot restore`` as separate
processes: tables on success, one line and a non-zero exit on bad input; a backup taken during
an evening's fan-out restores to a bot that sends the next night's reminders; restore refuses
while a bot holds the database."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from tests.e2e.harness import BotHarness
from tests.e2e.test_cli import env_for, ldn_bot
from tests.emulator import BotApiEmulator

pytestmark = pytest.mark.e2e


async def cli(env: dict[str, str], cwd: Path, *args: str) -> tuple[int, str, str]:
    process = await ldn_bot(*args, env=env, cwd=cwd)
    out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


@pytest.fixture
async def env(emu: BotApiEmulator, tmp_path: Path) -> dict[str, str]:
    environment = env_for(emu, tmp_path / "ldn.db")
    code, _, _ = await cli(environment, tmp_path, "init")
    assert code == 0
    return environment


async def test_template_subcommands_print_tables_and_refuse_bad_input(
    env: dict[str, str], tmp_path: Path
) -> None:
    async def run(*args: str) -> tuple[int, str, str]:
        return await cli(env, tmp_path, "admin", "template", *args)

    code, out, _ = await run("create", "Rose", "--plan", "0.5x14 1x14 1.5x14 3x14 4.5")
    assert (code, out) == (0, "template 1 created: 0.5x14 1x14 1.5x14 3x14 4.5\n")
    code, out, _ = await run(
        "create", "Drops", "--plan", "0.5+0.5x7 to 3", "--form", "liquid 1 mg/ml", "--nudge", "90"
    )
    assert code == 0
    code, out, err = await run("create", "High", "--plan", "0.5+0.5x7 to 6")
    assert (code, out) == (1, "")
    assert (
        err
        == "ldn-bot: template not saved: a target above 4.5 mg needs --confirm-high-target (6)\n"
    )
    code, _, _ = await run("create", "High", "--plan", "0.5+0.5x7 to 6", "--confirm-high-target")
    assert code == 0
    for bad, why in (
        (
            ["create", "Typo", "--plan", "0.5x3 45"],
            "a dose of 10 mg or more is not a low dose (45)",
        ),
        (["create", "Odd", "--plan", "half"], "cannot read the plan"),
        (["create", "rose", "--plan", "1"], "another template in use has this name (1)"),
        (["create", "X", "--plan", "1", "--form", "powder"], 'the form is "capsule"'),
        (["edit", "1", "bedtime", "25:00"], "times are HH:MM"),
        (["edit", "99", "name", "Nobody"], "no such template"),
        (["retire", "99"], "no such template"),
    ):
        code, out, err = await run(*bad)
        assert code == 1 and out == "", bad
        assert err.startswith("ldn-bot: ") and why in err and err.count("\n") == 1, err
    code, out, _ = await run("edit", "1", "nudge", "90")
    assert (
        out
        == "template 1 is now version 2; 0 running plan(s) keep the earlier version until applied\n"
    )
    code, out, _ = await run("retire", "3")
    assert code == 0 and out.startswith("template 3 retired")
    code, out, _ = await run("list")
    lines = out.splitlines()
    assert lines[0].split() == [
        "id",
        "name",
        "plan",
        "form",
        "bedtime",
        "checkin",
        "nudge",
        "status",
        "v",
        "patients",
    ]
    assert lines[1].split() == [
        "1",
        "Rose",
        "0.5x14",
        "1x14",
        "1.5x14",
        "3x14",
        "4.5",
        "capsule",
        "22:00",
        "09:00",
        "90",
        "active",
        "2",
        "0",
    ]
    assert "liquid 1 mg/ml" in lines[2] and len(lines) == 3  # the retired one only with --all
    code, out, _ = await run("list", "--all")
    assert len(out.splitlines()) == 4 and "retired" in out.splitlines()[3]
    code, out, _ = await run("link", "1", "--bot-username", "@ldn_bot")
    assert code == 0 and out.startswith("https://t.me/ldn_bot?start=c_")
    code, _, err = await run("link", "3")
    assert code == 1 and "no such template" in err
    db = sqlite3.connect(tmp_path / "ldn.db")
    audit = db.execute("SELECT actor_telegram_id, actor_role, action FROM audit_log").fetchall()
    db.close()
    assert {row[:2] for row in audit} == {(None, "operator")}
    assert [row[2] for row in audit] == [
        "template.created",
        "template.created",
        "template.created",
        "template.edited",
        "template.retired",
        "template.link_created",
    ]


async def test_rules_subcommands(env: dict[str, str], tmp_path: Path) -> None:
    code, out, _ = await cli(env, tmp_path, "admin", "rules", "set", "moderate_run", "2")
    assert (code, out) == (0, "moderate_run: 3 -> 2\n")
    code, out, _ = await cli(env, tmp_path, "admin", "rules", "list")
    assert code == 0
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[1:]}
    assert rows["moderate_run"] == ["2", "1-30"] and rows["caregiver_missed_alert"] == ["2", "0-7"]
    assert out.splitlines()[0].split() == ["rule", "value", "range"]
    for args, why in (
        (["moderate_run", "99"], "the value is out of range"),
        (["moderate_run", "two"], "the value must be a whole number"),
        (["frequent_reports", "9"], "frequent_reports cannot exceed frequent_window"),
    ):
        code, out, err = await cli(env, tmp_path, "admin", "rules", "set", *args)
        assert code == 1 and out == "" and why in err and err.count("\n") == 1, err
    code, _, err = await cli(env, tmp_path, "admin", "rules", "set", "bedtime", "1")
    assert code == 2 and "invalid choice" in err  # argparse's own one-line refusal
    code, out, _ = await cli(
        env, tmp_path, "admin", "rules", "set", "caregiver_missed_alert", "off"
    )
    assert out == "caregiver_missed_alert: 2 -> 0\n"


async def test_admin_commands_need_a_database(emu: BotApiEmulator, tmp_path: Path) -> None:
    env = env_for(emu, tmp_path / "none.db")
    code, out, err = await cli(env, tmp_path, "admin", "rules", "list")
    assert (code, out) == (2, "")
    assert err == f"ldn-bot: no database at {tmp_path / 'none.db'}; start the bot once first\n"


PATIENTS = 120  # about 4 s of paced sending: the backup lands in the middle of it


async def test_a_backup_during_the_fan_out_restores_to_a_bot_that_sends_the_next_night(
    bot: BotHarness, emu: BotApiEmulator, tmp_path: Path
) -> None:
    ids = list(range(5001, 5001 + PATIENTS))
    for telegram_id in ids:
        bot.seed_patient(telegram_id, zone="Europe/Berlin", bedtime="22:00")
    env = env_for(emu, bot.db_path)
    copy = tmp_path / "nightly.db"
    fan_out = asyncio.create_task(bot.advance_to_local("Europe/Berlin", "22:00"))

    def reminded() -> int:
        return sum(1 for t in ids if bot.sent_as(t, "Time for tonight"))

    await emu.wait_for(lambda: reminded() >= 5, what="the fan-out under way", timeout=30)
    code, out, err = await cli(env, tmp_path, "backup", str(copy))
    sent_by_then = reminded()
    await fan_out
    assert code == 0, err
    assert out.startswith(f"ldn-bot: backed up {bot.db_path} to {copy}")
    assert 5 <= sent_by_then < PATIENTS, "the backup was taken while reminders went out"
    assert reminded() == PATIENTS

    # Restoring while the bot runs is refused: the bot holds the database.
    code, out, err = await cli(env, tmp_path, "restore", str(copy))
    assert (code, out) == (2, "")
    assert "a bot is running on" in err and err.count("\n") == 1

    # The server is lost; the nightly copy is restored and the bot started on it.
    await bot.stop()
    bot.db_path.unlink()
    code, out, err = await cli(env, tmp_path, "restore", str(copy))
    assert code == 0, err
    await bot.start()
    await bot.advance_to_local("Europe/Berlin", "22:00")  # the next night
    tonight = bot.db(
        "SELECT COUNT(DISTINCT patient_id) FROM dose_events "
        "WHERE dose_day = (SELECT MAX(dose_day) FROM dose_events)"
    )
    assert tonight == [(PATIENTS,)]
    for telegram_id in ids:
        reminders = bot.sent_as(telegram_id, "Time for tonight")
        # Tonight's reminder (and, for the night in the copy still unsent, one more, saying so).
        assert 2 <= len(reminders) <= 3, (telegram_id, reminders)
    assert bot.db("SELECT COUNT(*) FROM patients") == [(PATIENTS,)]
