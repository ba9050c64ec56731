"""The clinic's overview of its patients: one page at a time, with the signs that need attention,
in a few queries however many patients there are (nothing is loaded for patients off the page).

A patient *needs attention* when any of these holds (each a flag on the row):
- ``paused``: reminders paused;
- ``unreachable``: Telegram refuses messages to them (blocked the bot, account gone);
- ``persistent``: a side effect became persistent (a suggestion was sent) in the last 14 days;
- ``severe``: a severe report (same-day advice to contact the prescriber) in the last 14 days;
- ``urgent``: they wrote of an urgent sign (allergic reaction, liver trouble) and were told to
  seek care now, in the last 14 days (``storage.safety``);
- ``opioid``: they said they take an opioid now: still unresolved, or in the last 14 days;
- ``missed_run`` ≥ 2: the latest closed nights missed in a row (``titration.record
  .missed_in_a_row`` over every night; tests/unit/test_admin_overview.py checks they agree).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlite_utils import Database

from storage.rows import iso, placeholders

RECENT = timedelta(days=14)
MISSED_IN_A_ROW = 2

_FLAGS = """
    SELECT p.id AS id,
        p.status = 'paused' AS paused,
        p.unreachable_since IS NOT NULL AS unreachable,
        EXISTS (SELECT 1 FROM suggestions s WHERE s.patient_id = p.id
                AND s.kind = 'persistent' AND s.sent_at >= :since) AS persistent,
        EXISTS (SELECT 1 FROM suggestions s WHERE s.patient_id = p.id
                AND s.kind = 'severe' AND s.sent_at >= :since) AS severe,
        EXISTS (SELECT 1 FROM safety_events u WHERE u.patient_id = p.id
                AND u.kind = 'urgent_sign' AND u.reported_at >= :since) AS urgent,
        EXISTS (SELECT 1 FROM safety_events o WHERE o.patient_id = p.id
                AND o.kind = 'opioid_taken'
                AND (o.resolved_at IS NULL OR o.reported_at >= :since)) AS opioid,
        (SELECT count(*) FROM dose_events e WHERE e.patient_id = p.id AND e.status = 'missed'
            AND e.dose_day > coalesce((SELECT max(l.dose_day) FROM dose_events l
                WHERE l.patient_id = p.id AND l.status IN ('taken', 'late', 'skipped')), '')
        ) AS missed_run
    FROM patients p
    WHERE p.status IN ('active', 'paused')
"""
_NEEDS_ATTENTION = (
    "paused OR unreachable OR persistent OR severe OR urgent OR opioid OR missed_run >= "
    + str(MISSED_IN_A_ROW)
)


@dataclass(frozen=True)
class Flags:
    """What may need the clinic's attention about one patient."""

    patient_id: int
    paused: bool
    unreachable: bool
    persistent: bool
    severe: bool
    urgent: bool
    opioid: bool
    missed_run: int

    @property
    def needs_attention(self) -> bool:
        return (
            self.paused
            or self.unreachable
            or self.persistent
            or self.severe
            or self.urgent
            or self.opioid
            or self.missed_run >= MISSED_IN_A_ROW
        )


def _flags(row: tuple[int, ...]) -> Flags:
    pid, paused, unreachable, persistent, severe, urgent, opioid, missed = row
    return Flags(
        patient_id=pid,
        paused=bool(paused),
        unreachable=bool(unreachable),
        persistent=bool(persistent),
        severe=bool(severe),
        urgent=bool(urgent),
        opioid=bool(opioid),
        missed_run=missed,
    )


def page(
    db: Database, now: datetime, *, attention: bool, limit: int, offset: int
) -> tuple[list[Flags], int]:
    """One page of enrolled patients (by id), only those needing attention if ``attention``,
    and how many there are in all."""
    since = {"since": iso(now - RECENT)}
    if attention:
        rows = db.execute(
            f"SELECT * FROM ({_FLAGS}) WHERE {_NEEDS_ATTENTION} ORDER BY id "
            f"LIMIT {int(limit)} OFFSET {int(offset)}",
            since,
        ).fetchall()
        total = db.execute(
            f"SELECT count(*) FROM ({_FLAGS}) WHERE {_NEEDS_ATTENTION}", since
        ).fetchone()[0]
    else:
        rows = db.execute(
            f"{_FLAGS} ORDER BY p.id LIMIT {int(limit)} OFFSET {int(offset)}", since
        ).fetchall()
        total = db.execute(
            "SELECT count(*) FROM patients WHERE status IN ('active', 'paused')"
        ).fetchone()[0]
    return [_flags(row) for row in rows], total


def flags_of(db: Database, patient_id: int, now: datetime) -> Flags | None:
    """The flags of one enrolled patient (None: not enrolled)."""
    row = db.execute(f"{_FLAGS} AND p.id = :pid", {"since": iso(now - RECENT), "pid": patient_id})
    found = row.fetchone()
    return _flags(found) if found is not None else None


def last_activity(db: Database, patient_ids: Collection[int]) -> dict[int, datetime]:
    """When each patient last answered anything (a dose or a check-in), by patient id."""
    if not patient_ids:
        return {}
    marks = placeholders(len(patient_ids))
    rows = db.execute(
        f"SELECT patient_id, max(at) FROM ("
        f"SELECT patient_id, answered_at AS at FROM dose_events "
        f"WHERE patient_id IN ({marks}) AND answered_at IS NOT NULL UNION ALL "
        f"SELECT patient_id, answered_at FROM checkins "
        f"WHERE patient_id IN ({marks}) AND answered_at IS NOT NULL) GROUP BY patient_id",
        [*patient_ids, *patient_ids],
    ).fetchall()
    return {pid: datetime.fromisoformat(at) for pid, at in rows}
