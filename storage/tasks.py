"""Due tasks: every reminder, snooze, nudge and close has its due instant in an indexed column.

The unique key (patient, dose day, kind) is the idempotency record: a task that has fired is never
armed again, so a restart or a settings change cannot send the same night twice.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from storage.db import write_transaction
from storage.rows import epoch, first, from_epoch, iso, placeholders, select, values_in_parts
from titration.reminders import TaskKind


@dataclass(frozen=True)
class Task:
    id: int
    patient_id: int
    kind: TaskKind
    dose_day: date
    due_at: datetime
    state: str
    attempts: int
    message_id: int | None
    finished_at: str | None


def _task(row: dict[str, Any]) -> Task:
    return Task(
        id=row["id"],
        patient_id=row["patient_id"],
        kind=TaskKind(row["kind"]),
        dose_day=date.fromisoformat(row["dose_day"]),
        due_at=from_epoch(row["due_at"]),
        state=row["state"],
        attempts=row["attempts"],
        message_id=row["message_id"],
        finished_at=row["finished_at"],
    )


def schedule(
    db: Database, patient_id: int, kind: TaskKind, dose_day: date, due_at: datetime
) -> None:
    """Arm a task, or move it if it has not fired yet; a fired task is left alone."""
    schedule_many(db, [(patient_id, kind, dose_day, due_at)])


def schedule_many(db: Database, armed: Sequence[tuple[int, TaskKind, date, datetime]]) -> None:
    """``schedule`` for several (patient id, kind, dose day, due instant), a statement per 200."""
    rows = [(pid, kind.value, day.isoformat(), epoch(due_at)) for pid, kind, day, due_at in armed]
    with write_transaction(db):
        for marks, params in values_in_parts(rows):
            db.execute(
                f"INSERT INTO due_tasks (patient_id, kind, dose_day, due_at) VALUES {marks} "
                "ON CONFLICT (patient_id, dose_day, kind) DO UPDATE SET "
                "due_at = excluded.due_at, state = 'pending' "
                "WHERE due_tasks.state IN ('pending', 'cancelled')",
                params,
            )


def earliest_due(db: Database) -> datetime | None:
    row = db.execute("SELECT MIN(due_at) FROM due_tasks WHERE state = 'pending'").fetchone()
    return from_epoch(row[0]) if row[0] is not None else None


def claim_due(db: Database, now: datetime, limit: int) -> list[Task]:
    """Take up to ``limit`` due tasks, oldest first, marking them in flight."""
    with write_transaction(db):
        rows = list(
            db.query(
                "SELECT * FROM due_tasks WHERE state = 'pending' AND due_at <= ? "
                "ORDER BY due_at LIMIT ?",
                [epoch(now), limit],
            )
        )
        if rows:
            ids = [row["id"] for row in rows]
            marks = ",".join("?" * len(ids))
            db.execute(
                f"UPDATE due_tasks SET state = 'sending', attempts = attempts + 1 "
                f"WHERE id IN ({marks})",
                ids,
            )
    return [_task({**row, "state": "sending", "attempts": row["attempts"] + 1}) for row in rows]


def finish(
    db: Database, task_id: int, state: str, now: datetime, message_id: int | None = None
) -> None:
    """Record the outcome: sent, done (nothing to send), not_sent (expired) or cancelled."""
    finish_many(db, [(task_id, state, message_id)], now)


def finish_many(db: Database, outcomes: list[tuple[int, str, int | None]], now: datetime) -> None:
    """Record several outcomes, (task id, state, message id) each, in one transaction."""
    with write_transaction(db):
        db.conn.executemany(
            "UPDATE due_tasks SET state = ?, message_id = COALESCE(?, message_id), "
            "finished_at = ? WHERE id = ?",
            [(state, message_id, iso(now), task_id) for task_id, state, message_id in outcomes],
        )


def retry_at(db: Database, task_id: int, due_at: datetime) -> None:
    """Put an in-flight task back to wait until ``due_at`` (after a transient send failure)."""
    with write_transaction(db):
        db.execute(
            "UPDATE due_tasks SET state = 'pending', due_at = ? WHERE id = ? AND state = 'sending'",
            [epoch(due_at), task_id],
        )


def defer(db: Database, task_id: int, due_at: datetime) -> None:
    """Count a failed try of a pending (unclaimed) task and put it off until ``due_at``."""
    with write_transaction(db):
        db.execute(
            "UPDATE due_tasks SET due_at = ?, attempts = attempts + 1 "
            "WHERE id = ? AND state = 'pending'",
            [epoch(due_at), task_id],
        )


def in_flight(db: Database) -> int:
    """How many tasks are claimed and being sent right now."""
    return int(db.execute("SELECT COUNT(*) FROM due_tasks WHERE state = 'sending'").fetchone()[0])


def recover_in_flight(db: Database) -> int:
    """After a crash: tasks that were being sent go back to pending (at-least-once)."""
    with write_transaction(db):
        cursor = db.execute("UPDATE due_tasks SET state = 'pending' WHERE state = 'sending'")
    return cursor.rowcount


def rearm_unsent(db: Database, task_id: int, due_at: datetime) -> None:
    """Arm again a task that fired without sending anything (``done``: the night was answered
    then, and is open again after [Undo]); a sent task is never armed again."""
    with write_transaction(db):
        db.execute(
            "UPDATE due_tasks SET state = 'pending', due_at = ?, finished_at = NULL "
            "WHERE id = ? AND state = 'done'",
            [epoch(due_at), task_id],
        )


def cancel_pending(db: Database, patient_id: int) -> int:
    """Stop a patient's future messages; a night already reminded still closes as usual."""
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE due_tasks SET state = 'cancelled' "
            "WHERE patient_id = ? AND state = 'pending' AND kind != 'close'",
            [patient_id],
        )
    return cursor.rowcount


