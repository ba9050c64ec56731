"""A patient's LDN supply on hand (optional; no row: not tracked), and what each dose took from
it, so an undo or a correction gives back exactly that."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlite_utils import Database

from storage.db import write_transaction
from storage.rows import first, iso
from titration.supply import SupplyUnit, Told


@dataclass(frozen=True)
class Supply:
    id: int
    patient_id: int
    unit: SupplyUnit
    on_hand: Decimal
    told: Told  # which notices already went out for this supply


def _supply(row: dict[str, Any]) -> Supply:
    return Supply(
        id=row["id"],
        patient_id=row["patient_id"],
        unit=SupplyUnit(row["unit"]),
        on_hand=Decimal(row["on_hand"]),
        told=Told(bool(row["reorder_told"]), bool(row["empty_told"]), bool(row["check_told"])),
    )


def of_patient(db: Database, patient_id: int) -> Supply | None:
    row = first(db, "supplies", "patient_id = ?", [patient_id])
    return _supply(row) if row is not None else None


def put(
    db: Database,
    patient_id: int,
    unit: SupplyUnit,
    on_hand: Decimal,
    now: datetime,
    *,
    reorder_told: bool,
) -> Supply:
    """Start counting, or set the count (a refill or a correction): the notices re-armed, the
    reorder one already told when the new count is low (the answer said so)."""
    with write_transaction(db):
        db.execute(
            "INSERT INTO supplies (patient_id, unit, on_hand, reorder_told, empty_told, "
            "check_told, updated_at) VALUES (?, ?, ?, ?, 0, 0, ?) ON CONFLICT (patient_id) DO "
            "UPDATE SET unit = excluded.unit, on_hand = excluded.on_hand, "
            "reorder_told = excluded.reorder_told, empty_told = 0, check_told = 0, "
            "updated_at = excluded.updated_at",
            [patient_id, unit.value, str(on_hand), int(reorder_told), iso(now)],
        )
    found = of_patient(db, patient_id)
    assert found is not None
    return found


def count(db: Database, supply: Supply, on_hand: Decimal, told: Told, now: datetime) -> Supply:
    """The count after a dose was taken or given back, and which notices went out."""
    with write_transaction(db):
        db.execute(
            "UPDATE supplies SET on_hand = ?, reorder_told = ?, empty_told = ?, check_told = ?, "
            "updated_at = ? WHERE id = ?",
            [
                str(on_hand),
                int(told.reorder),
                int(told.empty),
                int(told.check),
                iso(now),
                supply.id,
            ],
        )
    found = of_patient(db, supply.patient_id)
    assert found is not None
    return found


def stop(db: Database, patient_id: int) -> bool:
    """Tracking off: the count and what each dose took are forgotten."""
    with write_transaction(db):
        db.execute("DELETE FROM supply_uses WHERE patient_id = ?", [patient_id])
        cursor = db.execute("DELETE FROM supplies WHERE patient_id = ?", [patient_id])
    return bool(cursor.rowcount)


def used(db: Database, event_id: int) -> Decimal | None:
    """What the dose ``event_id`` took from the supply (None: nothing counted for it)."""
    row = first(db, "supply_uses", "event_id = ?", [event_id])
    return Decimal(row["amount"]) if row is not None else None


def record_use(db: Database, patient_id: int, event_id: int, amount: Decimal) -> None:
    with write_transaction(db):
        db.execute(
            "INSERT INTO supply_uses (event_id, patient_id, amount) VALUES (?, ?, ?) "
            "ON CONFLICT (event_id) DO UPDATE SET amount = excluded.amount",
            [event_id, patient_id, str(amount)],
        )


def forget_use(db: Database, event_id: int) -> None:
    with write_transaction(db):
        db.execute("DELETE FROM supply_uses WHERE event_id = ?", [event_id])


def forget_uses(db: Database, patient_id: int) -> None:
    """A new count (refill or correction) starts afresh: earlier doses are not given back to it."""
    with write_transaction(db):
        db.execute("DELETE FROM supply_uses WHERE patient_id = ?", [patient_id])
