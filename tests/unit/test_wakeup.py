"""The single wake-up job (scheduler.wakeup): armed for the earliest due instant (at most
MAX_SLEEP away), re-armed after a poke, tasks in flight at a crash put back at start, and
``settle`` firing everything due at the fake clock's now, retries included."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scheduler.delivery import RetryLater
from scheduler.dispatch import Dispatcher
from scheduler.wakeup import AFTER_FAILED_SCAN, JOB_ID, MAX_SLEEP, Wakeup
from storage.db import Store
from tests.clock import FakeClock
from tests.seeding import onboarded_patient
from tests.unit.scheduling import (
    DAY,
    NOW,
    FakeTelegram,
    accept_task_writes,
    claim,
    patient,
    refuse_task_writes,
    schedule,
    until,
)
from titration.reminders import TaskKind

ANA, BEN = 101, 102
BERLIN_22 = datetime(2026, 11, 28, 21, 0, tzinfo=UTC)  # 22:00 in Berlin, NOW's evening


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


@pytest.fixture
async def parts(
    store: Store, clock: FakeClock, telegram: FakeTelegram
) -> AsyncIterator[tuple[Dispatcher, Wakeup]]:
    """The dispatcher and the wake-up, wired as build_application wires them (not started)."""
    dispatcher = Dispatcher(store, clock, telegram)
    wakeup = Wakeup(store, clock, dispatcher)
    yield dispatcher, wakeup
    wakeup.shutdown()
    for _ in range(5):  # a tick APScheduler had already started: let it scan and re-arm
        await store.run(lambda db: None)
        async with wakeup._tick_lock:
            pass
    await dispatcher.stop()


async def started(parts: tuple[Dispatcher, Wakeup]) -> Wakeup:
    dispatcher, wakeup = parts
    dispatcher.start()
    await wakeup.start()
    return wakeup


def armed_for(wakeup: Wakeup) -> datetime | None:
    """The fake-clock instant the job is armed for (read from the wake-up: the APScheduler
    trigger itself is in real time, ``armed_in``)."""
    return wakeup._armed_for


def armed_in(wakeup: Wakeup) -> timedelta:
    """How far from now (real time) APScheduler will run the job."""
    job = wakeup._scheduler.get_job(JOB_ID)
    assert job is not None and job.next_run_time is not None
    next_run: datetime = job.next_run_time
    return next_run - datetime.now(UTC)


def close_to(actual: timedelta, expected: timedelta) -> bool:
    return abs(actual - expected) < timedelta(seconds=2)


def evening(store: Store, *telegram_ids: int) -> None:
    """Onboarded patients whose first reminder is tonight at 22:00 Berlin time."""
    for telegram_id in telegram_ids:
        store.run_sync(
            onboarded_patient, telegram_id, zone="Europe/Berlin", bedtime="22:00", now=NOW
        )


def reminder_states(store: Store) -> list[str]:
    """The states of tonight's reminders (tomorrow's are armed as tonight's go out)."""
    rows = store.run_sync(
        lambda db: db.execute(
            "SELECT state FROM due_tasks WHERE kind = 'reminder' AND dose_day = ?",
            [DAY.isoformat()],
        ).fetchall()
    )
    return sorted(state for (state,) in rows)


def patients_with_tasks_due_in(store: Store, *delays: timedelta) -> list[int]:
    ids = [patient(store, 300 + n) for n in range(len(delays))]
    for patient_id, delay in zip(ids, delays, strict=True):
        schedule(store, patient_id, NOW + delay)
    return ids


async def test_armed_for_the_earliest_due_task(
    store: Store, parts: tuple[Dispatcher, Wakeup]
) -> None:
    patients_with_tasks_due_in(
        store, timedelta(minutes=7), timedelta(minutes=3), timedelta(hours=1)
    )
    wakeup = await started(parts)
    assert armed_for(wakeup) == NOW + timedelta(minutes=3)
    assert close_to(armed_in(wakeup), timedelta(minutes=3))
    assert wakeup.job_count == 1  # one job, however many tasks


async def test_with_nothing_due_soon_it_sleeps_at_most_max_sleep(
    store: Store, parts: tuple[Dispatcher, Wakeup]
) -> None:
    wakeup = await started(parts)
    assert armed_for(wakeup) == NOW + MAX_SLEEP  # nothing at all
    patients_with_tasks_due_in(store, timedelta(hours=5))
    await wakeup.arm()
    assert armed_for(wakeup) == NOW + MAX_SLEEP  # a clock jump is caught within minutes
    assert close_to(armed_in(wakeup), MAX_SLEEP)


async def test_an_overdue_task_fires_at_once(
    store: Store, clock: FakeClock, telegram: FakeTelegram, parts: tuple[Dispatcher, Wakeup]
) -> None:
    evening(store, ANA)
    clock.set(BERLIN_22 + timedelta(minutes=5))  # e.g. the bot was down at 22:00
    wakeup = await started(parts)
    assert armed_for(wakeup) == clock.now()
    assert close_to(armed_in(wakeup), timedelta(0))
    await until(store, lambda: len(telegram.sent) == 1, "sent by the job itself, not settle")


