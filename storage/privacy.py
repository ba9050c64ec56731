"""Everything stored about one person, found from the schema itself: for /export and /forget.

Which tables hold rows about a person is read from the database at run time (``sqlite_master``
and ``pragma_table_info``), not listed by hand: every table with a column in
``PERSON_COLUMNS`` is about people, and the rows that name the person's patient id, Telegram id
or chat id in any such column are theirs. A table added by a later migration is exported and
erased without anyone remembering to add it here (tests/unit/test_privacy.py checks the schema
for columns that look like a person but are not in ``PERSON_COLUMNS``).

Times come out of storage as tz-aware UTC ``datetime``s, whether stored as Unix seconds
(``due_at``, ``scheduled_at``) or as ISO 8601 text, so the bot can show them in the person's zone;
JSON text columns come out as objects; internal fingerprints are left out (``LEFT_OUT``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlite_utils import Database

from storage import audit
from storage.db import write_transaction
from storage.rows import from_epoch


class Key(StrEnum):
    """Which of the person's identifiers a column holds."""

    PATIENT = "patient"  # patients.id
    TELEGRAM = "telegram"  # their Telegram user id
    CHAT = "chat"  # their private chat with the bot
    CAREGIVER = "caregiver"  # caregivers.id: their role as someone else's caregiver


PERSON_COLUMNS: dict[str, Key] = {
    "patient_id": Key.PATIENT,
    "target_patient_id": Key.PATIENT,
    "telegram_id": Key.TELEGRAM,
    "actor_telegram_id": Key.TELEGRAM,
    "chat_id": Key.CHAT,
    "caregiver_id": Key.CAREGIVER,
}

# The erasure's own marker (migration 0004): it names the person only while their erasure runs,
# inside that transaction, and is empty whenever anything else can look.
MARKER = "erasure_in_progress"

# Columns kept out of an export, and why (the reason is shown in the export's notes).
LEFT_OUT: dict[tuple[str, str], str] = {
    ("patients", "consent_text_sha256"): "consent_fingerprint",
    ("care_invites", "code_sha256"): "invite_fingerprint",
}


@dataclass(frozen=True)
class Person:
    """The identifiers that name one person in stored rows."""

    telegram_id: int
    chat_id: int | None = None
    patient_id: int | None = None
    caregiver_id: int | None = None

    def value(self, key: Key) -> int | None:
        if key is Key.PATIENT:
            return self.patient_id
        if key is Key.CAREGIVER:
            return self.caregiver_id
        return self.telegram_id if key is Key.TELEGRAM else self.chat_id


def person_tables(db: Database) -> dict[str, tuple[str, ...]]:
    """Every table with rows about people → its person columns, from the live schema
    (``patients`` first, then by name; SQLite's own tables are never about people)."""
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
            "ORDER BY name = 'patients' DESC, name"
        ).fetchall()
    ]
    found: dict[str, tuple[str, ...]] = {}
    for name in names:
        columns = tuple(c for c in _columns(db, name) if c in PERSON_COLUMNS)
        if columns:
            found[name] = columns
    return found


def _columns(db: Database, table: str) -> list[str]:
    return [row[0] for row in db.execute("SELECT name FROM pragma_table_info(?)", [table])]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _naming(person: Person, columns: tuple[str, ...]) -> tuple[str, list[int]]:
    """``WHERE`` text and values for the rows in which any of ``columns`` names ``person``."""
    terms, values = [], []
    for column in columns:
        value = person.value(PERSON_COLUMNS[column])
        if value is not None:
            terms.append(f"{_quoted(column)} = ?")
            values.append(value)
    return (" OR ".join(terms) or "0"), values


def _order(db: Database, table: str) -> str:
    """The table's primary key columns (an export lists rows in the order they were made)."""
    keys = db.execute(
        "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", [table]
    ).fetchall()
    return ", ".join(_quoted(k[0]) for k in keys) or "1"


