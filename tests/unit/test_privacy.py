"""Export and erasure over every table, found from the schema: a table added later is covered,
the audit keeps only an anonymous trace, and a note the person typed is gone from the database
file and its write-ahead log."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from care import privacy as care_privacy
from care import staff as care_staff
from care.people import Refusal
from care.reminders import audit_own
from storage import (
    admin_questions,
    care_invites,
    caregivers,
    checkins,
    doses,
    patients,
    privacy,
    safety,
    staff,
    supplies,
)
from storage.db import Store, connect, write_transaction
from storage.migrations import MIGRATIONS
from storage.privacy import MARKER, PERSON_COLUMNS, Key, Person
from tests.seeding import consented_patient, onboarded_patient
from titration import invite_codes
from titration.benefits import Measure
from titration.caregiving import LinkStatus, Scope
from titration.side_effects import Effect, Severity
from titration.supply import SupplyUnit

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
DAY = date(2026, 11, 29)
ANA, BEA = 1001, 1002
NOTE = "my knees feel like glass marbles"

# Columns that look as if they could name a person, reviewed: they do not name a patient.
REVIEWED = {
    ("rules", "updated_by"): "the Telegram id of the clinic admin who changed a threshold",
    ("audit_log", "actor_role"): "a role ('patient', 'caregiver', 'admin'), not an id",
    ("care_invites", "patient_name"): "the inviting patient's first name, on a row its "
    "patient_id names (exported and erased with it)",
    ("care_links", "patient_name"): "the patient's first name as the caregiver sees it, on a "
    "row its patient_id and caregiver_id name (exported to both, erased with either)",
}
FOLLOWER = 500  # added to a patient's Telegram id: the caregiver who follows them
FOLLOWED = 700  # added to a patient's Telegram id: the patient they follow as a caregiver


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "ldn.db")
    yield opened
    opened.close()


def lived(db: Database, telegram_id: int, note: str, *, care: bool = True) -> Person:
    """A patient with rows in every table: plan, doses, tasks, a check-in with a typed note,
    ratings, a suggestion, audit entries; the admin role; and (``care``: the schema has them)
    invites, links both ways and a failed code."""
    patient_id = onboarded_patient(db, telegram_id, zone="Europe/Berlin", bedtime="22:00", now=NOW)
    patient = patients.by_id(db, patient_id)
    assert patient is not None
    night = datetime(2026, 11, 28, 21, 0, tzinfo=UTC)
    event = doses.ensure(db, patient_id, date(2026, 11, 28), night, Decimal("0.5"))
    doses.answer(db, event.id, "taken", night + timedelta(minutes=5))
    checkin = checkins.open_for(db, patient_id, DAY, Decimal("0.5"), 1, NOW)
    assert checkin is not None
    checkins.save_draft(db, checkin.id, {"other_text": note})
    checkins.finish(db, checkin.id, {Effect.OTHER: Severity.MODERATE}, note, NOW)
    rating = checkins.open_rating(db, patient_id, DAY, "baseline", None, None)
    for value, measure in enumerate(Measure):
        checkins.rate(db, rating.id, measure, value + 3, NOW)
    checkins.record_suggestion(db, patient_id, Effect.DREAMS, "persistent", DAY, NOW)
    audit_own(db, patient, "plan.started", NOW)
    audit_own(db, patient, "reminders.paused", NOW)
    if "safety_events" in db.table_names():  # not before migration 0008
        safety.record(db, patient_id, safety.EventKind.OPIOID_TAKEN, "tramadol", NOW)
    if "admin_questions" in db.table_names():  # since 0010: a clinic change asked about them
        admin_questions.put(
            db,
            9000 + patient_id,
            step="admin_reason",
            patient_id=patient_id,
            action="dose",
            now=NOW,
            value="1.0",
        )
    if "supplies" in db.table_names():  # since 0013: capsules on hand, and what a dose took
        supplies.put(db, patient_id, SupplyUnit.CAPSULE, Decimal(30), NOW, reorder_told=False)
        supplies.record_use(db, patient_id, event.id, Decimal(1))
    if not care:
        return care_privacy.person(patient)
    staff.grant(db, [telegram_id], NOW)
    return care_privacy.person(patient, caring(db, patient, telegram_id))


def caring(db: Database, patient: patients.Patient, telegram_id: int) -> caregivers.Caregiver:
    """Their caregiving: an open invite, a caregiver who follows them, a code of theirs that did
    not fit, and their own caregiver row following another patient (both roles, kept apart)."""
    with write_transaction(db):
        care_invites.create(
            db,
            patient_id=patient.id,
            code_sha256=invite_codes.fingerprint(invite_codes.new_code()),
            scope=Scope.FULL,
            patient_name="Ana",
            now=NOW,
            expires_at=NOW + invite_codes.VALID_FOR,
        )
        care_invites.fail(db, telegram_id, NOW)
        follower = caregivers.create(
            db,
            telegram_id=telegram_id + FOLLOWER,
            chat_id=telegram_id + FOLLOWER,
            name="Sam",
            language="de",
            now=NOW,
        )
        link(db, patient.id, follower.id, "Ana")
        other = consented_patient(db, telegram_id + FOLLOWED, now=NOW)
        own = caregivers.create(
            db, telegram_id=telegram_id, chat_id=telegram_id, name="Ana", language="en", now=NOW
        )
        link(db, other.id, own.id, "Cara")
    return own


def link(db: Database, patient_id: int, caregiver_id: int, name: str) -> caregivers.Link:
    opened = caregivers.create_link(
        db,
        patient_id=patient_id,
        caregiver_id=caregiver_id,
        invite_id=None,
        scope=Scope.ADHERENCE,
        patient_name=name,
        missed_alert_after=2,
        now=NOW,
    )
    return caregivers.set_status(db, opened.id, LinkStatus.ACTIVE, NOW)


def sql(store: Store, text: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    return store.run_sync(lambda db: db.execute(text, params or []).fetchall())


def person_tables(store: Store) -> dict[str, tuple[str, ...]]:
    return store.run_sync(privacy.person_tables)


def naming(store: Store, who: Person) -> dict[str, list[dict[str, Any]]]:
    return store.run_sync(privacy.rows_naming, who)


def all_tables(db: Database) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return [row[0] for row in rows]


def columns(db: Database, table: str) -> list[str]:
    return [row[0] for row in db.execute("SELECT name FROM pragma_table_info(?)", [table])]


# The table list comes from the schema -------------------------------------------------------


def test_every_table_about_people_is_found_and_the_fixture_fills_each(store: Store) -> None:
    ana = store.run_sync(lived, ANA, NOTE)
    found = person_tables(store)
    assert "processed_updates" not in found and "_sqlite_migrations" not in found
    assert found["patients"] == ("telegram_id", "chat_id")
    assert found["audit_log"] == ("actor_telegram_id", "target_patient_id", "target_telegram_id")
    # Every table about people holds a row of Ana's here, so the tests below cover each one.
    # A new table fails this until ``lived`` writes a row into it (and so into every test).
    rows = naming(store, ana)
    empty = [table for table in found if not rows[table] and table != MARKER]
    assert empty == []


def test_no_column_names_a_person_unless_export_and_erasure_know_it(store: Store) -> None:
    """Drift: a column that looks like a person's id (``caregiver_telegram_id``, ``user_id``,
    ``patient``, ``…_by``) must be one ``PERSON_COLUMNS`` knows, or reviewed here."""
    looks_personal = re.compile(r"patient|telegram|chat|user|person|actor|caregiver|_by$")
    unknown = []
    for table in store.run_sync(all_tables):
        for column in store.run_sync(columns, table):
            known = column in PERSON_COLUMNS or (table, column) in REVIEWED
            if looks_personal.search(column) and not known:
                unknown.append(f"{table}.{column}")
    assert unknown == []


def test_a_table_added_by_a_later_migration_is_exported_and_erased(store: Store) -> None:
    """As a future migration might: a caregiver's notes about a patient, written by Telegram id."""
    ana = store.run_sync(lived, ANA, NOTE)
    bea = store.run_sync(lived, BEA, "fine")

    def migrate(db: Database) -> None:
        db.execute(
            "CREATE TABLE caregiver_notes (id INTEGER PRIMARY KEY, "
            "target_patient_id INTEGER NOT NULL, actor_telegram_id INTEGER, "
            "written_at INTEGER NOT NULL, note TEXT NOT NULL)"
        )
        at = int(NOW.timestamp())
        for who in (ana, bea):
            db.execute(
                "INSERT INTO caregiver_notes (target_patient_id, actor_telegram_id, written_at, "
                "note) VALUES (?, 77, ?, 'slept badly')",
                [who.patient_id, at],
            )

    store.run_sync(migrate)
    assert "caregiver_notes" in person_tables(store)
    exported = store.run_sync(privacy.export_rows, ana)
    assert [row["note"] for row in exported["caregiver_notes"]] == ["slept badly"]
    assert exported["caregiver_notes"][0]["written_at"] == NOW  # Unix seconds read as an instant
    store.run_sync(privacy.erase, ana, DAY)
    assert sql(store, "SELECT target_patient_id FROM caregiver_notes") == [(bea.patient_id,)]


