"""The clinic overview at scale: how long one page of ``/admin`` takes (everyone, and "needs
attention", which looks at every enrolled patient) and one patient's page.

    .venv/bin/python -m benchmarks.admin_overview --patients 10000

Seeds a fresh database through the product's migrations with N patients, each with a plan, a dose
change and 30 nights of outcomes (85% taken, 5% late, 3% skipped, 7% missed; about 1% paused),
then times ``care.admin.overview_for`` and ``care.admin.page_for`` (best of 5). A script, not a
timed test.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from care import admin
from care.admin import CLI
from storage.db import Store, write_transaction

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)
NIGHTS = 30


def seed(db: Database, patients: int) -> None:
    """N patients and their nights, in one transaction (recursive CTEs, no Python loop)."""
    stamp = NOW.isoformat()
    with write_transaction(db):
        db.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            "INSERT INTO patients (id, telegram_id, chat_id, status, consent_version, consent_at, "
            "consent_text_sha256, zone, bedtime, current_dose_mg, current_dose_since, "
            "created_at, updated_at) SELECT i, 1000000 + i, 1000000 + i, "
            "CASE WHEN i % 97 = 0 THEN 'paused' ELSE 'active' END, 'b', ?, 'b', "
            "'Europe/Berlin', '22:00', '1.0', '2026-11-01', ?, ? FROM n",
            [patients, stamp, stamp, stamp],
        )
        db.execute(
            "INSERT INTO plans (patient_id, start_mg, step_mg, interval_days, target_mg, source, "
            "updated_at) SELECT id, '0.5', '0.5', 14, '4.5', 'default', ? FROM patients",
            [stamp],
        )
        db.execute(
            "INSERT INTO dose_changes (patient_id, dose_mg, effective_day, reason, created_at) "
            "SELECT id, '1.0', '2026-11-01', 'start', ? FROM patients",
            [stamp],
        )
        db.execute(
            "WITH RECURSIVE d(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM d WHERE k < ?), "
            "night AS (SELECT p.id AS pid, k, date('2026-12-05', '-' || k || ' days') AS day, "
            "abs(random()) % 100 AS r FROM patients p, d) "
            "INSERT INTO dose_events (patient_id, dose_day, scheduled_at, dose_mg, status, "
            "answered_at) SELECT pid, day, CAST(strftime('%s', day || ' 21:00') AS INTEGER), "
            "'1.0', CASE WHEN r < 85 THEN 'taken' WHEN r < 90 THEN 'late' "
            "WHEN r < 93 THEN 'skipped' ELSE 'missed' END, "
            "CASE WHEN r < 93 THEN day || 'T21:05:00+00:00' END FROM night",
            [NIGHTS],
        )


def best_of(store: Store, fn: Callable[[Database], object], rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        store.run_sync(fn)
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=10_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ldn-admin-bench-"))
    store = Store(folder / "ldn.db")
    try:
        started = time.perf_counter()
        store.run_sync(seed, args.patients)
        print(
            f"seeded {args.patients} patients × {NIGHTS} nights in "
            f"{time.perf_counter() - started:.1f} s"
        )

        def page(number: int, attention: bool) -> Callable[[Database], object]:
            def view(db: Database) -> object:
                with write_transaction(db):
                    return admin.overview_for(db, CLI, number, attention, NOW, limit=10)

            return view

        def one(db: Database) -> object:
            with write_transaction(db):
                return admin.page_for(db, CLI, args.patients // 2, NOW)

        last = args.patients // admin.PAGE_SIZE - 1
        print(f"first page, everyone:        {best_of(store, page(0, False)):7.1f} ms")
        print(f"last page, everyone:         {best_of(store, page(last, False)):7.1f} ms")
        print(f"first page, needs attention: {best_of(store, page(0, True)):7.1f} ms")
        print(f"one patient's page:          {best_of(store, one):7.1f} ms")
    finally:
        store.close()


if __name__ == "__main__":
    main()
