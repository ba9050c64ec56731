"""Bedtime reminders prepared together, against a real SQLite file.

The evening's chunk of reminders is prepared with a handful of set-wise statements
(``scheduler.bedtime``); a reminder falling due on its own is a chunk of one. Both must give the
same messages and leave the same rows, whatever state each patient is in, and a chunk that cannot
be prepared together must still be prepared, patient by patient, without losing the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from scheduler.bedtime import prepare_reminders
from scheduler.claim import claim_and_prepare
from scheduler.prepared import Prepared
from storage import checkins, doses, patients, tasks
from storage.db import Store
from tests.seeding import onboarded_patient
from titration.reminders import Action, TaskKind
from titration.side_effects import Effect, Severity

START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # onboarding, eight days before tonight
TONIGHT = date(2026, 11, 28)
BEDTIME = datetime(2026, 11, 28, 21, 0, tzinfo=UTC)  # 22:00 in Berlin


@pytest.fixture
def open_store(tmp_path: Path) -> Iterator[Callable[[str], Store]]:
    opened: list[Store] = []

    def make(name: str) -> Store:
        store = Store(tmp_path / f"{name}.db")
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def _onboarded(db: Database, telegram_id: int) -> int:
    patient_id = onboarded_patient(
        db, telegram_id, zone="Europe/Berlin", bedtime="22:00", now=START
    )
    db.execute("DELETE FROM due_tasks WHERE kind = 'checkin'")  # mornings are not tested here
    return patient_id


def _tonight(db: Database, patient_id: int) -> int:
    """The patient's reminder task for tonight, due at 22:00 Berlin (made so if need be)."""
    db.execute("DELETE FROM due_tasks WHERE patient_id = ? AND kind = 'reminder'", [patient_id])
    tasks.schedule(db, patient_id, TaskKind.REMINDER, TONIGHT, BEDTIME)
    found = tasks.find(db, patient_id, TONIGHT, TaskKind.REMINDER)
    assert found is not None
    return found.id


def _taken_nights(db: Database, patient_id: int, nights: int) -> None:
    for back in range(nights, 0, -1):
        day = TONIGHT - timedelta(days=back)
        event = doses.ensure(db, patient_id, day, BEDTIME - timedelta(days=back), Decimal("0.5"))
        doses.answer(db, event.id, "taken", BEDTIME - timedelta(days=back))


def _vivid_dreams(db: Database, patient_id: int, mornings: int) -> None:
    for back in range(mornings, 0, -1):
        day = TONIGHT - timedelta(days=back)
        asked = checkins.open_for(db, patient_id, day, Decimal("0.5"), 1, START)
        assert asked is not None
        checkins.finish(db, asked.id, {Effect.DREAMS: Severity.MILD}, None, START)


def _seed(db: Database) -> dict[int, int]:
    """One patient per state that changes what tonight's reminder does (telegram id: state)."""
    ids = {telegram_id: _onboarded(db, telegram_id) for telegram_id in range(101, 113)}
    for patient_id in ids.values():
        _tonight(db, patient_id)
    patients.update(db, ids[102], START, status="paused")
    patients.mark_unreachable(db, ids[103], "blocked", START)
    answered = doses.ensure(db, ids[104], TONIGHT, BEDTIME, Decimal("0.5"))
    doses.answer(db, answered.id, "taken", BEDTIME - timedelta(minutes=5))
    late, expired = BEDTIME - timedelta(minutes=40), BEDTIME - timedelta(hours=3)
    db.execute("UPDATE due_tasks SET due_at = ? WHERE patient_id = ?", [late.timestamp(), ids[105]])
    db.execute(
        "UPDATE due_tasks SET due_at = ? WHERE patient_id = ?", [expired.timestamp(), ids[106]]
    )
    yesterday = doses.ensure(db, ids[107], TONIGHT - timedelta(days=1), BEDTIME, Decimal("0.5"))
    doses.close_missed(db, yesterday.id, "no_answer")
    patients.update(db, ids[108], START, step_offer="offered")
    _vivid_dreams(db, ids[109], 5)
    # A reminder already armed for a later night (a bedtime moved): tomorrow's replaces it.
    later = timedelta(days=3)
    tasks.schedule(db, ids[110], TaskKind.REMINDER, TONIGHT + later, BEDTIME + later)
    _taken_nights(db, ids[111], 6)
    patients.update(db, ids[112], START, current_dose_mg="1.0", current_dose_since="2026-11-27")
    return ids


def _claim_tonight(db: Database) -> list[tasks.Task]:
    claimed = tasks.claim_due(db, BEDTIME, 100)
    assert len(claimed) == 12
    return claimed


def _outcome(db: Database, prepared: Prepared) -> tuple[Any, ...]:
    """What preparing one task decided, with ids replaced by what they stand for."""
    message = prepared.outgoing
    night = None
    if message is not None:
        event = doses.by_id(db, message.event_id)
        assert event is not None
        night = (event.patient_id, event.dose_day)
    return (
        prepared.task.patient_id,
        prepared.action,
        prepared.final_state,
        message and (message.kind, message.chat_id, message.card),
        night,
    )