async def test_a_poke_rearms_for_a_task_scheduled_after_arming(
    store: Store, parts: tuple[Dispatcher, Wakeup]
) -> None:
    wakeup = await started(parts)
    assert armed_for(wakeup) == NOW + MAX_SLEEP
    patients_with_tasks_due_in(store, timedelta(minutes=2))
    assert armed_for(wakeup) == NOW + MAX_SLEEP  # it cannot know until told
    wakeup.poke()
    wakeup.poke()  # several pokes before the re-arm runs: one re-arm
    await until(store, lambda: armed_for(wakeup) == NOW + timedelta(minutes=2), "re-armed")
    assert close_to(armed_in(wakeup), timedelta(minutes=2))
    assert wakeup.job_count == 1


async def test_a_write_by_another_process_rearms_without_a_poke(
    store: Store, parts: tuple[Dispatcher, Wakeup]
) -> None:
    _, wakeup = parts
    wakeup.watch_every = 0.0  # look at every turn of the loop (15 s in production)
    await started(parts)
    assert armed_for(wakeup) == NOW + MAX_SLEEP
    await until(store, lambda: wakeup._watcher is not None, "watching")
    other = Store(store.path, exclusive=False)  # e.g. ``ldn-bot admin`` beside the bot
    try:
        patients_with_tasks_due_in(other, timedelta(minutes=2))
    finally:
        other.close()
    await until(store, lambda: armed_for(wakeup) == NOW + timedelta(minutes=2), "re-armed")
    assert close_to(armed_in(wakeup), timedelta(minutes=2))
    assert wakeup.job_count == 1  # the watch is no job of APScheduler's


async def test_start_puts_tasks_in_flight_at_a_crash_back(
    store: Store, clock: FakeClock, telegram: FakeTelegram, parts: tuple[Dispatcher, Wakeup]
) -> None:
    evening(store, ANA)
    clock.set(BERLIN_22)
    claimed = claim(store, BERLIN_22)  # by the process that died
    assert [task.kind for task in claimed] == [TaskKind.REMINDER]
    assert reminder_states(store) == ["sending"]
    wakeup = await started(parts)
    assert reminder_states(store) == ["pending"]
    assert armed_for(wakeup) == BERLIN_22
    await wakeup.settle()
    assert telegram.chats() == [ANA]  # sent again (at least once), and only once
    assert reminder_states(store) == ["sent"]


async def test_settle_sends_everything_due_and_rearms_for_what_is_next(
    store: Store, clock: FakeClock, telegram: FakeTelegram, parts: tuple[Dispatcher, Wakeup]
) -> None:
    evening(store, ANA, BEN)
    wakeup = await started(parts)
    await wakeup.settle()
    assert telegram.sent == []  # nothing due at noon
    clock.set(BERLIN_22)
    await wakeup.settle()
    assert sorted(telegram.chats()) == [ANA, BEN]
    assert {o.kind for o in telegram.sent} == {TaskKind.REMINDER}
    assert reminder_states(store) == ["sent", "sent"]
    armed = armed_for(wakeup)
    assert armed is not None and BERLIN_22 < armed <= BERLIN_22 + MAX_SLEEP


async def test_settle_goes_through_a_retry_when_the_clock_reaches_it(
    store: Store, clock: FakeClock, telegram: FakeTelegram, parts: tuple[Dispatcher, Wakeup]
) -> None:
    evening(store, ANA)
    telegram.script(ANA, RetryLater(30.0))  # Telegram: flood control, try in 30 s
    wakeup = await started(parts)
    clock.set(BERLIN_22)
    await wakeup.settle()  # returns: the retry is not due yet
    assert telegram.sent == [] and len(telegram.tries) == 1
    assert reminder_states(store) == ["pending"]
    armed = armed_for(wakeup)
    assert armed is not None and BERLIN_22 + timedelta(seconds=30) <= armed
    assert armed <= BERLIN_22 + timedelta(seconds=31)  # the poke re-armed it for the retry
    clock.advance(timedelta(seconds=31))
    await wakeup.settle()
    assert telegram.chats() == [ANA]
    assert reminder_states(store) == ["sent"]


async def test_a_failed_scan_is_tried_again_after_a_pause_not_in_a_loop(
    store: Store, clock: FakeClock, telegram: FakeTelegram, parts: tuple[Dispatcher, Wakeup]
) -> None:
    evening(store, ANA)
    clock.set(BERLIN_22)
    wakeup = await started(parts)  # armed for now; its job runs once the test awaits
    store.run_sync(refuse_task_writes)
    await wakeup.settle()  # returns although the reminder is due: the scan failed
    assert telegram.tries == []
    assert reminder_states(store) == ["pending"]
    await until(
        store, lambda: armed_for(wakeup) == BERLIN_22 + AFTER_FAILED_SCAN, "re-armed, paused"
    )
    assert close_to(armed_in(wakeup), AFTER_FAILED_SCAN)
    store.run_sync(accept_task_writes)
    clock.advance(AFTER_FAILED_SCAN)
    await wakeup.settle()
    assert telegram.chats() == [ANA]
    assert reminder_states(store) == ["sent"]
