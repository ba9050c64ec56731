"""Clinic plan templates and their enrolment links: rows in, ``titration.templates`` values out.

A template's plan is stored in the notation admins type (``titration.templates.steps_text``);
editing one bumps its ``version``. A patient's plan is a copy (``plans.template_id`` and
``template_version``), so an edit reaches a patient only when an admin applies it to them.
An enrolment link keeps only the SHA-256 of its code.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from sqlite_utils import Database

from storage.db import write_transaction
from storage.rows import first, iso, select
from titration.models import Plan, plan_from_steps
from titration.templates import DoseForm, Template, parse_plan, steps_text


@dataclass(frozen=True)
class Stored:
    """A template as stored: its id, status (unconfirmed, active, retired) and version."""

    id: int
    template: Template
    status: str
    version: int


def _stored(row: dict[str, Any]) -> Stored:
    plan = parse_plan(row["plan"])
    nudge = row["nudge_minutes"]
    plan = (
        plan_from_steps(plan.steps, nudge)
        if plan.stepwise
        else Plan(plan.start_mg, plan.step_mg, plan.interval_days, plan.target_mg, (), nudge)
    )
    template = Template(
        name=row["name"],
        plan=plan,
        form=DoseForm(row["form"]),
        mg_per_ml=Decimal(row["mg_per_ml"]) if row["mg_per_ml"] else None,
        bedtime=time.fromisoformat(row["bedtime"]),
        checkin_time=time.fromisoformat(row["checkin_time"]),
        nudge_minutes=nudge,
    )
    return Stored(row["id"], template, row["status"], row["version"])


def _columns(template: Template) -> dict[str, Any]:
    return {
        "name": template.name.strip(),
        "plan": steps_text(template.plan),
        "form": template.form.value,
        "mg_per_ml": str(template.mg_per_ml) if template.mg_per_ml is not None else None,
        "bedtime": template.bedtime.strftime("%H:%M"),
        "checkin_time": template.checkin_time.strftime("%H:%M"),
        "nudge_minutes": template.nudge_minutes,
    }


def by_id(db: Database, template_id: int) -> Stored | None:
    row = first(db, "plan_templates", "id = ?", [template_id])
    return _stored(row) if row else None


def listed(db: Database, *, retired: bool = False) -> list[Stored]:
    """Templates by id; retired ones only when asked."""
    where = "1" if retired else "status != 'retired'"
    return [_stored(row) for row in select(db, "plan_templates", where, order_by="id")]


def create(db: Database, template: Template, status: str, now: datetime) -> Stored:
    with write_transaction(db):
        cursor = db.execute(
            "INSERT INTO plan_templates (name, plan, form, mg_per_ml, bedtime, checkin_time, "
            "nudge_minutes, status, created_at, updated_at) "
            "VALUES (:name, :plan, :form, :mg_per_ml, :bedtime, :checkin_time, :nudge_minutes, "
            ":status, :now, :now)",
            {**_columns(template), "status": status, "now": iso(now)},
        )
        found = by_id(db, int(cursor.lastrowid or 0))
    assert found is not None
    return found


def replace(db: Database, template_id: int, template: Template, now: datetime) -> Stored:
    """Save an edit: the new values and the next version."""
    with write_transaction(db):
        columns = _columns(template)
        assignments = ", ".join(f"{name} = :{name}" for name in columns)
        db.execute(
            f"UPDATE plan_templates SET {assignments}, version = version + 1, updated_at = :now "
            "WHERE id = :id",
            {**columns, "now": iso(now), "id": template_id},
        )
        found = by_id(db, template_id)
    assert found is not None
    return found


def set_status(db: Database, template_id: int, status: str, now: datetime) -> None:
    with write_transaction(db):
        db.execute(
            "UPDATE plan_templates SET status = ?, updated_at = ? WHERE id = ?",
            [status, iso(now), template_id],
        )


def followers(db: Database, template_id: int) -> list[tuple[int, int]]:
    """(patient id, template version of their plan) of every plan copied from the template."""
    rows = db.execute(
        "SELECT patient_id, template_version FROM plans WHERE template_id = ? ORDER BY patient_id",
        [template_id],
    ).fetchall()
    return [(patient_id, version) for patient_id, version in rows]


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def add_link(db: Database, template_id: int, code: str, now: datetime) -> None:
    """A new enrolment link for the template (earlier ones stay valid until revoked)."""
    with write_transaction(db):
        db.execute(
            "INSERT INTO enrol_links (template_id, code_sha256, created_at) VALUES (?, ?, ?)",
            [template_id, code_hash(code), iso(now)],
        )


def revoke_links(db: Database, template_id: int, now: datetime) -> int:
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE enrol_links SET revoked_at = ? WHERE template_id = ? AND revoked_at IS NULL",
            [iso(now), template_id],
        )
    return cursor.rowcount


def by_code(db: Database, code: str) -> Stored | None:
    """The active template a link's code opens, if the link is live."""
    row = db.execute(
        "SELECT t.id FROM enrol_links AS l JOIN plan_templates AS t ON t.id = l.template_id "
        "WHERE l.code_sha256 = ? AND l.revoked_at IS NULL AND t.status = 'active'",
        [code_hash(code)],
    ).fetchone()
    return by_id(db, row[0]) if row else None
