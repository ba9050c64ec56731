"""The clinic's schedule rules as stored: overrides by name in the ``rules`` table on top of the
domain's defaults (``titration.clinic_rules``), read cheaply on the reminder path.

``current`` is called for every claimed chunk of reminders and every due task, so the rules are
cached per connection and read again only when they may have changed: after ``set_rule`` in this
process, or when another process (the ``ldn-bot admin rules set`` CLI) committed to the file, which
``PRAGMA data_version`` tells without reading a table.
"""

from __future__ import annotations

import weakref
from datetime import datetime

from sqlite_utils import Database

from storage import audit
from storage.db import write_transaction
from storage.rows import iso
from titration.clinic_rules import ClinicRules, from_stored, with_rule
from titration.side_effects import Thresholds

_cache: weakref.WeakKeyDictionary[Database, tuple[int, int, ClinicRules]] = (
    weakref.WeakKeyDictionary()
)
_generation = 0  # bumped by every set_rule in this process


def stored(db: Database) -> dict[str, int]:
    """The overrides as stored, by name."""
    return dict(db.execute("SELECT name, value FROM rules").fetchall())


def current(db: Database) -> ClinicRules:
    """The rules in force (cached; see the module's docstring)."""
    version = db.execute("PRAGMA data_version").fetchone()[0]
    cached = _cache.get(db)
    if cached is not None and cached[0] == version and cached[1] == _generation:
        return cached[2]
    rules = from_stored(stored(db))
    _cache[db] = (version, _generation, rules)
    return rules


def thresholds(db: Database) -> Thresholds:
    """The side-effect thresholds in force."""
    return current(db).thresholds


def set_rule(
    db: Database,
    name: str,
    value: int,
    actor_telegram_id: int | None,
    now: datetime,
    actor_role: str = "admin",
) -> tuple[int, int]:
    """Change one rule (checked against the others, audited with before → after); the value
    before and after. Raises ``titration.clinic_rules.RuleError`` for a name or value that does
    not fit."""
    global _generation
    with write_transaction(db):
        before = from_stored(stored(db))
        with_rule(before, name, value)
        db.execute(
            "INSERT INTO rules (name, value, updated_at, updated_by) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value, "
            "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            [name, value, iso(now), actor_telegram_id],
        )
        old = getattr(before, name)
        audit.record(
            db,
            now=now,
            actor_telegram_id=actor_telegram_id,
            actor_role=actor_role,
            action="rules.set",
            detail=f"{name}: {old} -> {value}",
        )
        _generation += 1
    return old, value