def find(db: Database, patient_id: int, dose_day: date, kind: TaskKind) -> Task | None:
    row = first(
        db,
        "due_tasks",
        "patient_id = ? AND dose_day = ? AND kind = ?",
        [patient_id, dose_day.isoformat(), kind.value],
    )
    return _task(row) if row else None


def pending_of_kind(db: Database, patient_id: int, kind: TaskKind) -> Task | None:
    return pending_of_kind_many(db, [patient_id], kind).get(patient_id)


def pending_of_kind_many(
    db: Database, patient_ids: Collection[int], kind: TaskKind
) -> dict[int, Task]:
    """Each patient's earliest pending task of ``kind`` (patients with none are missing)."""
    if not patient_ids:
        return {}
    rows = select(
        db,
        "due_tasks",
        f"patient_id IN ({placeholders(len(patient_ids))}) AND kind = ? AND state = 'pending'",
        [*patient_ids, kind.value],
        order_by="dose_day DESC",
    )
    return {task.patient_id: task for task in map(_task, rows)}  # the earliest day wins


def pending_reminder(db: Database, patient_id: int) -> Task | None:
    return pending_of_kind(db, patient_id, TaskKind.REMINDER)


def last_fired_day(db: Database, patient_id: int, kind: TaskKind) -> date | None:
    """The latest day whose task of ``kind`` already fired (sent, expired, done or in flight)."""
    return last_fired_days(db, [patient_id], kind).get(patient_id)


def last_fired_days(db: Database, patient_ids: Collection[int], kind: TaskKind) -> dict[int, date]:
    """``last_fired_day`` for several patients in one query (those with none are missing)."""
    if not patient_ids:
        return {}
    rows = db.execute(
        "SELECT patient_id, MAX(dose_day) FROM due_tasks "
        f"WHERE patient_id IN ({placeholders(len(patient_ids))}) AND kind = ? "
        "AND state IN ('sending', 'sent', 'done', 'not_sent') GROUP BY patient_id",
        [*patient_ids, kind.value],
    ).fetchall()
    return {patient_id: date.fromisoformat(day) for patient_id, day in rows}


def last_fired_reminder_day(db: Database, patient_id: int) -> date | None:
    """The latest dose day whose reminder already fired (sent, late-expired or in flight)."""
    return last_fired_day(db, patient_id, TaskKind.REMINDER)
