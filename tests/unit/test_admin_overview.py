"""The clinic overview reads a page of patients in a few batched queries: its adherence must be
the one computation (``titration.record.adherence`` over ``storage.record.load``'s nights) and
its "missed in a row" the one rule (``missed_in_a_row``), for every patient on the page."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlite_utils import Database

from care import admin
from care.admin import CLI
from storage import doses, overview, patients, record, safety
from storage.db import Store
from storage.safety import EventKind
from tests.seeding import onboarded_patient
from titration.record import adherence, missed_in_a_row

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
ZONES = ("Europe/Berlin", "America/New_York", "Pacific/Auckland")
STATUSES = ("taken", "late", "skipped", "missed", "pending", None)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "ldn.db")
    yield opened
    opened.close()


def lived(db: Database, count: int, seed: int) -> None:
    """``count`` patients in three zones, each with 25 nights of random outcomes (some absent)."""
    pick = random.Random(seed)
    for n in range(count):
        pid = onboarded_patient(
            db, 5000 + n, zone=ZONES[n % 3], bedtime="22:00", now=NOW - timedelta(days=30)
        )
        for back in range(25):
            day = date(2026, 12, 5) - timedelta(days=back)
            status = pick.choice(STATUSES)
            if status is None:
                continue
            at = datetime(day.year, day.month, day.day, 21, 0, tzinfo=UTC)
            event = doses.ensure(db, pid, day, at, Decimal("0.5"))
            if status == "missed":
                doses.close_missed(db, event.id, "no_answer")
            elif status != "pending":
                late = timedelta(minutes=pick.choice((5, 45, 300)))
                doses.answer(db, event.id, status, at + late)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_page_counts_adherence_and_missed_nights_as_the_record_does(
    store: Store, seed: int
) -> None:
    store.run_sync(lived, 30, seed)

    def check(db: Database) -> None:
        for page in range(3):
            shown = admin.overview_for(db, CLI, page, False, NOW, limit=admin.PAGE_SIZE)
            assert len(shown.lines) == 10
            for line in shown.lines:
                patient = patients.by_id(db, line.patient_id)
                assert patient is not None
                first, last = admin.adherence_span(patient, NOW)
                loaded = record.load(db, patient.id, patient.zone, first, last)
                assert line.adherence == loaded.adherence
                everything = record.load(db, patient.id, patient.zone, date(2026, 1, 1), last)
                assert line.flags.missed_run == missed_in_a_row(everything.nights)

    store.run_sync(check)


def test_needs_attention_pages_exactly_the_patients_whose_flags_say_so(store: Store) -> None:
    store.run_sync(lived, 30, 7)

    def check(db: Database) -> None:
        everyone, total = overview.page(db, NOW, attention=False, limit=100, offset=0)
        expected = [f.patient_id for f in everyone if f.needs_attention]
        assert total == 30 and 0 < len(expected) < 30
        found: list[int] = []
        for page in range(4):
            shown = admin.overview_for(db, CLI, page, True, NOW, limit=admin.PAGE_SIZE)
            assert shown.total == len(expected)
            found += [line.patient_id for line in shown.lines if page < shown.pages]
            if page + 1 >= shown.pages:
                break
        assert found == expected

    store.run_sync(check)


def test_the_batched_nights_are_the_loaded_nights(store: Store) -> None:
    store.run_sync(lived, 6, 11)

    def check(db: Database) -> None:
        spans = {pid: (date(2026, 11, 20 + pid), date(2026, 12, 4)) for pid in range(1, 7)}
        batched = record.nights_of(db, spans)
        for pid, (first, last) in spans.items():
            zone = patients.by_id(db, pid).zone  # type: ignore[union-attr]
            assert batched[pid] == record.load(db, pid, zone, first, last).nights
            assert adherence(batched[pid]) == record.load(db, pid, zone, first, last).adherence

    store.run_sync(check)


def test_urgent_signs_and_opioids_need_attention_and_the_flags_say_which(store: Store) -> None:
    def seed(db: Database) -> list[int]:
        ids = [
            onboarded_patient(db, 7000 + n, zone="Europe/Berlin", bedtime="22:00", now=NOW)
            for n in range(5)
        ]
        urgent, opioid, resolved, old, _quiet = ids
        safety.record(db, urgent, EventKind.URGENT_SIGN, None, NOW, sign="allergy")
        safety.record(db, opioid, EventKind.OPIOID_TAKEN, "tramadol", NOW - timedelta(days=30))
        safety.record(db, resolved, EventKind.OPIOID_TAKEN, None, NOW - timedelta(days=20))
        safety.resolve_open(db, resolved, NOW - timedelta(days=19))
        safety.record(db, old, EventKind.URGENT_SIGN, None, NOW - timedelta(days=15), sign="liver")
        return ids

    ids = store.run_sync(seed)

    def check(db: Database) -> None:
        flagged, total = overview.page(db, NOW, attention=True, limit=10, offset=0)
        assert total == 2
        assert [(f.patient_id, f.urgent, f.opioid) for f in flagged] == [
            (ids[0], True, False),
            (ids[1], False, True),  # still unresolved a month later
        ]
        for pid in ids[2:]:
            quiet = overview.flags_of(db, pid, NOW)
            assert quiet is not None and not quiet.needs_attention

    store.run_sync(check)
