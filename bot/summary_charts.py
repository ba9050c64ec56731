"""The chart under a caregiver's summary: the shared renderer (``bot.charts``), off the event loop.

Scheduled summaries render in a worker process (spawned on the first one, kept for the next), so
a Sunday evening's thousands of charts never hold the bot's interpreter: the event loop keeps
answering presses and sending reminders meanwhile. One worker renders ~50 charts a second here
(``benchmarks/RESULTS.md``, charts), above the 25 summaries a second the pacer sends
(``bot.pacing.BULK_PER_SECOND``). The workers run at a lower priority (``bot.charts.warm_up``):
with both cores drawing, the bot's event loop still runs the moment it has work. Under
"adherence only" the chart has no side-effect or benefit panel (``with_health=False``) and its
record carries none (``titration.care_summary.shared_record``). A chart that fails to render is
logged and the summary goes as text.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ProcessPoolExecutor

from bot.chart_texts import chart_labels
from bot.charts import ChartJob, process_pool, render_job, render_off_loop
from titration.caregiving import Scope
from titration.record import PatientRecord

log = logging.getLogger(__name__)

WORKERS = 2  # worker processes for scheduled charts (one per core)


def job(record: PatientRecord, scope: Scope) -> ChartJob:
    """The chart of ``record`` in the current language (``bot.i18n.use``), as ``scope`` shares."""
    return ChartJob(record, chart_labels(), with_health=scope.shows_effects)


class SummaryCharts:
    """A worker process for the scheduled summaries' charts, started on first use."""

    def __init__(self, workers: int = WORKERS) -> None:
        self._workers = workers
        self._pool: ProcessPoolExecutor | None = None

    async def render(self, record: PatientRecord, scope: Scope) -> bytes | None:
        """The PNG, or None when it could not be drawn (the summary then goes as text)."""
        chart = job(record, scope)
        if self._pool is None:
            self._pool = process_pool(self._workers)
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, render_job, chart)
        except Exception:
            log.exception("a summary's chart failed to render")
            return None

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


async def render_now(record: PatientRecord, scope: Scope) -> bytes | None:
    """One chart for /summary on demand, on the bot's chart thread (as /history's)."""
    try:
        return await render_off_loop(job(record, scope))
    except Exception:
        log.exception("a summary's chart failed to render")
        return None