# Export ---------------------------------------------------------------------------------------


def test_export_holds_every_row_about_the_person_readably(store: Store) -> None:
    ana = store.run_sync(lived, ANA, NOTE)
    store.run_sync(lived, BEA, "fine")
    stored = naming(store, ana)
    exported = store.run_sync(privacy.export_rows, ana)
    assert set(exported) == set(person_tables(store)) - {MARKER}
    for table, rows in exported.items():
        assert len(rows) == len(stored[table]) > 0, table
    patient = exported["patients"][0]
    assert patient["telegram_id"] == ANA and "consent_text_sha256" not in patient
    assert patient["consent_at"] == NOW and patient["screening"] == {}
    assert {task["due_at"].tzinfo for task in exported["due_tasks"]} == {UTC}
    assert exported["dose_events"][0]["scheduled_at"] == datetime(2026, 11, 28, 21, tzinfo=UTC)
    assert exported["dose_events"][0]["dose_day"] == "2026-11-28"  # days stay days
    assert exported["checkins"][0]["other_text"] == NOTE
    assert exported["checkins"][0]["effects"] == {"other": 2}
    assert [e["action"] for e in exported["audit_log"]] == ["plan.started", "reminders.paused"]
    assert all(r["patient_id"] == ana.patient_id for r in exported["checkins"])


