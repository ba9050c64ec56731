"""What the scheduler unit tests share: a fake Telegram ``send``, claimed tasks in a real
database, and reading task rows back."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from scheduler.delivery import Outgoing
from scheduler.prepared import Prepared
from storage import tasks
from storage.db import Store
from storage.rows import from_epoch
from storage.tasks import Task
from tests.seeding import consented_patient
from titration.reminders import Action, TaskKind

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
DAY = date(2026, 11, 28)

Outcome = Exception | None  # what one send does: raise this, or (None) succeed


class FakeTelegram:
    """The ``send`` function the scheduler is given: succeeds with increasing message ids unless
    a chat has scripted outcomes; can hold every send until ``release()``."""

    def __init__(self) -> None:
        self.sent: list[Outgoing] = []  # successful sends, in order
        self.tries: list[Outgoing] = []  # every call, whatever its outcome
        self.scripts: dict[int, list[Outcome]] = {}
        self.in_flight = 0
        self.max_in_flight = 0
        self._open = asyncio.Event()
        self._open.set()

    def script(self, chat_id: int, *outcomes: Outcome) -> None:
        """The next sends to ``chat_id`` do these, in order; later ones succeed."""
        self.scripts.setdefault(chat_id, []).extend(outcomes)

    def hold(self) -> None:
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    async def __call__(self, outgoing: Outgoing) -> int:
        self.tries.append(outgoing)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await self._open.wait()
            script = self.scripts.get(outgoing.chat_id)
            outcome = script.pop(0) if script else None
            if outcome is not None:
                raise outcome
            self.sent.append(outgoing)
            return 1000 + len(self.sent)
        finally:
            self.in_flight -= 1

    def chats(self) -> list[int]:
        return [outgoing.chat_id for outgoing in self.sent]


def patient(store: Store, telegram_id: int) -> int:
    """A patient row (due tasks need one); their id."""
    return store.run_sync(consented_patient, telegram_id, now=NOW).id


def schedule(
    store: Store, patient_id: int, due_at: datetime, kind: TaskKind = TaskKind.REMINDER
) -> None:
    store.run_sync(tasks.schedule, patient_id, kind, DAY, due_at)


def claim(store: Store, now: datetime = NOW, limit: int = 100) -> list[Task]:
    """Claim what is due (marked "sending", one attempt more), as a wake-up scan does."""
    return store.run_sync(tasks.claim_due, now, limit)


def prepared(task: Task, telegram_id: int, **fields: Any) -> Prepared:
    """The claimed task with a message to ``telegram_id``."""
    outgoing = Outgoing(task.kind, telegram_id, task.patient_id, event_id=task.id)
    return Prepared(task, Action.SEND, outgoing=outgoing, **fields)


def row(store: Store, task_id: int) -> dict[str, Any]:
    """The task's row: state, attempts, message_id, finished_at, and due_at as a datetime."""

    def read(db: Any) -> dict[str, Any]:
        found = dict(db["due_tasks"].get(task_id))
        found["due_at"] = from_epoch(found["due_at"])
        return found

    return store.run_sync(read)


def states(store: Store) -> dict[int, str]:
    """Task id -> state, for every task."""
    rows = store.run_sync(lambda db: db.execute("SELECT id, state FROM due_tasks").fetchall())
    return {task_id: state for task_id, state in rows}


async def until(store: Store, predicate: Callable[[], bool], what: str) -> None:
    """Let the event loop and the database thread take turns until ``predicate()`` holds
    (no wall-clock waiting: each round is one trip through the database thread)."""
    for _ in range(200):
        if predicate():
            return
        await store.run(lambda db: None)
        await asyncio.sleep(0)
    raise AssertionError(f"never happened: {what}")


def refuse_task_writes(db: Any) -> None:
    """From now on the bot's connection may not change due_tasks (SQLite's authorizer): every
    claim, retry or outcome write fails with an error, as on a full disk, only sooner."""

    def authorizer(action: int, table: str | None, *_: Any) -> int:
        refused = action == sqlite3.SQLITE_UPDATE and table == "due_tasks"
        return sqlite3.SQLITE_DENY if refused else sqlite3.SQLITE_OK

    db.conn.set_authorizer(authorizer)


def accept_task_writes(db: Any) -> None:
    db.conn.set_authorizer(None)
