"""/export and /forget end to end: a patient with doses, a check-in with a typed note, ratings and
a suggestion gets every row of every table in a dated JSON file in local time; after /forget no
row anywhere names them, the note is gone from the database file and its WAL, their old reminder
says their data was deleted, and another patient's data is untouched."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from care import invites
from storage import admin_questions, checkins, patients, privacy, safety, staff
from tests.e2e.harness import BotHarness
from tests.emulator import SentMessage
from tests.unit.test_privacy import rows_with
from titration.benefits import Measure
from titration.caregiving import Scope
from titration.side_effects import Effect

pytestmark = pytest.mark.e2e
ANA, BEA = 1001, 1002
BERLIN = ZoneInfo("Europe/Berlin")
NOTE = "my knees feel like glass marbles"


async def a_week_in(bot: BotHarness) -> None:
    """Ana (set up as after /start): a baseline rating, her capsules counted (/supply), a taken
    night, a morning check-in with a typed note, a suggestion; then tonight's reminder, left
    unanswered."""
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    assert bot.store is not None
    patient_id = bot.db("SELECT id FROM patients WHERE telegram_id = ?", [ANA])[0][0]
    day, now = date(2026, 11, 28), bot.clock.now()
    rating = bot.store.run_sync(checkins.open_rating, patient_id, day, "baseline", None, None)
    for value, measure in zip((7, 3, 8, 4, 6), Measure, strict=True):
        bot.store.run_sync(checkins.rate, rating.id, measure, value, now)
    await bot.say(ANA, "/supply", expect="not counting it yet")  # capsules on hand, counted down
    await bot.tap(ANA, "Start counting", expect="How many capsules")
    await bot.say(ANA, "30", expect="Saved.")
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await bot.tap(ANA, "Taken", expect="taken at")
    await bot.advance_to_local("Europe/Berlin", "09:00")
    await bot.tap(ANA, "Something else", expect="Good morning")
    await bot.tap(ANA, "Done", expect="In a few words")
    await bot.say(ANA, NOTE)
    await bot.tap(ANA, "Moderate", expect="Thanks")
    bot.store.run_sync(
        checkins.record_suggestion, patient_id, Effect.OTHER, "severe", day, bot.clock.now()
    )
    await bot.advance_to_local("Europe/Berlin", "22:00")
    assert len(bot.sent_as(ANA, "Time for tonight")) == 2


def person_tables(bot: BotHarness) -> dict[str, tuple[str, ...]]:
    assert bot.store is not None
    return bot.store.run_sync(privacy.person_tables)


def documents(bot: BotHarness, user: int) -> list[SentMessage]:
    return [m for m in bot.emu.messages(user) if m.document is not None]


def instants(data: dict[str, Any]) -> list[Any]:
    """Every value of a column that holds an instant (``at``, ``…_at``, ``…_since``)."""
    return [
        value
        for rows in data.values()
        if isinstance(rows, list)
        for row in rows
        for column, value in row.items()
        if column == "at" or column.endswith(("_at", "_since"))
    ]


def caring(bot: BotHarness) -> None:
    """Ana also follows Bea as her caregiver, has an open invite of her own, one code of hers
    did not fit, she is clinic staff, told of an opioid and a clinic change about her is asked:
    a row in every caregiver table, in ``staff``, ``safety_events`` and ``admin_questions``."""
    assert bot.store is not None
    run, now = bot.store.run_sync, bot.clock.now()
    made = run(invites.invite, BEA, Scope.ADHERENCE, "Bea", now)
    assert isinstance(made, invites.Invitation) and made.code is not None
    opened = run(invites.open_invite, ANA, made.code, "Ana", "en", now)
    assert opened.link is not None
    run(invites.agree, ANA, opened.link.id, now)
    run(invites.choose_zone, ANA, "Europe/Berlin", now)
    assert isinstance(run(invites.decide, BEA, opened.link.id, True, now), invites.Decided)
    run(invites.invite, ANA, Scope.FULL, "Ana", now)
    run(invites.open_invite, ANA, "cg_guessed", "Ana", "en", now)
    run(staff.grant, [ANA], now)
    ana = run(patients.by_telegram_id, ANA)
    assert ana is not None
    run(safety.record, ana.id, safety.EventKind.OPIOID_TAKEN, "tramadol", now)
    run(
        admin_questions.put,
        9000,
        step="admin_reason",
        patient_id=ana.id,
        action="dose",
        now=now,
        value="1.0",
    )  # a clinic change about her, asked


async def test_export_is_a_dated_json_file_of_every_table_in_local_time(bot: BotHarness) -> None:
    bot.seed_patient(BEA, zone="Europe/Berlin", bedtime="22:00")
    await a_week_in(bot)
    caring(bot)
    await bot.say(ANA, "/export", expect="take to your doctor")
    assert documents(bot, ANA) == []  # nothing before the confirmation
    await bot.tap(ANA, "All my data (JSON)", expect="Send it now?")
    await bot.tap(ANA, "Send", expect="Sent to this chat")

    [sent] = documents(bot, ANA)
    assert documents(bot, BEA) == []  # to the patient's own chat only
    today = bot.clock.now().astimezone(BERLIN).date().isoformat()
    assert sent.filename == f"ldn-companion-export-{today}.json"
    assert sent.caption == "Here is everything I store about you."
    assert sent.document is not None
    data = json.loads(sent.document)
    tables = set(person_tables(bot)) - {privacy.MARKER}
    assert set(data) == {"about"} | tables
    assert [table for table in tables if not data[table]] == []  # rows from every table
    assert data["about"]["time_zone"] == "Europe/Berlin"
    assert "consent_text_sha256" in " ".join(data["about"]["left_out"])
    assert "care_invites.code_sha256" in data["about"]["left_out"]
    assert "code_sha256" not in data["care_invites"][0]
    assert [(link["patient_name"], link["status"]) for link in data["care_links"]] == [
        ("Bea", "active")
    ]
    [patient] = data["patients"]
    assert patient["telegram_id"] == ANA and "consent_text_sha256" not in patient
    assert data["plans"][0]["target_mg"] == "4.5"
    assert (data["supplies"][0]["unit"], data["supplies"][0]["on_hand"]) == ("capsule", "29")
    taken = data["dose_events"][0]
    assert (taken["status"], taken["scheduled_at"]) == ("taken", "2026-11-28T22:00:00+01:00")
    assert all(isinstance(task["due_at"], str) for task in data["due_tasks"])
    times = instants(data)
    assert [value for value in times if isinstance(value, int)] == []  # no Unix seconds
    assert {value[-6:] for value in times if isinstance(value, str) and "T" in value} == {"+01:00"}
    assert [c["other_text"] for c in data["checkins"]] == [NOTE]
    assert data["benefit_ratings"][0]["pain"] == 7
    assert data["suggestions"][0]["effect"] == "other"
    assert data["audit_log"][-1]["action"] == "data.exported"
    beas_id = bot.db("SELECT id FROM patients WHERE telegram_id = ?", [BEA])[0][0]
    # Nothing of Bea's, but the link between them (Ana follows her): Bea's id and first name.
    theirs = [t for t in tables for row in data[t] if row.get("patient_id") == beas_id]
    assert theirs == ["care_links"]


async def test_forget_erases_every_row_and_old_buttons_say_so(bot: BotHarness) -> None:
    bot.seed_patient(BEA, zone="Europe/Berlin", bedtime="22:00")
    await a_week_in(bot)
    ana = bot.db("SELECT id, telegram_id, chat_id FROM patients WHERE telegram_id = ?", [ANA])[0]
    bea = privacy.Person(
        BEA, BEA, bot.db("SELECT id FROM patients WHERE telegram_id = ?", [BEA])[0][0]
    )
    assert bot.store is not None
    beas_rows = bot.store.run_sync(privacy.rows_naming, bea)

    await bot.say(ANA, "/forget", expect="can't be undone")
    await bot.tap(ANA, "Keep my data", expect="nothing deleted")
    assert bot.db("SELECT COUNT(*) FROM patients") == [(2,)]
    await bot.say(ANA, "/forget", expect="can't be undone")
    await bot.tap(ANA, "Delete everything", expect="everything is deleted")

    assert bot.store.run_sync(rows_with, privacy.Person(ANA, ANA, ana[0])) == []
    assert bot.db(
        "SELECT at, actor_telegram_id, target_patient_id, action FROM audit_log "
        "WHERE action = 'data.deleted'"
    ) == [("2026-11-29", None, None, "data.deleted")]
    files = [bot.db_path, bot.db_path.with_name(bot.db_path.name + "-wal")]
    assert [f.name for f in files if f.exists() and NOTE.encode() in f.read_bytes()] == []
    assert bot.store.run_sync(privacy.rows_naming, bea) == beas_rows  # Bea's untouched

    await bot.tap(ANA, "Taken", expect="Your data has been deleted; send /start to begin again.")
    assert bot.db("SELECT COUNT(*) FROM dose_events WHERE patient_id = ?", [ana[0]]) == [(0,)]
    await bot.say(ANA, "/export", expect="I don't have any data about you.")
    await bot.tap(BEA, "Taken", expect="taken at")
