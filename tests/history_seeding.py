"""A long, busy history written straight to the database, for the report's page-count test and
the report benchmark: nightly doses (taken on time, late, skipped, missed), a step up every 14
days to the target, morning check-ins with side effects, weekly ratings and suggestions.

Deterministic (a seeded ``random.Random``), so a figure measured on it means the same each run.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from storage import checkins, doses, patients
from storage.db import write_transaction
from tests.seeding import onboarded_patient
from titration.benefits import Measure
from titration.side_effects import Effect, Severity


def seed_history(
    db: Database, telegram_id: int, *, zone: str, first_day: date, days: int, seed: int = 7
) -> int:
    """A patient whose plan began on ``first_day``, with ``days`` nights of history; their id.

    Check-ins are daily (the busiest a report has to show), each naming 0–3 effects.
    """
    place = ZoneInfo(zone)
    began = datetime.combine(first_day, time(12, 0), place).astimezone(UTC)
    patient_id = onboarded_patient(db, telegram_id, zone=zone, bedtime="22:00", now=began)
    pick = random.Random(seed)
    with write_transaction(db):
        db.execute("DELETE FROM due_tasks WHERE patient_id = ?", [patient_id])
        dose = Decimal("0.5")
        for offset in range(days):
            day = first_day + timedelta(days=offset)
            if offset and offset % 14 == 0 and dose < Decimal("4.5"):
                dose += Decimal("0.5")
                patients.change_dose(db, patient_id, dose, day, "step_up", began)
            _night(db, patient_id, day, place, dose, pick)
            _checkin(db, patient_id, day + timedelta(days=1), place, dose, pick)
            if offset % 7 == 0:
                _rating(db, patient_id, day, "baseline" if offset == 0 else "weekly", pick)
            if offset % 45 == 10:
                effect = pick.choice(list(Effect))
                at = datetime.combine(day, time(8, 5), place)
                checkins.record_suggestion(db, patient_id, effect, "persistent", day, at)
    return patient_id


def _night(
    db: Database, patient_id: int, day: date, zone: ZoneInfo, dose: Decimal, pick: random.Random
) -> None:
    at = datetime.combine(day, time(22, 0), zone).astimezone(UTC)
    event = doses.ensure(db, patient_id, day, at, dose)
    roll = pick.random()
    if roll < 0.05:
        doses.close_missed(db, event.id, "no answer")
    elif roll < 0.08:
        doses.answer(db, event.id, "skipped", at + timedelta(minutes=2))
    else:
        late = roll > 0.85
        minutes = pick.randint(31, 180) if late else pick.randint(0, 30)
        doses.answer(db, event.id, "late" if late else "taken", at + timedelta(minutes=minutes))


def _checkin(
    db: Database, patient_id: int, day: date, zone: ZoneInfo, dose: Decimal, pick: random.Random
) -> None:
    asked = datetime.combine(day, time(8, 0), zone)
    found = checkins.open_for(db, patient_id, day, dose, 1, asked)
    assert found is not None
    chosen = pick.sample(list(Effect), pick.randint(0, 3))
    effects = {e: Severity(pick.randint(1, 3)) for e in chosen}
    note = 'tingling, "pins and needles"\nin my feet' if Effect.OTHER in effects else None
    checkins.finish(db, found.id, effects, note, asked + timedelta(minutes=2))


def _rating(db: Database, patient_id: int, day: date, kind: str, pick: random.Random) -> None:
    rating = checkins.open_rating(db, patient_id, day, kind, None, None)
    at = datetime.combine(day, time(9, 0), UTC)
    for measure in Measure:
        checkins.rate(db, rating.id, measure, pick.randint(0, 10), at)
