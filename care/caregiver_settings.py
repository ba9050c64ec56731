"""A caregiver's own settings: their time zone (from /settings when they take no LDN themselves,
or from the button under /patients) and the menu that shows it with their language.

The caregiver's zone is theirs as a caregiver: a person who is also a patient keeps their
reminders' zone apart (``care.settings``). A new zone re-arms every pending summary at the same
local hour there and moves alerts that wait for a humane hour (``scheduler.caregiving``).
Language is the person's, whichever role they choose it in (``care.settings.choose_language``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from care.caregiving import caregiver_presser
from care.people import Refusal, enrolled, presser
from scheduler.caregiving import rearm_caregiver, zone_of
from storage import caregivers
from storage.caregivers import Caregiver
from storage.db import write_transaction
from titration.timing import known_zone


class CaregiverSettingsStep(StrEnum):
    """The caregiver's open settings question (the caregiver row's step column)."""

    ZONE = "care_settings_zone"


class OwnOutcome(StrEnum):
    MENU = "menu"  # what is set now, and what can be changed
    ASK_ZONE = "ask_zone"  # the zone question is open
    SAVED = "saved"  # the new zone is saved; ``next_summaries`` re-armed in it
    ZONE_NOT_FOUND = "zone_not_found"
    PICK_ZONE = "pick_zone"  # several zones fit what was typed (``zones``)
    NOT_NOW = "not_now"  # no zone question is open


@dataclass(frozen=True)
class NextSummary:
    patient_name: str
    at: datetime


@dataclass(frozen=True)
class OwnSettings:
    outcome: OwnOutcome
    zone: ZoneInfo  # the caregiver's (UTC until they chose one)
    zone_chosen: bool
    language: str
    is_patient: bool = False  # their reminders' zone is apart: say where to change it
    zones: tuple[str, ...] = ()
    next_summaries: tuple[NextSummary, ...] = ()


def _settings(
    db: Database,
    caregiver: Caregiver,
    outcome: OwnOutcome,
    zones: Sequence[str] = (),
    next_summaries: tuple[NextSummary, ...] = (),
) -> OwnSettings:
    patient = presser(db, caregiver.telegram_id)
    return OwnSettings(
        outcome,
        zone_of(caregiver),
        caregiver.zone_name is not None,
        caregiver.language,
        enrolled(patient),
        tuple(zones),
        next_summaries,
    )


def own_settings(db: Database, telegram_id: int) -> OwnSettings | Refusal:
    """The caregiver's settings menu: their zone and language."""
    with write_transaction(db):
        caregiver = caregiver_presser(db, telegram_id)
        if isinstance(caregiver, Refusal):
            return caregiver
        return _settings(db, caregiver, OwnOutcome.MENU)


def open_zone(db: Database, telegram_id: int, now: datetime) -> OwnSettings | Refusal:
    """[Time zone]: wait for a place (typed, tapped or shared)."""
    with write_transaction(db):
        caregiver = caregiver_presser(db, telegram_id)
        if isinstance(caregiver, Refusal):
            return caregiver
        step = CaregiverSettingsStep.ZONE.value
        caregiver = caregivers.update(db, caregiver.id, now, step=step)
        return _settings(db, caregiver, OwnOutcome.ASK_ZONE)


def answer_zone(
    db: Database, telegram_id: int, zones: Sequence[str], sure: bool, now: datetime
) -> OwnSettings | Refusal:
    """A place typed at the zone question, as the bot read it (``zones`` it may mean; ``sure``:
    named exactly). Only a sure answer is saved untapped; anything else is offered."""
    with write_transaction(db):
        caregiver = caregiver_presser(db, telegram_id)
        if isinstance(caregiver, Refusal):
            return caregiver
        if caregiver.step != CaregiverSettingsStep.ZONE:
            return _settings(db, caregiver, OwnOutcome.NOT_NOW)
        known = [zone for zone in zones if known_zone(zone)]
        if not known:
            return _settings(db, caregiver, OwnOutcome.ZONE_NOT_FOUND)
        if sure and len(known) == 1:
            return _save(db, caregiver, known[0], now)
        return _settings(db, caregiver, OwnOutcome.PICK_ZONE, known)


def save_zone(
    db: Database, telegram_id: int, zone: str | None, now: datetime
) -> OwnSettings | Refusal:
    """A zone tapped, or found at a shared location (None: none there)."""
    with write_transaction(db):
        caregiver = caregiver_presser(db, telegram_id)
        if isinstance(caregiver, Refusal):
            return caregiver
        if caregiver.step != CaregiverSettingsStep.ZONE:
            return _settings(db, caregiver, OwnOutcome.NOT_NOW)
        if zone is None or not known_zone(zone):
            return _settings(db, caregiver, OwnOutcome.ZONE_NOT_FOUND)
        return _save(db, caregiver, zone, now)


def cancel(db: Database, telegram_id: int, now: datetime) -> bool:
    """/cancel at the zone question: closed, nothing changed; False when none is open."""
    with write_transaction(db):
        caregiver = caregivers.by_telegram_id(db, telegram_id)
        if caregiver is None or caregiver.step != CaregiverSettingsStep.ZONE:
            return False
        caregivers.update(db, caregiver.id, now, step=None)
        return True


def _save(db: Database, caregiver: Caregiver, zone: str, now: datetime) -> OwnSettings:
    caregiver = caregivers.update(db, caregiver.id, now, zone_name=zone, step=None)
    due = rearm_caregiver(db, caregiver.id, now)
    names = {
        link.id: link.patient_name for link in caregivers.live_links_of_caregiver(db, caregiver.id)
    }
    upcoming = tuple(NextSummary(names[link_id], at) for link_id, at in sorted(due.items()))
    return _settings(db, caregiver, OwnOutcome.SAVED, next_summaries=upcoming)