def test_export_data_is_one_audited_call_and_refuses_strangers(store: Store) -> None:
    store.run_sync(lived, ANA, NOTE)
    result = store.run_sync(care_privacy.export_data, ANA, NOW)
    assert isinstance(result, care_privacy.Export)
    assert result.zone.key == "Europe/Berlin" and result.chat_id == ANA
    assert result.tables["audit_log"][-1]["action"] == "data.exported"  # this export, too
    assert ("patients", "consent_text_sha256", "consent_fingerprint") in result.left_out
    assert store.run_sync(care_privacy.export_data, 999, NOW) is Refusal.NEED_START
    assert store.run_sync(care_privacy.forget, 999, NOW) is Refusal.NEED_START


def test_an_export_before_a_time_zone_is_chosen_is_in_utc(store: Store) -> None:
    store.run_sync(consented_patient, ANA, now=NOW, first_step="opioids")
    result = store.run_sync(care_privacy.export_data, ANA, NOW)
    assert isinstance(result, care_privacy.Export) and result.zone.key == "UTC"
    assert result.tables["patients"][0]["zone"] is None


# Erasure --------------------------------------------------------------------------------------


def rows_with(db: Database, who: Person) -> list[str]:
    """Every ``table.column`` in the whole database (not only the derived tables) naming ``who``
    in a column that could name a person (each column compared with its kind of id)."""
    found = []
    for table in all_tables(db):
        for column in columns(db, table):
            if (table, column) in (("patients", "id"), ("caregivers", "id")):
                key = Key.PATIENT if table == "patients" else Key.CAREGIVER
            elif column in PERSON_COLUMNS:
                key = PERSON_COLUMNS[column]
            else:
                continue
            value = who.value(key)
            sql = f'SELECT COUNT(*) FROM "{table}" WHERE "{column}" = ?'
            if value is not None and db.execute(sql, [value]).fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def test_forget_leaves_no_row_naming_the_person_and_an_anonymous_trace(store: Store) -> None:
    ana = store.run_sync(lived, ANA, NOTE)
    bea = store.run_sync(lived, BEA, "fine")
    beas_rows = naming(store, bea)

    result = store.run_sync(care_privacy.forget, ANA, NOW)

    assert isinstance(result, care_privacy.Forgotten) and result.scrubbed
    assert result.patient_id == ana.patient_id and result.deleted["audit_log"] == 2
    assert result.deleted["patients"] == 1
    assert store.run_sync(rows_with, ana) == []
    # Sharing ended at once: Ana's follower is to be told; Cara, whom Ana followed, too.
    assert [(r.chat_id, r.language, r.name) for r in result.sharing_ended] == [
        (ANA + FOLLOWER, "de", "Ana")
    ]
    assert [(r.chat_id, r.name) for r in result.stopped_following] == [(ANA + FOLLOWED, "Ana")]
    assert sql(store, "SELECT COUNT(*) FROM caregivers WHERE telegram_id = ?", [ANA + FOLLOWER])
    assert sql(store, "SELECT COUNT(*) FROM care_links") == [(2,)]  # Bea's two
    trace = sql(store, "SELECT * FROM audit_log WHERE action = 'data.deleted'")
    assert [row[1:] for row in trace] == [
        ("2026-11-29", None, "patient", "data.deleted", None, "", None, "", "")
    ]
    assert naming(store, bea) == beas_rows  # Bea's rows are untouched
    assert store.run_sync(care_privacy.forget, ANA, NOW) is Refusal.NEED_START


