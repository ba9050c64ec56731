"""Patients and their plans: rows in, dataclasses out."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from storage.db import write_transaction
from storage.rows import first, iso, mg, placeholders, select
from titration import dose_time, timing
from titration.dose_form import DoseForm
from titration.models import Plan, Step


@dataclass(frozen=True)
class Patient:
    """One patient as stored; zone, bedtime and dose stay None until onboarding sets them."""

    id: int
    telegram_id: int
    chat_id: int
    status: str
    onboarding_step: str | None
    stop_reason: str | None
    screening: dict[str, str]
    draft: dict[str, str]
    zone_name: str | None
    bedtime_text: str | None
    current_dose_mg: Decimal | None
    current_dose_since: date | None
    step_offer: str
    step_offer_after: int
    unreachable_since: str | None
    checkin_time: str = "09:00"
    language: str = "en"
    dose_time_text: str | None = None  # a morning dose's local "HH:MM"; None: at bedtime
    dose_form: DoseForm = DoseForm.CAPSULE
    mg_per_ml: Decimal | None = None  # a liquid's concentration

    @property
    def zone(self) -> ZoneInfo:
        if self.zone_name is None:
            raise ValueError("patient has no time zone yet")
        return timing.zone(self.zone_name)

    @property
    def bedtime(self) -> time:
        if self.bedtime_text is None:
            raise ValueError("patient has no bedtime yet")
        return time.fromisoformat(self.bedtime_text)

    @property
    def morning_time(self) -> time | None:
        """The morning dose time, or None when the dose is taken at bedtime."""
        return time.fromisoformat(self.dose_time_text) if self.dose_time_text else None

    @property
    def reminder_time(self) -> time:
        """The local time the dose reminder is due (the morning time or bedtime)."""
        return dose_time.reminder_time(self.bedtime, self.morning_time)

    @property
    def reachable(self) -> bool:
        return self.unreachable_since is None


def _patient(row: dict[str, Any]) -> Patient:
    since = row["current_dose_since"]
    return Patient(
        id=row["id"],
        telegram_id=row["telegram_id"],
        chat_id=row["chat_id"],
        status=row["status"],
        onboarding_step=row["onboarding_step"],
        stop_reason=row["stop_reason"],
        screening=json.loads(row["screening"]),
        draft=json.loads(row["draft"]),
        zone_name=row["zone"],
        bedtime_text=row["bedtime"],
        current_dose_mg=mg(row["current_dose_mg"]),
        current_dose_since=date.fromisoformat(since) if since else None,
        step_offer=row["step_offer"],
        step_offer_after=row["step_offer_after"],
        unreachable_since=row["unreachable_since"],
        checkin_time=row["checkin_time"],
        language=row["language"],
        # .get: code that reads rows of a database not yet migrated to 0012 (tests of migrations)
        dose_time_text=row.get("dose_time"),
        dose_form=DoseForm(row.get("dose_form") or DoseForm.CAPSULE),
        mg_per_ml=Decimal(row["mg_per_ml"]) if row.get("mg_per_ml") else None,
    )


def _one(db: Database, where: str, args: list[Any]) -> Patient | None:
    row = first(db, "patients", where, args)
    return _patient(row) if row else None


def by_telegram_id(db: Database, telegram_id: int) -> Patient | None:
    return _one(db, "telegram_id = ?", [telegram_id])


def by_id(db: Database, patient_id: int) -> Patient | None:
    return _one(db, "id = ?", [patient_id])


def by_ids(db: Database, patient_ids: Collection[int]) -> dict[int, Patient]:
    """Several patients by id in one query (ids not found are missing from the result)."""
    if not patient_ids:
        return {}
    rows = select(db, "patients", f"id IN ({placeholders(len(patient_ids))})", list(patient_ids))
    return {row["id"]: _patient(row) for row in rows}


def create(
    db: Database,
    *,
    telegram_id: int,
    chat_id: int,
    consent_version: str,
    consent_text_sha256: str,
    first_step: str,
    now: datetime,
    language: str = "en",
) -> Patient:
    """A new patient row, written only after they consented to storing health data."""
    with write_transaction(db):
        db.table("patients").insert(
            {
                "telegram_id": telegram_id,
                "chat_id": chat_id,
                "status": "onboarding",
                "onboarding_step": first_step,
                "language": language,
                "consent_version": consent_version,
                "consent_at": iso(now),
                "consent_text_sha256": consent_text_sha256,
                "created_at": iso(now),
                "updated_at": iso(now),
            }
        )
    patient = by_telegram_id(db, telegram_id)
    assert patient is not None
    return patient


def _set(db: Database, patient_id: int, fields: dict[str, Any]) -> None:
    """UPDATE some columns of one patient (names come from code, never from input)."""
    columns = ", ".join(f"{name} = ?" for name in fields)
    db.execute(f"UPDATE patients SET {columns} WHERE id = ?", [*fields.values(), patient_id])


def update(db: Database, /, patient_id: int, now: datetime, **fields: Any) -> Patient:
    """Change some columns of one patient and return the new row."""
    with write_transaction(db):
        _set(db, patient_id, {**fields, "updated_at": iso(now)})
    patient = by_id(db, patient_id)
    assert patient is not None
    return patient


def merge_json(
    db: Database, patient_id: int, column: str, values: dict[str, str | None], now: datetime
) -> Patient:
    """Add keys to (or, with None, drop keys from) a JSON column: ``screening`` or ``draft``."""
    if column not in ("screening", "draft"):
        raise ValueError(column)
    with write_transaction(db):
        row = first(db, "patients", "id = ?", [patient_id])
        assert row is not None
        merged = json.loads(row[column])
        for key, value in values.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        _set(db, patient_id, {column: json.dumps(merged, sort_keys=True), "updated_at": iso(now)})
    patient = by_id(db, patient_id)
    assert patient is not None
    return patient


def plan_of(db: Database, patient_id: int) -> Plan | None:
    return plans_of(db, [patient_id]).get(patient_id)


def plans_of(db: Database, patient_ids: Collection[int]) -> dict[int, Plan]:
    """The plans of several patients, by patient id (patients without one are missing)."""
    if not patient_ids:
        return {}
    rows = select(
        db, "plans", f"patient_id IN ({placeholders(len(patient_ids))})", list(patient_ids)
    )
    return {row["patient_id"]: _plan(row) for row in rows}


def _plan(row: dict[str, Any]) -> Plan:
    stored = row.get("steps")  # (absent from databases older than 0009_clinic)
    steps = tuple(Step(Decimal(d), n) for d, n in json.loads(stored)) if stored else ()
    return Plan(
        start_mg=Decimal(row["start_mg"]),
        step_mg=Decimal(row["step_mg"]),
        interval_days=row["interval_days"],
        target_mg=Decimal(row["target_mg"]),
        steps=steps,
        nudge_minutes=row.get("nudge_minutes"),
    )


def steps_json(plan: Plan) -> str:
    """A plan's explicit steps as stored ('' for the linear formula)."""
    if not plan.stepwise:
        return ""
    return json.dumps([[str(step.dose_mg), step.nights] for step in plan.steps])


