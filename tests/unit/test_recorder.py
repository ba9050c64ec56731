"""Group commit of send outcomes (scheduler.recorder): every outcome waiting when a write starts
goes into that write, outcomes that arrive during a write go into the next one, and a write
the database refuses keeps its outcomes and is tried again."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from scheduler import recorder as recorder_module
from scheduler.recorder import Recorder
from storage.db import Store
from tests.clock import FakeClock
from tests.unit.scheduling import (
    NOW,
    accept_task_writes,
    claim,
    patient,
    refuse_task_writes,
    row,
    schedule,
    states,
    until,
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "ldn.db")
    yield opened
    opened.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
async def recorder(store: Store, clock: FakeClock) -> AsyncIterator[Recorder]:
    started = Recorder(store, clock)
    started.start()
    yield started
    await started.stop()


def in_flight(store: Store, count: int) -> list[int]:
    """``count`` tasks claimed for sending (one patient each); their ids."""
    for n in range(count):
        schedule(store, patient(store, 500 + n), NOW)
    return [task.id for task in claim(store)]


class Commits:
    """Watches the bot's own connection: counts commits, and can hold the next outcome write
    inside its transaction (on the database thread) until released."""

    def __init__(self, store: Store) -> None:
        self.count = 0
        self.outcome_rows = 0  # UPDATEs run by outcome writes
        self._hold: threading.Event | None = None
        self._held = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        store.run_sync(lambda db: db.conn.set_trace_callback(self._statement))

    def hold_next_write(self) -> None:
        self._hold = threading.Event()

    async def wait_until_held(self) -> None:
        await asyncio.wait_for(self._held.wait(), 5)

    def release(self) -> None:
        assert self._hold is not None
        self._hold.set()

    def _statement(self, sql: str) -> None:  # runs on the database thread
        if sql == "COMMIT":
            self.count += 1
        elif sql.startswith("UPDATE due_tasks SET state = "):  # with its values filled in
            self.outcome_rows += 1
        elif sql == "BEGIN IMMEDIATE" and self._hold is not None and not self._hold.is_set():
            self._loop.call_soon_threadsafe(self._held.set)
            self._hold.wait(5)


async def test_outcomes_waiting_together_are_written_in_one_commit(
    store: Store, recorder: Recorder
) -> None:
    ids = in_flight(store, 50)
    commits = Commits(store)
    for n, task_id in enumerate(ids):
        recorder.add(task_id, "sent", 9000 + n)
    assert recorder.held == 50
    await recorder.drain()
    assert (commits.count, commits.outcome_rows) == (1, 50)
    assert recorder.held == 0
    assert [row(store, task_id)["message_id"] for task_id in ids] == list(range(9000, 9050))
    assert {row(store, task_id)["finished_at"] for task_id in ids} == {NOW.isoformat()}


async def test_outcomes_arriving_during_a_write_go_into_the_next_one(
    store: Store, clock: FakeClock, recorder: Recorder
) -> None:
    first, *later = in_flight(store, 4)
    commits = Commits(store)
    commits.hold_next_write()
    recorder.add(first, "sent", 1)
    await commits.wait_until_held()  # the first write has begun, with one outcome in it
    clock.advance(timedelta(seconds=2))
    for task_id in later:
        recorder.add(task_id, "not_sent")
    assert recorder.held == 4  # one being written, three waiting
    assert committed_state(store, first) == "sending"  # the write is still open
    commits.release()
    await recorder.drain()
    assert commits.count == 2  # one write for the first, one for the three that came meanwhile
    assert commits.outcome_rows == 4
    assert row(store, first)["finished_at"] == NOW.isoformat()
    assert [row(store, task_id)["state"] for task_id in later] == ["not_sent"] * 3
    assert {row(store, task_id)["finished_at"] for task_id in later} == {clock.now().isoformat()}


def committed_state(store: Store, task_id: int) -> str:
    """The task's state as another connection sees it (the bot's own thread is busy)."""
    with contextlib.closing(sqlite3.connect(store.path)) as other:
        found = other.execute("SELECT state FROM due_tasks WHERE id = ?", [task_id]).fetchone()
    return str(found[0])


async def test_a_refused_write_keeps_its_outcomes_and_is_tried_again(
    store: Store,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(recorder_module, "RETRY_WRITE_SECONDS", 0.0)  # no waiting in a test
    ids = in_flight(store, 3)
    store.run_sync(refuse_task_writes)
    for task_id in ids:
        recorder.add(task_id, "sent", task_id)
    await recorder.drain()  # returns after the failed try: waiting would hang until there is room
    assert recorder.held == 3
    assert set(states(store).values()) == {"sending"}  # nothing half-written
    assert "could not record 3 send outcomes" in caplog.text
    store.run_sync(accept_task_writes)
    await until(store, lambda: recorder.held == 0, "the outcomes written on a later try")
    assert [row(store, task_id)["message_id"] for task_id in ids] == ids
    assert set(states(store).values()) == {"sent"}


async def test_stop_writes_what_is_waiting(store: Store, clock: FakeClock) -> None:
    ids = in_flight(store, 2)
    recorder = Recorder(store, clock)
    recorder.start()
    recorder.add(ids[0], "sent", 7)
    recorder.add(ids[1], "cancelled")
    await recorder.stop()
    assert states(store) == {ids[0]: "sent", ids[1]: "cancelled"}
