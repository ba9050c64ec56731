"""A known history for the export tests: 21 scheduled nights over two dose steps with taken,
late, skipped and missed nights, morning check-ins (vivid dreams persistent, a typed note with a
comma, a quote and a newline), a baseline and a week-9 rating, and one suggestion.

Written straight to the database (the plan started 70 days before the harness's START), with
the patient's pending tasks removed so nothing falls due while a test runs.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from storage import checkins, doses, patients
from storage.db import write_transaction
from tests.e2e.harness import START, BotHarness
from tests.seeding import onboarded_patient
from titration.benefits import Measure
from titration.side_effects import Effect, Severity

BERLIN = ZoneInfo("Europe/Berlin")
BEGAN = START - timedelta(days=70)
FIRST_DAY = BEGAN.astimezone(BERLIN).date()  # the plan's first dose day
NOTE = 'knees, "glass marbles"\nand a dull ache'

# (minutes after the reminder it was confirmed, stored status) per night; None: not answered
NIGHTS: list[tuple[int | None, str]] = [
    *[(5, "taken")] * 10,  # on time
    (31, "taken"),  # confirmed 31 min after: late by the 30-minute rule
    (95, "late"),  # confirmed after the nudge
    (30, "taken"),  # exactly 30 minutes: on time
    (1, "skipped"),
    (None, "missed"),
    *[(10, "taken")] * 4,  # at 1.0 mg from night 15 (index 14)
    (None, "missed"),
    (240, "late"),
]
# scheduled 21, taken 18 (86%), on time 15, late 3, skipped 1, missed 2
EXPECTED = {"scheduled": 21, "taken": 18, "on_time": 15, "late": 3, "skipped": 1, "missed": 2}
STEP_DAY = FIRST_DAY + timedelta(days=14)


def _write(db: Database, patient_id: int) -> None:
    with write_transaction(db):
        db.execute("DELETE FROM due_tasks WHERE patient_id = ?", [patient_id])
        patients.change_dose(db, patient_id, Decimal("1.0"), STEP_DAY, "step_up", BEGAN)
        for offset, (minutes, status) in enumerate(NIGHTS):
            day = FIRST_DAY + timedelta(days=offset)
            at = datetime.combine(day, time(22, 0), BERLIN).astimezone(UTC)
            dose = Decimal("0.5") if day < STEP_DAY else Decimal("1.0")
            event = doses.ensure(db, patient_id, day, at, dose)
            if minutes is None:
                doses.close_missed(db, event.id, "no answer")
            else:
                doses.answer(db, event.id, status, at + timedelta(minutes=minutes))
        # Morning check-ins on the first 7 mornings: vivid dreams on 5 (persistent on the 5th)
        for offset in range(7):
            day = FIRST_DAY + timedelta(days=offset + 1)
            effects: dict[Effect, Severity] = {}
            if offset in (0, 1, 2, 3, 4):
                effects[Effect.DREAMS] = Severity.MODERATE if offset else Severity.MILD
            if offset == 2:
                effects[Effect.OTHER] = Severity.MILD
            asked = datetime.combine(day, time(8, 0), BERLIN)
            checkin = checkins.open_for(db, patient_id, day, Decimal("0.5"), 1, asked)
            assert checkin is not None
            note = NOTE if Effect.OTHER in effects else None
            checkins.finish(db, checkin.id, effects, note, asked + timedelta(minutes=3))
        checkins.record_suggestion(
            db,
            patient_id,
            Effect.DREAMS,
            "persistent",
            FIRST_DAY + timedelta(days=3),
            datetime.combine(FIRST_DAY + timedelta(days=3), time(8, 5), BERLIN),
        )
        ratings = [
            (FIRST_DAY, "baseline", (7, 3, 8, 4, 6)),
            (FIRST_DAY + timedelta(days=60), "weekly", (4, 6, 6, 6, 5)),
        ]
        for day, kind, values in ratings:
            rating = checkins.open_rating(db, patient_id, day, kind, None, None)
            for value, measure in zip(values, Measure, strict=True):
                checkins.rate(db, rating.id, measure, value, BEGAN)


def seed_known_history(bot: BotHarness, telegram_id: int, *, language: str = "en") -> int:
    """The patient behind ``telegram_id`` with the known history; their patient id."""
    assert bot.store is not None
    bot.emu.start_chat(telegram_id)
    patient_id = bot.store.run_sync(
        onboarded_patient, telegram_id, zone="Europe/Berlin", bedtime="22:00", now=BEGAN
    )
    bot.store.run_sync(_write, patient_id)
    if language != "en":
        bot.store.run_sync(lambda db: patients.update(db, patient_id, BEGAN, language=language))
    return patient_id


def today() -> date:
    return START.astimezone(BERLIN).date()