def _rows(db: Database) -> tuple[list[Any], list[Any]]:
    """Every task and dose event by natural key (ids may differ with insertion order)."""
    task_rows = db.execute(
        "SELECT patient_id, dose_day, kind, due_at, state, attempts FROM due_tasks "
        "ORDER BY patient_id, dose_day, kind"
    ).fetchall()
    event_rows = db.execute(
        "SELECT patient_id, dose_day, scheduled_at, dose_mg, status, missed_reason, "
        "reminder_late FROM dose_events ORDER BY patient_id, dose_day"
    ).fetchall()
    return task_rows, event_rows


def test_together_and_one_by_one_give_the_same_messages_and_rows(
    open_store: Callable[[str], Store],
) -> None:
    together, alone = open_store("together").db, open_store("alone").db
    ids = _seed(together)
    assert _seed(alone) == ids
    now = BEDTIME + timedelta(seconds=5)

    all_at_once = prepare_reminders(together, _claim_tonight(together), now)
    one_by_one = [prepare_reminders(alone, [task], now)[0] for task in _claim_tonight(alone)]

    outcomes = [_outcome(together, p) for p in all_at_once]
    assert outcomes == [_outcome(alone, p) for p in one_by_one]
    assert _rows(together) == _rows(alone)
    # And every state did what it should (so the comparison is not between two wrong answers).
    user_of = {patient_id: user for user, patient_id in ids.items()}
    by_user = {user_of[outcome[0]]: outcome for outcome in outcomes}
    assert by_user[101][1:3] == (Action.SEND, "done") and by_user[101][3][2].night_at_dose == 1
    assert by_user[102][1:3] == (Action.DROP, "cancelled")  # paused
    assert by_user[103][1:3] == (Action.DROP, "not_sent")  # blocked the bot
    assert by_user[104][1:3] == (Action.DROP, "done")  # answered already
    assert by_user[105][1] is Action.SEND_LATE and by_user[105][3][2].late
    assert by_user[106][1:3] == (Action.EXPIRE, "not_sent")
    assert by_user[107][3][2].previous_missed
    assert by_user[108][3][2].step_question_open
    assert by_user[109][3][2].held_for == (Effect.DREAMS,)
    assert by_user[111][3][2].night_at_dose == 7  # six taken at this dose, tonight the 7th
    assert by_user[112][3][2].dose_mg == Decimal("1.0")
    assert by_user[112][3][2].night_at_dose == 1
    tomorrow = [
        row
        for row in _rows(together)[0]
        if row[2] == "reminder" and row[4] == "pending" and row[0] == by_user[110][0]
    ]
    assert [row[1] for row in tomorrow] == ["2026-11-29"]  # the later night was moved back
    late_marks = together.execute("SELECT COUNT(*) FROM dose_events WHERE reminder_late = 1")
    assert late_marks.fetchone()[0] == 1


def test_one_patient_whose_reminder_cannot_be_prepared_holds_up_no_one(
    open_store: Callable[[str], Store],
) -> None:
    db = open_store("broken").db
    ids = [_onboarded(db, telegram_id) for telegram_id in (201, 202, 203)]
    for patient_id in ids:
        _tonight(db, patient_id)
    db.execute("UPDATE patients SET zone = 'Mars/Olympus_Mons' WHERE id = ?", [ids[1]])
    now = BEDTIME + timedelta(seconds=5)

    claimed = claim_and_prepare(db, now, 32)

    assert sorted(p.task.patient_id for p in claimed.ready) == [ids[0], ids[2]]
    broken = tasks.find(db, ids[1], TONIGHT, TaskKind.REMINDER)
    assert broken is not None and broken.state == "pending" and broken.attempts == 1
    assert broken.due_at > now  # tried again a little later, not in a tight loop
    assert doses.for_day(db, ids[1], TONIGHT) is None  # nothing of it half-written


def test_a_chunk_with_two_tasks_for_one_patient_prepares_them_in_order(
    open_store: Callable[[str], Store],
) -> None:
    """Tonight's reminder and last night's close for the same patient in one chunk: the close
    must see last night as it is, the reminder must be tonight's (not prepared together)."""
    db = open_store("mixed").db
    patient_id = _onboarded(db, 301)
    other = _onboarded(db, 302)
    last_night = doses.ensure(db, patient_id, TONIGHT - timedelta(days=1), BEDTIME, Decimal("0.5"))
    tasks.schedule(db, patient_id, TaskKind.CLOSE, last_night.dose_day, BEDTIME)
    for each in (patient_id, other):
        _tonight(db, each)

    claimed = claim_and_prepare(db, BEDTIME + timedelta(seconds=5), 32)

    assert sorted(p.task.patient_id for p in claimed.ready) == [patient_id, other]
    closed = doses.by_id(db, last_night.id)
    assert closed is not None and closed.status == "missed"
    assert doses.for_day(db, patient_id, TONIGHT) is not None
