"""The one adherence computation every view uses, and the record loaded from a real database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlite_utils import Database

from storage import doses, record
from storage.db import Store
from tests.seeding import onboarded_patient
from titration.record import Night, NightStatus, adherence, missed_in_a_row

AT = datetime(2026, 11, 1, 21, 0, tzinfo=UTC)


def night(day: int, status: str, answered_after_min: int | None = None) -> Night:
    scheduled = AT + timedelta(days=day)
    answered = (
        None if answered_after_min is None else scheduled + timedelta(minutes=answered_after_min)
    )
    return Night(date(2026, 11, 1 + day), scheduled, Decimal("1"), NightStatus(status), answered)


@pytest.mark.parametrize(
    ("nights", "expected"),
    [
        ([], (0, 0, 0, 0, 0, 0, 0, None)),
        # on time at exactly 30 minutes, late at 31, a "late" status within 30 minutes is on time
        (
            [night(0, "taken", 30), night(1, "taken", 31), night(2, "late", 10)],
            (3, 3, 2, 1, 0, 0, 0, 100),
        ),
        (
            [night(0, "taken", 5), night(1, "skipped", 1), night(2, "missed"), night(3, "pending")],
            (3, 1, 1, 0, 1, 1, 1, 33),
        ),
        ([night(0, "late", 150), night(1, "missed")], (2, 1, 0, 1, 0, 1, 0, 50)),
    ],
)
def test_adherence_table(nights: list[Night], expected: tuple[object, ...]) -> None:
    found = adherence(nights)
    assert (
        found.scheduled,
        found.taken,
        found.on_time,
        found.late,
        found.skipped,
        found.missed,
        found.open,
        found.percent,
    ) == expected


def test_two_thirds_rounds_half_up() -> None:
    found = adherence([night(0, "taken", 1), night(1, "taken", 1), night(2, "missed")])
    assert found.percent == 67


@pytest.mark.parametrize(
    ("statuses", "run"),
    [
        (["missed", "missed", "pending"], 2),
        (["missed", "taken", "missed"], 1),
        (["missed", "skipped"], 0),
        ([], 0),
    ],
)
def test_missed_in_a_row(statuses: list[str], run: int) -> None:
    assert missed_in_a_row([night(i, s) for i, s in enumerate(statuses)]) == run


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "ldn.db")
    yield opened
    opened.close()


def test_record_loads_the_period_from_the_database(store: Store) -> None:
    now = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    zone = ZoneInfo("Europe/Berlin")
    patient_id = store.run_sync(
        onboarded_patient, 7, zone="Europe/Berlin", bedtime="22:00", now=now
    )

    def seed(db: Database) -> None:
        for offset, status in enumerate(["taken", "missed", "skipped"]):
            day = date(2026, 11, 1 + offset)
            event = doses.ensure(db, patient_id, day, AT + timedelta(days=offset), Decimal("0.5"))
            if status == "missed":
                doses.close_missed(db, event.id, "no answer")
            else:
                doses.answer(db, event.id, status, AT + timedelta(days=offset, minutes=10))

    store.run_sync(seed)
    loaded = store.run_sync(record.load, patient_id, zone, date(2026, 11, 2), date(2026, 11, 30))
    assert [n.status for n in loaded.nights] == [NightStatus.MISSED, NightStatus.SKIPPED]
    assert loaded.adherence.scheduled == 2 and loaded.adherence.taken == 0
    assert loaded.plan is not None and loaded.dose_on(date(2026, 11, 2)) == Decimal("0.5")
    whole = store.run_sync(record.load, patient_id, zone, date(2026, 11, 1), date(2026, 11, 3))
    assert whole.adherence.percent == 33 and whole.adherence.on_time == 1
