"""Morning check-ins (side effects), benefit ratings, and the suggestions already sent.

Every report keeps the dose and plan step it was made under, so summaries can say
"at 3 mg: trouble sleeping on 4 of 7 nights".
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlite_utils import Database

from storage.db import write_transaction
from storage.rows import first, iso, placeholders, select
from storage.rules import thresholds
from titration.benefits import Measure
from titration.side_effects import Assessment, Effect, Report, Severity, assess


@dataclass(frozen=True)
class Checkin:
    id: int
    patient_id: int
    day: date
    dose_mg: Decimal
    plan_step: int
    status: str
    draft: dict[str, Any]
    effects: dict[Effect, Severity]
    other_text: str | None


def _checkin(row: dict[str, Any]) -> Checkin:
    return Checkin(
        id=row["id"],
        patient_id=row["patient_id"],
        day=date.fromisoformat(row["day"]),
        dose_mg=Decimal(row["dose_mg"]),
        plan_step=row["plan_step"],
        status=row["status"],
        draft=json.loads(row["draft"]),
        effects=_effects(row["effects"]),
        other_text=row["other_text"],
    )


def _effects(stored: str) -> dict[Effect, Severity]:
    return {Effect(k): Severity(v) for k, v in json.loads(stored).items()}


def by_id(db: Database, checkin_id: int) -> Checkin | None:
    row = first(db, "checkins", "id = ?", [checkin_id])
    return _checkin(row) if row else None


def for_day(db: Database, patient_id: int, day: date) -> Checkin | None:
    row = first(db, "checkins", "patient_id = ? AND day = ?", [patient_id, day.isoformat()])
    return _checkin(row) if row else None


def open_for(
    db: Database,
    patient_id: int,
    day: date,
    dose: Decimal,
    plan_step: int,
    now: datetime,
    *,
    reopen: bool = False,
) -> Checkin | None:
    """Today's check-in, ready for answers; earlier unanswered ones expire quietly.

    An answered one is reopened only when ``reopen`` (the patient asked with /checkin: a second
    answer replaces the first); otherwise None, so the morning message is not sent twice.
    """
    with write_transaction(db):
        db.execute(
            "UPDATE checkins SET status = 'expired' "
            "WHERE patient_id = ? AND day < ? AND status = 'open'",
            [patient_id, day.isoformat()],
        )
        db.execute(
            "INSERT INTO checkins (patient_id, day, dose_mg, plan_step, asked_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (patient_id, day) DO NOTHING",
            [patient_id, day.isoformat(), str(dose), plan_step, iso(now)],
        )
        found = for_day(db, patient_id, day)
        assert found is not None
        if found.status == "open":
            return found
        if not reopen:
            return None
        db.execute(
            "UPDATE checkins SET status = 'open', draft = '{}', asked_at = ? WHERE id = ?",
            [iso(now), found.id],
        )
        return by_id(db, found.id)


def save_draft(db: Database, checkin_id: int, draft: dict[str, Any]) -> None:
    with write_transaction(db):
        db.execute(
            "UPDATE checkins SET draft = ? WHERE id = ? AND status = 'open'",
            [json.dumps(draft, sort_keys=True), checkin_id],
        )


def finish(
    db: Database,
    checkin_id: int,
    effects: dict[Effect, Severity],
    other_text: str | None,
    now: datetime,
) -> bool:
    """Store the answer (replacing an earlier one for the same morning)."""
    payload = json.dumps({e.value: int(s) for e, s in effects.items()}, sort_keys=True)
    with write_transaction(db):
        cursor = db.execute(
            "UPDATE checkins SET status = 'answered', effects = ?, other_text = ?, "
            "answered_at = ?, draft = '{}' WHERE id = ? AND status = 'open'",
            [payload, other_text, iso(now), checkin_id],
        )
    return cursor.rowcount == 1


def history(db: Database, patient_id: int, limit: int = 60) -> list[Report]:
    """Answered check-ins, oldest first (the last ``limit``)."""
    return histories(db, [patient_id], limit).get(patient_id, [])


def histories(
    db: Database, patient_ids: Collection[int], limit: int = 60
) -> dict[int, list[Report]]:
    """``history`` for several patients in one query (those with none are missing)."""
    if not patient_ids:
        return {}
    cursor = db.conn.execute(
        "SELECT patient_id, day, effects FROM ("
        "SELECT patient_id, day, effects, "
        "ROW_NUMBER() OVER (PARTITION BY patient_id ORDER BY day DESC) AS latest "
        f"FROM checkins WHERE patient_id IN ({placeholders(len(patient_ids))}) "
        "AND status = 'answered') WHERE latest <= ? ORDER BY patient_id, day",
        [*patient_ids, limit],
    )
    found: dict[int, list[Report]] = {}
    for patient_id, day, effects in cursor:
        found.setdefault(patient_id, []).append(Report(date.fromisoformat(day), _effects(effects)))
    return found


def answered_since(db: Database, patient_id: int, since: date) -> list[Checkin]:
    rows = select(
        db,
        "checkins",
        "patient_id = ? AND status = 'answered' AND day >= ?",
        [patient_id, since.isoformat()],
        order_by="day",
    )
    return [_checkin(row) for row in rows]


def record_suggestion(
    db: Database, patient_id: int, effect: Effect, kind: str, episode_start: date, now: datetime
) -> bool:
    """Remember a suggestion or advice was sent; False if it already had been (no nagging)."""
    with write_transaction(db):
        cursor = db.execute(
            "INSERT INTO suggestions (patient_id, effect, kind, episode_start, sent_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [patient_id, effect.value, kind, episode_start.isoformat(), iso(now)],
        )
    return cursor.rowcount == 1


# Benefit ratings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rating:
    id: int
    patient_id: int
    day: date
    kind: str
    values: dict[Measure, int]

    @property
    def complete(self) -> bool:
        return len(self.values) == len(Measure)

    def missing(self) -> Measure | None:
        return next((m for m in Measure if m not in self.values), None)


def _rating(row: dict[str, Any]) -> Rating:
    values = {m: row[m.value] for m in Measure if row[m.value] is not None}
    return Rating(row["id"], row["patient_id"], date.fromisoformat(row["day"]), row["kind"], values)


def open_rating(
    db: Database, patient_id: int, day: date, kind: str, dose: Decimal | None, plan_step: int | None
) -> Rating:
    with write_transaction(db):
        db.execute(
            "INSERT INTO benefit_ratings (patient_id, day, kind, dose_mg, plan_step) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (patient_id, day, kind) DO NOTHING",
            [patient_id, day.isoformat(), kind, str(dose) if dose is not None else None, plan_step],
        )
        row = db.execute(
            "SELECT id FROM benefit_ratings WHERE patient_id = ? AND day = ? AND kind = ?",
            [patient_id, day.isoformat(), kind],
        ).fetchone()
    found = rating(db, row[0])
    assert found is not None
    return found


def rating(db: Database, rating_id: int) -> Rating | None:
    row = first(db, "benefit_ratings", "id = ?", [rating_id])
    return _rating(row) if row else None


def rate(db: Database, rating_id: int, measure: Measure, value: int, now: datetime) -> Rating:
    with write_transaction(db):
        db.execute(
            f"UPDATE benefit_ratings SET {measure.value} = ?, answered_at = ? WHERE id = ?",
            [value, iso(now), rating_id],
        )
    found = rating(db, rating_id)
    assert found is not None
    return found


def ratings(db: Database, patient_id: int) -> list[Rating]:
    """Every complete rating, oldest first (a baseline sorts before a weekly one the same day)."""
    rows = select(db, "benefit_ratings", "patient_id = ?", [patient_id], order_by="day, kind")
    return [r for r in map(_rating, rows) if r.complete]


def assessment(db: Database, patient_id: int) -> Assessment:
    """Where the patient's side-effect episodes stand, under the clinic's thresholds."""
    return assessments(db, [patient_id])[patient_id]


def assessments(db: Database, patient_ids: Collection[int]) -> dict[int, Assessment]:
    """``assessment`` for several patients (two queries in all)."""
    rules = thresholds(db)
    found = histories(db, patient_ids)
    return {patient_id: assess(found.get(patient_id, []), rules) for patient_id in patient_ids}