def test_audit_log_stays_append_only_for_everyone_else(store: Store) -> None:
    ana = store.run_sync(lived, ANA, NOTE)
    bea = store.run_sync(lived, BEA, "fine")

    def delete_while_erasing(db: Database, whose: Person) -> None:
        with write_transaction(db):  # rolled back on the error
            db.execute(
                f"INSERT INTO {MARKER} (id, patient_id, telegram_id) VALUES (1, ?, ?)",
                [ana.patient_id, ana.telegram_id],
            )
            db.execute("DELETE FROM audit_log WHERE target_patient_id = ?", [whose.patient_id])

    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        sql(store, "DELETE FROM audit_log WHERE target_patient_id = ?", [ana.patient_id])
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.run_sync(delete_while_erasing, bea)  # Ana's erasure cannot take Bea's entries
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        sql(store, "UPDATE audit_log SET detail = 'x'")
    store.run_sync(privacy.erase, ana, DAY)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        sql(store, "DELETE FROM audit_log WHERE action = 'data.deleted'")
    assert sql(store, f"SELECT COUNT(*) FROM {MARKER}") == [(0,)]


def on_disk(path: Path) -> list[str]:
    """The files of the database (the file itself, its WAL) that contain ``NOTE``."""
    files = [path, path.with_name(path.name + "-wal")]
    return [f.name for f in files if f.exists() and NOTE.encode() in f.read_bytes()]


@pytest.mark.parametrize("checkpointed", [False, True], ids=["note-in-wal", "note-in-file"])
def test_the_note_is_gone_from_the_file_and_its_wal(tmp_path: Path, checkpointed: bool) -> None:
    path = tmp_path / "ldn.db"
    store = Store(path)
    try:
        store.run_sync(lived, ANA, NOTE)
        store.run_sync(lived, BEA, "fine")
        if checkpointed:  # an older note: already copied from the WAL into the file
            store.run_sync(privacy.scrub)
        assert on_disk(path) == (["ldn.db"] if checkpointed else ["ldn.db-wal"])
        store.run_sync(care_privacy.forget, ANA, NOW)
        assert on_disk(path) == []
    finally:
        store.close()
    assert on_disk(path) == []


def test_without_the_checkpoint_the_old_pages_keep_the_note(tmp_path: Path) -> None:
    """Why /forget empties the WAL: ``secure_delete`` zeroes the deleted cells in the new page
    images, but the WAL still holds the earlier images (measured: the note survives erasure
    there, and in the file until the new pages are checkpointed)."""
    path = tmp_path / "ldn.db"
    store = Store(path)
    try:
        ana = store.run_sync(lived, ANA, NOTE)
        store.run_sync(privacy.erase, ana, DAY)  # no scrub
        assert on_disk(path) != []
        assert store.run_sync(privacy.scrub)
        assert on_disk(path) == []
    finally:
        store.close()


