"""Claiming a chunk of due tasks and preparing each one, in one database transaction.

One transaction (and one fsync) per chunk instead of two per task, and the chunk's bedtime
reminders prepared together (``scheduler.bedtime``), are what make the evening fan-out cheap.
If preparing them together fails, each task is prepared inside its own savepoint instead, so a
task that fails to prepare (bad data, a bug) is rolled back alone and retried later; it never
blocks the others.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlite_utils import Database

from scheduler.bedtime import prepare_reminders
from scheduler.due import prepare
from scheduler.prepared import Prepared
from scheduler.retries import MAX_ATTEMPTS, backoff_seconds
from storage import tasks
from storage.db import write_transaction
from storage.tasks import Task
from titration.reminders import TaskKind

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Claimed:
    """What one claim found: how many tasks it took, and those with a message to send."""

    count: int
    ready: list[Prepared]


class _ChunkLost(Exception):
    """SQLite rolled back the whole transaction itself (disk full, I/O error) while preparing."""

    def __init__(self, task: Task) -> None:
        super().__init__(task.id)
        self.task = task


def claim_and_prepare(db: Database, now: datetime, limit: int) -> Claimed:
    """Take up to ``limit`` due tasks and prepare them; tasks with nothing to send are finished."""
    ready: list[Prepared] = []
    try:
        with write_transaction(db):
            claimed = tasks.claim_due(db, now, limit)
            together = _prepare_together(db, _reminders_alone_for_their_patient(claimed), now)
            for task in claimed:
                prepared = together.get(task.id) or _prepare_alone(db, task, now)
                if prepared is None:
                    continue
                if prepared.outgoing is None:
                    tasks.finish(db, task.id, prepared.final_state, now)
                else:
                    ready.append(prepared)
    except _ChunkLost as lost:
        # Every task of the chunk is pending again and nothing of it was written. Put the one
        # that failed off for a while, so the next claim gets past it instead of failing again.
        with write_transaction(db):
            give_up_or_retry(db, lost.task, now, claimed=False)
        return Claimed(limit, [])
    return Claimed(len(claimed), ready)


def _reminders_alone_for_their_patient(claimed: list[Task]) -> list[Task]:
    """The bedtime reminders of the chunk whose patient has no other task in it (nearly all):
    those can be prepared together, each unaffected by the others."""
    per_patient = Counter(task.patient_id for task in claimed)
    return [
        task
        for task in claimed
        if task.kind is TaskKind.REMINDER and per_patient[task.patient_id] == 1
    ]


def _prepare_together(db: Database, reminders: list[Task], now: datetime) -> dict[int, Prepared]:
    """Prepare the reminders in one savepoint, by task id; if that fails, undo it and return
    nothing, so each is prepared alone (and only the one at fault is put off)."""
    if len(reminders) < 2:
        return {}
    prepared = _undone_if_it_fails(
        db,
        lambda: prepare_reminders(db, reminders, now),
        culprit=reminders[0],
        what=f"{len(reminders)} reminders together; one by one instead",
    )
    return {p.task.id: p for p in prepared or []}


def _prepare_alone(db: Database, task: Task, now: datetime) -> Prepared | None:
    """Prepare one task in a savepoint; on failure undo only its writes and schedule a retry."""
    prepared = _undone_if_it_fails(
        db, lambda: prepare(db, task, now), culprit=task, what=f"task {task.id} ({task.kind})"
    )
    if prepared is None:
        give_up_or_retry(db, task, now)
    return prepared


def _undone_if_it_fails(
    db: Database, work: Callable[[], T], *, culprit: Task, what: str
) -> T | None:
    """``work()`` inside a savepoint: its result, or None with its writes undone. When SQLite has
    rolled back the whole transaction itself, there is nothing to undo to: ``_ChunkLost``."""
    db.conn.execute("SAVEPOINT prepare")
    try:
        result = work()
    except Exception as error:
        log.exception("could not prepare %s", what)
        if not db.conn.in_transaction:
            raise _ChunkLost(culprit) from error
        db.conn.execute("ROLLBACK TO prepare")
        db.conn.execute("RELEASE prepare")
        return None
    db.conn.execute("RELEASE prepare")
    return result


def give_up_or_retry(db: Database, task: Task, now: datetime, *, claimed: bool = True) -> None:
    """After an unexpected error: retry with backoff, or record ``not_sent`` after MAX_ATTEMPTS.

    ``claimed=False`` is for a task whose claim was rolled back: it is pending, and this try
    still counts as an attempt.
    """
    if task.attempts >= MAX_ATTEMPTS:
        log.error("task %s (%s) gave up after %s attempts", task.id, task.kind, task.attempts)
        tasks.finish(db, task.id, "not_sent", now)
        return
    later = now + timedelta(seconds=backoff_seconds(task.attempts))
    if claimed:
        tasks.retry_at(db, task.id, later)
    else:
        tasks.defer(db, task.id, later)
