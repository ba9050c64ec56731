"""An opioid taken now: reminders pause, the event is recorded once for the people who look
after the patient (``storage.safety.events``), and only a confirmed /resume resolves it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from care import alerts, reminders
from care import safety as care_safety
from care.people import Refusal
from care.reminders import Switch
from care.safety import OpioidOutcome, ResumeOutcome
from storage import safety
from storage.db import connect
from storage.migrations import MIGRATIONS
from tests.seeding import onboarded_patient

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
ANA = 1001


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    opened = connect(tmp_path / "ldn.db")
    MIGRATIONS.apply(opened)
    yield opened
    opened.conn.close()


def test_yes_pauses_records_once_and_resume_needs_confirmation(db: Database) -> None:
    patient_id = onboarded_patient(db, ANA, zone="Europe/Berlin", bedtime="22:00", now=NOW)
    first = care_safety.taking_opioid(db, ANA, "tramadol", NOW)
    assert first.outcome is OpioidOutcome.PAUSED and first.patient_id == patient_id
    again = care_safety.taking_opioid(db, ANA, "tramadol", NOW + timedelta(seconds=5))
    assert again.outcome is OpioidOutcome.ALREADY_PAUSED
    events = safety.events(db, patient_id)
    assert [(e.kind, e.substance, e.reported_at, e.resolved_at) for e in events] == [
        (safety.EventKind.OPIOID_TAKEN, "tramadol", NOW, None)
    ]

    asked = reminders.resume(db, ANA, NOW + timedelta(hours=1))
    assert not isinstance(asked, Refusal)
    assert asked.outcome is Switch.CONFIRM and asked.held_since == NOW
    assert asked.patient.status == "paused"

    later = NOW + timedelta(days=2)
    resumed = care_safety.confirm_resume(db, ANA, later)
    assert not isinstance(resumed, Refusal)
    assert resumed.outcome is ResumeOutcome.RESUMED
    assert safety.events(db, patient_id, open_only=True) == []
    assert safety.events(db, patient_id)[0].resolved_at == later
    assert safety.events(db, patient_id, since=NOW + timedelta(days=1)) == []


def test_an_unknown_substance_from_a_button_is_not_stored(db: Database) -> None:
    patient_id = onboarded_patient(db, ANA, zone="Europe/Berlin", bedtime="22:00", now=NOW)
    care_safety.taking_opioid(db, ANA, "<script>", NOW)
    assert [e.substance for e in safety.events(db, patient_id)] == [None]


def test_a_stranger_is_told_not_to_start_and_nothing_is_stored(db: Database) -> None:
    answer = care_safety.taking_opioid(db, 999, "codeine", NOW)
    assert answer.outcome is OpioidOutcome.NOT_STARTED and answer.patient_id is None
    assert db.execute("SELECT COUNT(*) FROM safety_events").fetchone() == (0,)


def test_an_urgent_sign_is_recorded_once_a_day_and_holds_nothing(db: Database) -> None:
    patient_id = onboarded_patient(db, ANA, zone="Europe/Berlin", bedtime="22:00", now=NOW)
    alerts.after_urgent_sign(db, ANA, ("allergy",), NOW)
    alerts.after_urgent_sign(db, ANA, ("allergy", "liver"), NOW + timedelta(hours=2))
    alerts.after_urgent_sign(db, ANA, ("allergy",), NOW + timedelta(days=1, minutes=1))
    kinds = [(e.kind, e.sign, e.reported_at) for e in safety.events(db, patient_id)]
    urgent = safety.EventKind.URGENT_SIGN
    assert kinds == [
        (urgent, "allergy", NOW),
        (urgent, "liver", NOW + timedelta(hours=2)),
        (urgent, "allergy", NOW + timedelta(days=1, minutes=1)),
    ]
    # They hold no reminders: /pause then /resume is the plain one, and nothing is resolved.
    paused = reminders.pause(db, ANA, NOW)
    assert not isinstance(paused, Refusal)
    resumed = reminders.resume(db, ANA, NOW + timedelta(hours=1))
    assert not isinstance(resumed, Refusal) and resumed.outcome is Switch.DONE
    assert safety.resolve_open(db, patient_id, NOW) == 0
    assert care_safety.needs_confirmation(db, resumed.patient) is None