def rows_naming(db: Database, person: Person) -> dict[str, list[dict[str, Any]]]:
    """Every stored row that names ``person``, by table, exactly as stored (for tests and
    ``export_rows``)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for table, columns in person_tables(db).items():
        where, values = _naming(person, columns)
        cursor = db.conn.execute(
            f"SELECT * FROM {_quoted(table)} WHERE {where} ORDER BY {_order(db, table)}", values
        )
        names = [column[0] for column in cursor.description]
        found[table] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return found


def export_rows(db: Database, person: Person) -> dict[str, list[dict[str, Any]]]:
    """Every row about ``person``, by table, readable: instants as UTC ``datetime``s (never Unix
    seconds), JSON text as objects, ``LEFT_OUT`` columns left out. The erasure marker is not
    exported (it is empty outside an erasure)."""
    with write_transaction(db):  # one consistent snapshot (joins the caller's transaction)
        stored = rows_naming(db, person)
        kinds = {table: _kinds(db, table) for table in stored}
    return {
        table: [_readable(table, row, kinds[table]) for row in rows]
        for table, rows in stored.items()
        if table != MARKER
    }


class _Kind(StrEnum):
    EPOCH = "epoch"  # an instant as whole Unix seconds (INTEGER ``…_at``)
    INSTANT = "instant"  # an instant as ISO 8601 text with offset (``at``, ``…_at``, ``…_since``)
    JSON = "json"  # a JSON object as text (declared ``DEFAULT '{}'``)


def _kinds(db: Database, table: str) -> dict[str, _Kind]:
    """How each column of ``table`` that needs reading is stored, from its declaration."""
    found = {}
    for name, kind, default in db.execute(
        "SELECT name, upper(type), dflt_value FROM pragma_table_info(?)", [table]
    ).fetchall():
        timely = name == "at" or name.endswith(("_at", "_since"))
        if timely and "INT" in kind:
            found[name] = _Kind.EPOCH
        elif timely:
            found[name] = _Kind.INSTANT
        elif default == "'{}'":
            found[name] = _Kind.JSON
    return found


def _readable(table: str, row: dict[str, Any], kinds: dict[str, _Kind]) -> dict[str, Any]:
    readable: dict[str, Any] = {}
    for column, value in row.items():
        if (table, column) in LEFT_OUT:
            continue
        kind = kinds.get(column)
        if kind is _Kind.EPOCH and isinstance(value, int):
            readable[column] = from_epoch(value)
        elif kind is _Kind.INSTANT and isinstance(value, str):
            readable[column] = _instant(value)
        elif kind is _Kind.JSON and isinstance(value, str):
            readable[column] = json.loads(value)
        else:
            readable[column] = value
    return readable


def _instant(text: str) -> datetime | str:
    """ISO 8601 text with an offset as a ``datetime``; anything else unchanged."""
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        return text
    return instant if instant.tzinfo is not None else text


def erase(db: Database, person: Person, day: date) -> dict[str, int]:
    """Delete every row that names ``person``, in every table (their own audit entries too), and
    append one anonymous audit entry dated ``day``. Returns the rows deleted per table.

    The audit log refuses deletes (migration 0001) except of rows naming the person in the
    erasure marker (migration 0004), which is set and cleared inside this one transaction.
    """
    with write_transaction(db):
        db.execute(
            f"INSERT INTO {MARKER} (id, patient_id, telegram_id) VALUES (1, ?, ?)",
            [person.patient_id, person.telegram_id],
        )
        tables = person_tables(db)
        # Rows that refer to the patient row go before it (whatever their foreign keys say).
        order = [t for t in tables if t not in ("patients", MARKER)]
        order += [t for t in ("patients",) if t in tables]
        deleted = {}
        for table in order:
            where, values = _naming(person, tables[table])
            cursor = db.execute(f"DELETE FROM {_quoted(table)} WHERE {where}", values)
            deleted[table] = cursor.rowcount
        db.execute(f"DELETE FROM {MARKER}")
        audit.record_erasure(db, day)
    return deleted


def scrub(db: Database) -> bool:
    """Copy the write-ahead log into the database file and empty it, so deleted rows' old page
    images no longer sit in the WAL (``secure_delete`` zeroes them in the file itself). Must run
    outside a transaction. False when another connection kept part of the log in use."""
    busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return bool(busy == 0)