def save_plan(
    db: Database,
    patient_id: int,
    plan: Plan,
    source: str,
    now: datetime,
    template: tuple[int, int] | None = None,
) -> None:
    """Create or replace the patient's plan (one per patient); ``template``: the (id, version)
    of the clinic template it copies. The row is replaced whole, so what the new plan does not
    set (steps, nudge, template) goes back to its default."""
    record: dict[str, Any] = {
        "patient_id": patient_id,
        "start_mg": str(plan.start_mg),
        "step_mg": str(plan.step_mg),
        "interval_days": plan.interval_days,
        "target_mg": str(plan.target_mg),
        "source": source,
        "updated_at": iso(now),
    }
    if plan.stepwise:
        record["steps"] = steps_json(plan)
    if plan.nudge_minutes is not None:
        record["nudge_minutes"] = plan.nudge_minutes
    if template is not None:
        record["template_id"], record["template_version"] = template
    with write_transaction(db):
        db.table("plans").insert(record, replace=True)


def change_dose(
    db: Database,
    patient_id: int,
    dose: Decimal,
    effective_day: date,
    reason: str,
    now: datetime,
    *,
    note: str | None = None,
) -> None:
    """Record a dose change (plan start, accepted step-up, prescriber change) and apply it.
    ``note``: the clinic's own words for why (a change the clinic made)."""
    with write_transaction(db):
        row = {
            "patient_id": patient_id,
            "dose_mg": str(dose),
            "effective_day": effective_day.isoformat(),
            "reason": reason,
            "created_at": iso(now),
        }
        if note is not None:  # the column exists since migration 0010
            row["note"] = note
        columns = ", ".join(row)
        db.execute(
            f"INSERT INTO dose_changes ({columns}) VALUES ({placeholders(len(row))})",
            list(row.values()),
        )
        _set(
            db,
            patient_id,
            {
                "current_dose_mg": str(dose),
                "current_dose_since": effective_day.isoformat(),
                "step_offer": "none",
                "step_offer_after": 0,
                "updated_at": iso(now),
            },
        )


def dose_changes(db: Database, patient_id: int) -> list[tuple[Decimal, date, str]]:
    """(dose, effective day, reason) in order."""
    rows = db.execute(
        "SELECT dose_mg, effective_day, reason FROM dose_changes WHERE patient_id = ? "
        "ORDER BY effective_day, id",
        [patient_id],
    ).fetchall()
    return [(Decimal(d), date.fromisoformat(day), reason) for d, day, reason in rows]


def mark_unreachable(db: Database, patient_id: int, reason: str, now: datetime) -> None:
    with write_transaction(db):
        db.execute(
            "UPDATE patients SET unreachable_since = ?, unreachable_reason = ?, updated_at = ? "
            "WHERE id = ? AND unreachable_since IS NULL",
            [iso(now), reason, iso(now), patient_id],
        )


def mark_reachable(db: Database, patient_id: int, now: datetime) -> bool:
    """Clear the unreachable mark; True if it was set."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE patients SET unreachable_since = NULL, unreachable_reason = NULL, "
            "updated_at = ? WHERE id = ? AND unreachable_since IS NOT NULL",
            [iso(now), patient_id],
        )
    return cursor.rowcount > 0
