"""How long /export takes to make a doctor report (and the CSV and FHIR files) from a long history.

```sh
.venv/bin/python -m benchmarks.doctor_report            # a 2-year history, 5 warm runs
.venv/bin/python -m benchmarks.doctor_report --days 91  # three months
```

Seeds a fresh database (``tests.history_seeding``: a night, a morning check-in with 0–3 effects
and a weekly rating every day of ``--days``, steps up to the target, a few suggestions), then
times what [Send] does after the tap: ``care.exports.report_data`` (one transaction: the record
and its episodes) and ``bot.handlers.exports.make`` (the renderer the handler runs off the event
loop). The first run is *cold*: it includes importing fpdf2 and matplotlib (for the font's path)
and reading the TrueType font, as a bot's first report after start-up does. The target is the
whole cold report under 2 s. A script, not a timed test: nothing here runs under pytest.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from bot.handlers.exports import make
from care.exports import ExportFormat, ExportPeriod, ReportData, offer_minute, report_data
from storage.db import Store
from tests.history_seeding import seed_history

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
TARGET_S = 2.0
T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--days", type=int, default=730, help="days of history (default 730)")
    parser.add_argument("--runs", type=int, default=5, help="warm runs (default 5)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "ldn.db")
        try:
            first = NOW.date() - timedelta(days=args.days)
            _, seeding = timed(
                lambda: store.run_sync(
                    seed_history, 5, zone="Europe/Berlin", first_day=first, days=args.days
                )
            )

            def load(fmt: ExportFormat) -> ReportData:
                found = store.run_sync(
                    report_data, 5, fmt, ExportPeriod.ALL, offer_minute(NOW), NOW
                )
                assert isinstance(found, ReportData)
                return found

            data, cold_load = timed(lambda: load(ExportFormat.PDF))
            documents, cold_render = timed(lambda: make(ExportFormat.PDF, data))
            pages = _pages(documents[0][1])
            loads, renders = [], []
            for _ in range(args.runs):
                loads.append(timed(lambda: load(ExportFormat.PDF))[1])
                renders.append(timed(lambda: make(ExportFormat.PDF, data))[1])
            others = {
                fmt: timed(lambda fmt=fmt: make(fmt, load(fmt)))[1]  # type: ignore[misc]
                for fmt in (ExportFormat.CSV, ExportFormat.FHIR)
            }
        finally:
            store.close()

    rec = data.record
    cold = cold_load + cold_render
    warm = statistics.median(loads) + statistics.median(renders)
    print(
        f"history: {args.days} days — {len(rec.nights)} nights, {len(rec.checkins)} check-ins, "
        f"{len(rec.ratings)} ratings, {len(rec.steps)} dose steps (seeded in {seeding:.1f} s)"
    )
    print(
        f"PDF report, cold (first after start-up, imports included): {cold * 1000:.0f} ms "
        f"(load {cold_load * 1000:.0f} + render {cold_render * 1000:.0f}); "
        f"{pages} pages, {len(documents[0][1]) // 1024} KB"
    )
    print(
        f"PDF report, warm (median of {args.runs}): {warm * 1000:.0f} ms "
        f"(load {statistics.median(loads) * 1000:.0f} + "
        f"render {statistics.median(renders) * 1000:.0f})"
    )
    for fmt, seconds in others.items():
        print(f"{fmt.value.upper()} (load + make), warm: {seconds * 1000:.0f} ms")
    verdict = "pass" if cold < TARGET_S else "FAIL"
    print(f"target: the cold report under {TARGET_S:.0f} s — {verdict}")
    return 0 if cold < TARGET_S else 1


def _pages(body: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(body)).pages)


if __name__ == "__main__":
    sys.exit(main())
