"""Baseline (a): the conventional design, one PTB JobQueue ``run_daily`` job per patient.

``python -m benchmarks.jobqueue DB BASE_URL TOKEN COHORT_AT [--cap SECONDS]`` builds an
Application with PTB's default JobQueue (APScheduler, default 1 s misfire grace), starts it,
loads every patient from the seeded database and schedules one daily job each at their local
bedtime. The cohort's jobs are scheduled for one shared instant a few seconds ahead, so all of
them fall due at once, as ``COHORT_AT`` does for the real bot. It reports the time to schedule
everyone, RSS, and how many cohort callbacks ran versus how many APScheduler dropped as
"missed". Scheduling stops at ``--cap`` seconds (the rest is extrapolated, marked as such).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from telegram.ext import Application, ApplicationBuilder, CallbackContext, ExtBot, JobQueue

from benchmarks.measure import rss_mb
from benchmarks.stdio import emit

App = Application[ExtBot[None], CallbackContext[Any, Any, Any, Any], Any, Any, Any, Any]
Patient = tuple[int, int, str, str]  # id, chat id, zone, bedtime


class MissedCounter(logging.Handler):
    """Counts APScheduler's 'Run time of job … was missed by' warnings for cohort jobs."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.missed = 0

    def emit(self, record: logging.LogRecord) -> None:
        job = record.args[0] if isinstance(record.args, tuple) and record.args else None
        if "was missed by" in record.msg and str(getattr(job, "name", "")).startswith("c"):
            self.missed += 1
            _check_all_fired()


class Ran:
    count = 0
    first: float | None = None
    everyone = asyncio.Event()  # set by the last cohort callback, or by the missed counter
    expected = 0


MISSED = MissedCounter()


async def remind(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """What a conventional bot would do here is send the reminder; counting is enough."""
    job = context.job
    if job is not None and job.data is True:
        Ran.count += 1
        Ran.first = Ran.first or time.monotonic()
        _check_all_fired()


def _check_all_fired() -> None:
    if Ran.count + MISSED.missed >= Ran.expected:
        Ran.everyone.set()


def load(db: Path, cohort_at: int) -> tuple[list[Patient], list[Patient]]:
    """(everyone else, the cohort) as the conventional bot would read them at start-up."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        rows = conn.execute(
            "SELECT p.id, p.chat_id, p.zone, p.bedtime, t.due_at = ? FROM patients p "
            "JOIN due_tasks t ON t.patient_id = p.id AND t.kind = 'reminder' ORDER BY p.id",
            [cohort_at],
        ).fetchall()
    others = [(r[0], r[1], r[2], r[3]) for r in rows if not r[4]]
    cohort = [(r[0], r[1], r[2], r[3]) for r in rows if r[4]]
    return others, cohort


def schedule(
    queue: JobQueue[Any], patients: list[Patient], deadline: float, *, at: datetime | None = None
) -> int:
    """One run_daily job per patient (at their bedtime, or at ``at``); how many were added."""
    for n, (patient_id, chat_id, zone_name, bedtime) in enumerate(patients):
        zone = ZoneInfo(zone_name)
        if at is None:
            hour, minute = (int(part) for part in bedtime.split(":"))
            when = clock_time(hour, minute, tzinfo=zone)
        else:
            local = at.astimezone(zone)
            when = clock_time(local.hour, local.minute, local.second, tzinfo=zone)
        queue.run_daily(
            remind,
            when,
            data=at is not None,
            name=f"{'c' if at is not None else 'p'}{patient_id}",
            chat_id=chat_id,
        )
        if n % 1000 == 999 and time.monotonic() > deadline:
            return n + 1
    return len(patients)


async def main(db: Path, base_url: str, token: str, cohort_at: int, cap: float) -> None:
    missed = MISSED
    apscheduler_log = logging.getLogger("apscheduler")
    apscheduler_log.setLevel(logging.WARNING)
    apscheduler_log.addHandler(missed)
    apscheduler_log.propagate = False
    others, cohort = load(db, cohort_at)
    app: App = ApplicationBuilder().token(token).base_url(base_url).build()
    await app.initialize()
    await app.start()  # the JobQueue's scheduler runs from here
    queue = app.job_queue
    assert queue is not None
    rss_before = rss_mb()

    started = time.monotonic()
    added = schedule(queue, others, started + cap)
    await asyncio.sleep(0)  # let the scheduler handle the wake-ups every add_job queued
    others_seconds = time.monotonic() - started
    per_job = others_seconds / max(added, 1)
    # The cohort's shared instant: far enough ahead for its own scheduling to finish first.
    ahead = per_job * len(cohort) * 3 + 3
    fire_at = (datetime.now(UTC) + timedelta(seconds=ahead)).replace(microsecond=0)
    cohort_started = time.monotonic()
    schedule(queue, cohort, float("inf"), at=fire_at)
    await asyncio.sleep(0)
    cohort_seconds = time.monotonic() - cohort_started
    rss_after = rss_mb()
    capped = added < len(others)
    total = len(others) + len(cohort)
    seconds = others_seconds + cohort_seconds
    if capped:
        seconds = per_job * len(others) + cohort_seconds
    scheduled_at = time.monotonic()

    fire_mono = scheduled_at + (fire_at - datetime.now(UTC)).total_seconds()
    deadline = fire_mono + 30 + len(cohort) / 500
    Ran.expected = len(cohort)
    _check_all_fired()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(Ran.everyone.wait(), deadline - time.monotonic())
    emit(
        "done",
        patients=total,
        scheduled=added + len(cohort),
        capped=capped,
        schedule_seconds=seconds,
        rss_before_mb=rss_before,
        rss_mb=rss_after,
        jobs=len(queue.jobs()),
        cohort=len(cohort),
        ran=Ran.count,
        missed=missed.missed,
        first_run_after_due=None if Ran.first is None else Ran.first - fire_mono,
    )
    await app.stop()
    await app.shutdown()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("base_url")
    parser.add_argument("token")
    parser.add_argument("cohort_at", type=int)
    parser.add_argument("--cap", type=float, default=180.0)
    args = parser.parse_args()
    asyncio.run(main(args.db, args.base_url, args.token, args.cohort_at, args.cap))
