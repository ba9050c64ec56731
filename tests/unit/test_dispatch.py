"""The send queue (scheduler.dispatch): a bounded queue, a fixed number of sends at once, what
each send outcome does to the task, and withdrawing what a patient no longer wants."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from scheduler.delivery import OutcomeUnknown, RecipientUnreachable, RetryLater, Undeliverable
from scheduler.dispatch import Dispatcher
from scheduler.retries import MAX_ATTEMPTS
from storage import patients
from storage.db import Store
from storage.tasks import Task
from tests.clock import FakeClock
from tests.unit.scheduling import (
    NOW,
    FakeTelegram,
    claim,
    patient,
    prepared,
    row,
    schedule,
    states,
)
from titration.reminders import TaskKind

ANA, BEN, CAT = 101, 102, 103


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "ldn.db")
    yield opened
    opened.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def telegram() -> FakeTelegram:
    return FakeTelegram()


class Rescheduled:
    """Counts ``on_reschedule`` calls (the wake-up's poke)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1


@pytest.fixture
def rescheduled() -> Rescheduled:
    return Rescheduled()


@pytest.fixture
async def dispatcher(
    store: Store, clock: FakeClock, telegram: FakeTelegram, rescheduled: Rescheduled
) -> AsyncIterator[Dispatcher]:
    started = Dispatcher(store, clock, telegram, concurrency=2, on_reschedule=rescheduled)
    started.start()
    yield started
    telegram.release()
    await started.stop()


def due_reminders(store: Store, *telegram_ids: int) -> dict[int, Task]:
    """A reminder due now for each person, claimed; telegram id -> task."""
    ids = {patient(store, telegram_id): telegram_id for telegram_id in telegram_ids}
    for patient_id in ids:
        schedule(store, patient_id, NOW)
    return {ids[task.patient_id]: task for task in claim(store)}


async def send_one(
    store: Store, dispatcher: Dispatcher, telegram_id: int, kind: TaskKind = TaskKind.REMINDER
) -> int:
    """One task of ``kind`` due now for a new patient, claimed, submitted and seen through."""
    schedule(store, patient(store, telegram_id), NOW, kind)
    [task] = claim(store)
    await dispatcher.submit(prepared(task, telegram_id))
    await dispatcher.idle()
    return task.id


async def test_a_sent_message_is_recorded_with_its_message_id(
    store: Store, dispatcher: Dispatcher, telegram: FakeTelegram
) -> None:
    task_id = await send_one(store, dispatcher, ANA)
    assert telegram.chats() == [ANA]
    found = row(store, task_id)
    assert (found["state"], found["message_id"]) == ("sent", 1001)
    assert found["finished_at"] == NOW.isoformat()
    assert dispatcher.unrecorded == 0


async def test_the_queue_is_bounded_and_only_concurrency_sends_are_in_flight(
    store: Store, dispatcher: Dispatcher, telegram: FakeTelegram
) -> None:
    people = list(range(200, 211))  # 2 sending + 8 queued (4 per worker) + 1 that must wait
    claimed = due_reminders(store, *people)
    telegram.hold()
    for telegram_id in people[:-1]:
        await dispatcher.submit(prepared(claimed[telegram_id], telegram_id))
    last = asyncio.create_task(dispatcher.submit(prepared(claimed[people[-1]], people[-1])))
    for _ in range(20):
        await asyncio.sleep(0)  # every runnable coroutine gets its turn; none may get further
    assert not last.done(), "the 11th submit should wait for room in the queue"
    assert telegram.in_flight == 2
    telegram.release()
    await last
    await dispatcher.idle()
    assert sorted(telegram.chats()) == people
    assert telegram.max_in_flight == 2
    assert set(states(store).values()) == {"sent"}


async def test_withdrawn_patients_prepared_messages_are_not_sent(
    store: Store, clock: FakeClock, telegram: FakeTelegram
) -> None:
    claimed = due_reminders(store, ANA, BEN)
    dispatcher = Dispatcher(store, clock, telegram, concurrency=1)
    for telegram_id in (ANA, BEN):  # prepared and queued; no worker has taken them yet
        await dispatcher.submit(prepared(claimed[telegram_id], telegram_id))
    dispatcher.withdraw(claimed[ANA].patient_id)  # Ana paused meanwhile
    dispatcher.start()
    try:
        await dispatcher.idle()
        assert telegram.chats() == [BEN]
        assert states(store) == {claimed[ANA].id: "cancelled", claimed[BEN].id: "sent"}
        # She resumes: what is prepared for her from now on goes out again.
        schedule(store, claimed[ANA].patient_id, NOW, TaskKind.SNOOZE)
        [snooze] = claim(store)
        await dispatcher.submit(prepared(snooze, ANA))
        await dispatcher.idle()
        assert telegram.chats() == [BEN, ANA]
    finally:
        await dispatcher.stop()


async def test_retry_later_puts_the_task_back_until_telegram_says(
    store: Store, dispatcher: Dispatcher, telegram: FakeTelegram, rescheduled: Rescheduled
) -> None:
    telegram.script(ANA, RetryLater(30.0))
    task_id = await send_one(store, dispatcher, ANA)
    found = row(store, task_id)
    assert found["state"] == "pending" and found["finished_at"] is None
    assert NOW + timedelta(seconds=30) <= found["due_at"] <= NOW + timedelta(seconds=31)
    assert rescheduled.calls == 1  # the wake-up is told to re-arm
    assert telegram.sent == []


async def test_retry_later_without_a_hint_backs_off(
    store: Store, dispatcher: Dispatcher, telegram: FakeTelegram
) -> None:
    telegram.script(ANA, RetryLater())
    task_id = await send_one(store, dispatcher, ANA)
    found = row(store, task_id)
    # First attempt: about 2 s (2**1 with ±20 % jitter), stored in whole seconds.
    assert found["state"] == "pending"
    assert NOW + timedelta(seconds=1) <= found["due_at"] <= NOW + timedelta(seconds=3)


async def test_outcome_unknown_reminder_is_tried_once_more_then_counted_as_sent(
    store: Store, clock: FakeClock, dispatcher: Dispatcher, telegram: FakeTelegram
) -> None:
    telegram.script(ANA, OutcomeUnknown(), OutcomeUnknown())
    task_id = await send_one(store, dispatcher, ANA)
    assert row(store, task_id)["state"] == "pending"
    assert row(store, task_id)["due_at"] == NOW + timedelta(seconds=1)
    clock.advance(timedelta(seconds=1))
    [again] = claim(store, clock.now())
    assert again.attempts == 2
    await dispatcher.submit(prepared(again, ANA))
    await dispatcher.idle()
    found = row(store, task_id)
    assert (found["state"], found["message_id"]) == ("sent", None)  # maybe delivered: no nag
    assert len(telegram.tries) == 2


async def test_outcome_unknown_checkin_is_counted_as_sent_at_once(
    store: Store, dispatcher: Dispatcher, telegram: FakeTelegram
) -> None:
    telegram.script(ANA, OutcomeUnknown())
    task_id = await send_one(store, dispatcher, ANA, TaskKind.CHECKIN)
    assert row(store, task_id)["state"] == "sent"
    assert len(telegram.tries) == 1


async def test_undeliverable_is_recorded_not_sent_and_never_retried(
    store: Store, dispatcher: Dispatcher, telegram: FakeTelegram, rescheduled: Rescheduled
) -> None:
    telegram.script(ANA, Undeliverable("Bad Request: can't parse entities"))
    task_id = await send_one(store, dispatcher, ANA)
    assert row(store, task_id)["state"] == "not_sent"
    assert rescheduled.calls == 0


async def test_an_unreachable_patient_is_held_and_their_other_tasks_cancelled(
    store: Store, dispatcher: Dispatcher, telegram: FakeTelegram
) -> None:
    ana = patient(store, ANA)
    schedule(store, ana, NOW)
    [reminder] = claim(store)
    schedule(store, ana, NOW + timedelta(hours=12), TaskKind.CHECKIN)
    telegram.script(ANA, RecipientUnreachable("blocked"))
    await dispatcher.submit(prepared(reminder, ANA))
    await dispatcher.idle()
    assert row(store, reminder.id)["state"] == "not_sent"
    assert sorted(states(store).values()) == ["cancelled", "not_sent"]
    held = store.run_sync(patients.by_id, ana)
    assert held is not None and not held.reachable


async def test_an_unexpected_error_is_retried_with_backoff_and_the_worker_goes_on(
    store: Store, clock: FakeClock, telegram: FakeTelegram, rescheduled: Rescheduled
) -> None:
    claimed = due_reminders(store, ANA, BEN)
    telegram.script(ANA, RuntimeError("a bug"))
    dispatcher = Dispatcher(store, clock, telegram, concurrency=1, on_reschedule=rescheduled)
    dispatcher.start()  # one worker: Ben's send proves it survived Ana's error
    try:
        for telegram_id in (ANA, BEN):
            await dispatcher.submit(prepared(claimed[telegram_id], telegram_id))
        await dispatcher.idle()
    finally:
        await dispatcher.stop()
    assert telegram.chats() == [BEN]
    ana = row(store, claimed[ANA].id)
    assert ana["state"] == "pending"
    assert NOW + timedelta(seconds=1) <= ana["due_at"] <= NOW + timedelta(seconds=3)
    assert rescheduled.calls == 1


async def test_an_unexpected_error_after_the_last_attempt_gives_up(
    store: Store, dispatcher: Dispatcher, telegram: FakeTelegram
) -> None:
    task = due_reminders(store, ANA)[ANA]
    worn = dataclasses.replace(task, attempts=MAX_ATTEMPTS)
    telegram.script(ANA, RuntimeError("a bug"))
    await dispatcher.submit(prepared(worn, ANA))
    await dispatcher.idle()
    assert row(store, task.id)["state"] == "not_sent"


async def test_stop_sends_and_records_everything_queued(
    store: Store, clock: FakeClock, telegram: FakeTelegram
) -> None:
    claimed = due_reminders(store, ANA, BEN, CAT)
    dispatcher = Dispatcher(store, clock, telegram, concurrency=1)
    dispatcher.start()
    for telegram_id in (ANA, BEN, CAT):
        await dispatcher.submit(prepared(claimed[telegram_id], telegram_id))
    await dispatcher.stop()
    assert sorted(telegram.chats()) == [ANA, BEN, CAT]
    assert set(states(store).values()) == {"sent"}
