"""What clinic staff see: every enrolled patient at a glance (a page at a time), one patient's
page, and the audit. Each view is one transaction that checks the presser is an admin now and
appends who looked at what (never the patient's free text, which no admin view shows).

Patients appear under an alias (``P-0042``), never a name; the operator's CLI reads the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlite_utils import Database

from care.people import Refusal, enrolled
from care.staff import OPERATOR, checked_admin
from care.views import PlanView, plan_of
from storage import audit, patients, record, tasks
from storage import overview as listing
from storage.db import write_transaction
from storage.overview import Flags
from storage.patients import Patient
from titration.record import Adherence, adherence
from titration.side_effects import Effect, Severity

PAGE_SIZE = 10
ADHERENCE_DAYS = 14
RECENT_CHECKINS = 7
AUDIT_PAGE = 10
CLINIC_HOLD = 1_000_000  # step_offer_after while the clinic holds the next step ("held")

_ALIAS = re.compile(r"(?:P-?)?0*([1-9][0-9]{0,11})", re.IGNORECASE)


def alias(patient_id: int) -> str:
    """The short label staff see instead of a name: ``P-0042``."""
    return f"P-{patient_id:04d}"


def patient_id_of(text: str) -> int | None:
    """The patient id in an alias (``P-0042``, ``p42``, ``42``), or None."""
    match = _ALIAS.fullmatch(text.strip())
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class Actor:
    """Who acts: an admin (their Telegram id) or the operator at the CLI (no id)."""

    telegram_id: int | None
    role: str


CLI = Actor(None, OPERATOR)


def as_admin(db: Database, telegram_id: int, now: datetime) -> Actor | Refusal:
    """The presser as an acting admin, or ``Refusal.NOT_ADMIN`` (checked at every press, and a
    refusal audited)."""
    found = checked_admin(db, telegram_id, now)
    return found if isinstance(found, Refusal) else Actor(found, "admin")


def note(
    db: Database,
    actor: Actor,
    action: str,
    now: datetime,
    *,
    target_patient_id: int | None = None,
    before: str = "",
    after: str = "",
    detail: str = "",
) -> None:
    """Append what ``actor`` did or looked at (never typed text or a check-in's content)."""
    audit.record(
        db,
        now=now,
        actor_telegram_id=actor.telegram_id,
        actor_role=actor.role,
        action=action,
        target_patient_id=target_patient_id,
        before=before,
        after=after,
        detail=detail,
    )


# The overview --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PatientLine:
    patient_id: int
    alias: str
    dose_mg: Decimal | None
    step: int  # 1 = the start dose
    target_mg: Decimal | None
    adherence: Adherence  # the last ADHERENCE_DAYS dose days (titration.record.adherence)
    last_activity: datetime | None
    flags: Flags


@dataclass(frozen=True)
class OverviewPage:
    lines: tuple[PatientLine, ...]
    page: int  # from 0
    pages: int
    total: int
    attention: bool  # only patients needing attention


def overview(
    db: Database, telegram_id: int, page: int, attention: bool, now: datetime
) -> OverviewPage | Refusal:
    """/admin: one page of patients (10), all of them or those needing attention."""
    with write_transaction(db):
        actor = as_admin(db, telegram_id, now)
        if isinstance(actor, Refusal):
            return actor
        return overview_for(db, actor, page, attention, now, limit=PAGE_SIZE)


def overview_as_operator(db: Database, page: int, attention: bool, now: datetime) -> OverviewPage:
    """``ldn-bot admin patients``: the same page, for the operator (audited)."""
    with write_transaction(db):
        return overview_for(db, CLI, page, attention, now, limit=PAGE_SIZE)


def overview_for(
    db: Database, actor: Actor, page: int, attention: bool, now: datetime, *, limit: int
) -> OverviewPage:
    """The page for ``actor`` (in the caller's transaction), audited."""
    flags, total = listing.page(db, now, attention=attention, limit=limit, offset=page * limit)
    pages = max(1, -(-total // limit))
    if page >= pages and total:
        return overview_for(db, actor, pages - 1, attention, now, limit=limit)
    lines = tuple(_lines(db, flags, now))
    detail = f"page={page + 1};attention={int(attention)}"
    note(db, actor, "admin.viewed_patients", now, detail=detail)
    return OverviewPage(lines, page, pages, total, attention)


def _today(patient: Patient, now: datetime) -> date:
    return now.astimezone(patient.zone).date() if patient.zone_name else now.date()


def adherence_span(patient: Patient, now: datetime) -> tuple[date, date]:
    """The dose days the overview's adherence counts: the last 14, today included."""
    today = _today(patient, now)
    return today - timedelta(days=ADHERENCE_DAYS - 1), today


def _lines(db: Database, flags: list[Flags], now: datetime) -> list[PatientLine]:
    ids = [f.patient_id for f in flags]
    people = patients.by_ids(db, ids)
    plans = patients.plans_of(db, ids)
    spans = {pid: adherence_span(people[pid], now) for pid in ids}
    nights = record.nights_of(db, spans)
    active = listing.last_activity(db, ids)
    steps = _steps(db, people, now)
    lines = []
    for flag in flags:
        patient, plan = people[flag.patient_id], plans.get(flag.patient_id)
        lines.append(
            PatientLine(
                patient_id=patient.id,
                alias=alias(patient.id),
                dose_mg=patient.current_dose_mg,
                step=steps.get(patient.id, 1),
                target_mg=plan.target_mg if plan is not None else None,
                adherence=adherence(nights[patient.id]),
                last_activity=active.get(patient.id),
                flags=flag,
            )
        )
    return lines


def _steps(db: Database, people: dict[int, Patient], now: datetime) -> dict[int, int]:
    """Which step of the plan each patient is on today (as ``scheduler.due.plan_step``)."""
    if not people:
        return {}
    marks = ", ".join("?" * len(people))
    rows = db.execute(
        f"SELECT patient_id, effective_day FROM dose_changes WHERE patient_id IN ({marks})",
        list(people),
    ).fetchall()
    counts: dict[int, int] = {}
    for pid, day in rows:
        if date.fromisoformat(day) <= _today(people[pid], now):
            counts[pid] = counts.get(pid, 0) + 1
    return {pid: max(1, counts.get(pid, 0)) for pid in people}


# One patient -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckinLine:
    """A recent check-in: the day and each effect with its severity (never the typed note)."""

    day: date
    dose_mg: Decimal
    effects: tuple[tuple[Effect, Severity], ...]


@dataclass(frozen=True)
class PatientPage:
    line: PatientLine
    patient: Patient
    plan: PlanView | None
    checkins: tuple[CheckinLine, ...]  # newest first
    next_reminder: datetime | None
    held_by_clinic: bool


def patient_page(
    db: Database, telegram_id: int, patient_id: int, now: datetime
) -> PatientPage | Refusal:
    """A patient's page: plan calendar, recent check-ins, and what the clinic can change."""
    with write_transaction(db):
        actor = as_admin(db, telegram_id, now)
        if isinstance(actor, Refusal):
            return actor
        return page_for(db, actor, patient_id, now) or Refusal.STALE


def page_for(db: Database, actor: Actor, patient_id: int, now: datetime) -> PatientPage | None:
    """The page (in the caller's transaction), audited; None when no such enrolled patient."""
    patient = patients.by_id(db, patient_id)
    flags = listing.flags_of(db, patient_id, now)
    if patient is None or flags is None or not enrolled(patient):
        return None
    line = _lines(db, [flags], now)[0]
    first, last = adherence_span(patient, now)
    shown = record.load(db, patient.id, patient.zone, first, last)
    checkins = tuple(
        CheckinLine(c.day, c.dose_mg, tuple(sorted(c.effects.items())))
        for c in reversed(shown.checkins[-RECENT_CHECKINS:])
    )
    pending = tasks.pending_reminder(db, patient.id) if patient.status == "active" else None
    note(db, actor, "admin.viewed_patient", now, target_patient_id=patient.id)
    return PatientPage(
        line=line,
        patient=patient,
        plan=plan_of(db, patient, now),
        checkins=checkins,
        next_reminder=pending.due_at if pending is not None else None,
        held_by_clinic=held_by_clinic(patient),
    )


def held_by_clinic(patient: Patient) -> bool:
    return patient.step_offer == "held" and patient.step_offer_after >= CLINIC_HOLD


# The audit -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditEntry:
    at: str  # ISO 8601 UTC (an erasure's trace: its day only)
    actor_role: str
    actor_telegram_id: int | None
    action: str
    target: str  # a patient's alias, a person's Telegram id, or ""
    before: str
    after: str
    detail: str


@dataclass(frozen=True)
class AuditPage:
    entries: tuple[AuditEntry, ...]  # newest first
    page: int
    pages: int


def _entry(row: dict[str, object]) -> AuditEntry:
    patient, person = row["target_patient_id"], row["target_telegram_id"]
    target = alias(patient) if isinstance(patient, int) else str(person or "")
    actor = row["actor_telegram_id"]
    return AuditEntry(
        at=str(row["at"]),
        actor_role=str(row["actor_role"]),
        actor_telegram_id=actor if isinstance(actor, int) else None,
        action=str(row["action"]),
        target=target,
        before=str(row["before"]),
        after=str(row["after"]),
        detail=str(row["detail"]),
    )


def audit_page(db: Database, telegram_id: int, page: int, now: datetime) -> AuditPage | Refusal:
    """/admin → [Audit]: the latest entries, ten a page (this look is appended first)."""
    with write_transaction(db):
        actor = as_admin(db, telegram_id, now)
        if isinstance(actor, Refusal):
            return actor
        note(db, actor, "admin.viewed_audit", now, detail=f"page={page + 1}")
        rows, total = audit.latest(db, AUDIT_PAGE, page * AUDIT_PAGE)
        pages = max(1, -(-total // AUDIT_PAGE))
        return AuditPage(tuple(_entry(row) for row in rows), page, pages)


def audit_since(db: Database, since: datetime, now: datetime) -> list[AuditEntry]:
    """``ldn-bot admin audit --since``: every entry from ``since``, oldest first (audited)."""
    with write_transaction(db):
        rows = audit.since(db, since)
        note(db, CLI, "admin.exported_audit", now, detail=f"since={since.date().isoformat()}")
        return [_entry(row) for row in rows]