def test_the_migration_clears_what_earlier_erasures_left_in_the_audit(tmp_path: Path) -> None:
    """Before 0004, /forget deleted the patient's rows but kept their audit entries, ending
    with a ``data.deleted`` entry naming them."""
    db = connect(tmp_path / "ldn.db")
    MIGRATIONS.apply(db, stop_before="0004_erasure")
    ana = lived(db, ANA, NOTE, care=False)
    bea = lived(db, BEA, "fine", care=False)
    assert ana.patient_id is not None
    with write_transaction(db):
        db.execute("DELETE FROM patients WHERE id = ?", [ana.patient_id])  # the old erasure
        db.execute(
            "INSERT INTO audit_log (at, actor_telegram_id, actor_role, action, target_patient_id)"
            " VALUES ('2026-11-30T09:15:00+00:00', ?, 'patient', 'data.deleted', ?)",
            [ANA, ana.patient_id],
        )
    beas_rows = privacy.rows_naming(db, bea)["audit_log"]

    MIGRATIONS.apply(db)

    assert rows_with(db, ana) == []
    kept = privacy.rows_naming(db, bea)["audit_log"]  # later migrations add columns: compare old
    assert [{name: row[name] for name in beas_rows[0]} for row in kept] == beas_rows
    trace = db.execute("SELECT at, actor_telegram_id FROM audit_log WHERE action = 'data.deleted'")
    assert trace.fetchall() == [("2026-11-30", None)]
    db.close()


# A caregiver's own export and erasure -----------------------------------------------------------


def test_a_caregiver_exports_their_own_rows_and_forget_removes_them(store: Store) -> None:
    """Sam follows Ana and is nobody's patient: their export is their caregiver row and their
    link (with Ana's first name only); /forget removes both and tells Ana, nobody else."""
    store.run_sync(lived, ANA, NOTE)
    sam = ANA + FOLLOWER
    export = store.run_sync(care_privacy.export_data, sam, NOW)
    assert isinstance(export, care_privacy.Export) and export.chat_id == sam
    assert {t for t, rows in export.tables.items() if rows} == {
        "caregivers",
        "care_links",
        "audit_log",
    }
    assert [row["name"] for row in export.tables["caregivers"]] == ["Sam"]
    assert [(r["patient_name"], r["scope"]) for r in export.tables["care_links"]] == [
        ("Ana", "adherence")
    ]
    assert [(e["actor_role"], e["action"]) for e in export.tables["audit_log"]] == [
        ("caregiver", "data.exported")
    ]
    anas_rows = naming(store, Person(ANA, ANA, 1))

    result = store.run_sync(care_privacy.forget, sam, NOW)

    assert isinstance(result, care_privacy.Forgotten) and result.patient_id is None
    assert result.caregiver and result.sharing_ended == ()
    assert [(r.chat_id, r.name) for r in result.stopped_following] == [(ANA, "Sam")]
    assert sql(store, "SELECT COUNT(*) FROM caregivers WHERE telegram_id = ?", [sam]) == [(0,)]
    assert sql(store, "SELECT caregiver_id FROM care_links ORDER BY id") == [(2,)]  # Ana's own
    # Ana's patient rows stay (her audit keeps everything but what named Sam).
    after = naming(store, Person(ANA, ANA, 1))
    assert {t: r for t, r in after.items() if t != "care_links"} == {
        t: r for t, r in anas_rows.items() if t != "care_links"
    }
    assert store.run_sync(care_privacy.export_data, sam, NOW) is Refusal.NEED_START


def test_anything_stored_knows_both_roles(store: Store) -> None:
    store.run_sync(lived, ANA, NOTE)
    assert store.run_sync(care_privacy.anything_stored, ANA)  # patient (and caregiver)
    assert store.run_sync(care_privacy.anything_stored, ANA + FOLLOWER)  # caregiver only
    assert not store.run_sync(care_privacy.anything_stored, 999)


def test_someone_an_admin_granted_the_role_can_still_forget_everything(store: Store) -> None:
    """The audit names them as the target of the grant (``target_telegram_id``): the erasure may
    delete that entry too (migration 0010's trigger), instead of failing as append-only."""
    store.run_sync(staff.grant, [BEA], NOW)
    lived_ana = store.run_sync(lived, ANA, NOTE)
    granted = store.run_sync(care_staff.grant, BEA, ANA, NOW)
    assert not isinstance(granted, Refusal)
    store.run_sync(care_privacy.forget, ANA, NOW)
    assert store.run_sync(rows_with, lived_ana) == []
