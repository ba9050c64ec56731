"""/settings: bedtime, time zone, check-in time and language, for people whose plan has started
(when the dose is taken and its form: ``care.dose_settings``).

Opening a question stores it as the person's open step; each answer is one transaction that
checks the step is still open, saves the value and, while reminders run, re-arms them so that no
night is dropped or reminded twice (a bedtime moved to just before now still reminds tonight).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from sqlite_utils import Database

from care.caregiver_settings import OwnSettings, own_settings
from care.people import Refusal, enrolled, enrolled_presser, presser
from care.reminders import audit_own, rearm
from storage import caregivers, patients, rules
from storage.db import write_transaction
from storage.patients import Patient
from titration import dose_time
from titration.dose_form import DoseForm, FormError, FormProblem, read_concentration
from titration.errors import InputError, Problem
from titration.timing import find_zones, known_zone, read_time


class SettingsStep(StrEnum):
    """The /settings question whose answer we wait for (the patient row's step column)."""

    ZONE = "settings_zone"
    BEDTIME = "settings_bedtime"
    CHECKIN = "settings_checkin"
    LANGUAGE = "settings_language"
    DOSE_TIME = "settings_dose_time"  # [At bedtime] / [In the morning]
    MORNING_TIME = "settings_morning_time"
    FORM = "settings_form"  # [Capsules] / [Tablets] / [Liquid]
    CONCENTRATION = "settings_concentration"  # a liquid's mg/ml, typed


_TIME_STEPS = (SettingsStep.BEDTIME, SettingsStep.CHECKIN, SettingsStep.MORNING_TIME)


class Setting(StrEnum):
    """What was changed (also the audit entry's name: ``settings.<value>``)."""

    ZONE = "zone"
    BEDTIME = "bedtime"
    CHECKIN_TIME = "checkin_time"
    LANGUAGE = "language"
    DOSE_TIME = "dose_time"
    DOSE_FORM = "dose_form"


class SettingsOutcome(StrEnum):
    ASK = "ask"  # the question for ``step`` is open now
    SAVED = "saved"  # ``saved`` changed; ``next_reminder`` None while paused
    NOT_NOW = "not_now"  # the answer is for a question that is not open
    REASK = "reask"  # typed text for a question answered with buttons
    RETRY = "retry"  # a typed time was not readable (``problem``); the question stays open
    ZONE_NOT_FOUND = "zone_not_found"
    PICK_ZONE = "pick_zone"  # several zones fit what was typed (``zones``)
    PICK_TIME = "pick_time"  # a bare hour: evening or morning? (``times``)
    NOT_MORNING = "not_morning"  # a morning dose time outside 04:00–12:00 (``times``: it)
    FORM_RETRY = "form_retry"  # a concentration not accepted (``form_problem``)


@dataclass(frozen=True)
class SettingsAnswer:
    outcome: SettingsOutcome
    patient: Patient
    step: SettingsStep | None = None  # the open question (ASK, REASK, RETRY)
    saved: Setting | None = None
    next_reminder: datetime | None = None
    zones: tuple[str, ...] = ()
    problem: Problem | None = None
    times: tuple[time, ...] = ()  # PICK_TIME: the readings to choose from, evening first
    form_problem: FormProblem | None = None


@dataclass(frozen=True)
class PatientMenu:
    """/settings of a patient whose plan has started; ``follows_others``: a caregiver, too."""

    patient: Patient
    follows_others: bool


def menu(db: Database, telegram_id: int) -> PatientMenu | OwnSettings | Refusal:
    """/settings: the patient's menu once their plan has started; someone who only follows
    others (or whose own plan has not started yet) gets their settings as a caregiver."""
    with write_transaction(db):
        found = enrolled_presser(db, telegram_id)
        follows = caregivers.by_telegram_id(db, telegram_id) is not None
        if isinstance(found, Refusal):
            return own_settings(db, telegram_id) if follows else found
        return PatientMenu(found, follows)


def open_question(
    db: Database, telegram_id: int, step: SettingsStep, now: datetime
) -> SettingsAnswer | Refusal:
    """A menu button: wait for the new value (typed, tapped or shared)."""
    with write_transaction(db):
        found = enrolled_presser(db, telegram_id)
        if isinstance(found, Refusal):
            return found
        patient = patients.update(db, found.id, now, onboarding_step=step.value)
        return SettingsAnswer(SettingsOutcome.ASK, patient, step)


def save_zone(
    db: Database, telegram_id: int, zone: str | None, now: datetime
) -> SettingsAnswer | Refusal:
    """A zone picked from the buttons or found at a shared location (None: no zone there)."""
    with write_transaction(db):
        found = enrolled_presser(db, telegram_id)
        if isinstance(found, Refusal):
            return found
        if found.onboarding_step != SettingsStep.ZONE:
            return SettingsAnswer(SettingsOutcome.NOT_NOW, found)
        if zone is None:
            return SettingsAnswer(SettingsOutcome.ZONE_NOT_FOUND, found, SettingsStep.ZONE)
        return _zone(db, found, zone, now)


def answer_zone(
    db: Database, telegram_id: int, zones: tuple[str, ...], sure: bool, now: datetime
) -> SettingsAnswer | Refusal:
    """A place typed at the zone question, read by the bot as ``zones``: saved at once only
    when ``sure``, otherwise offered to pick from (as ``care.onboarding.answer_zone``)."""
    with write_transaction(db):
        found = enrolled_presser(db, telegram_id)
        if isinstance(found, Refusal):
            return found
        if found.onboarding_step != SettingsStep.ZONE:
            return SettingsAnswer(SettingsOutcome.NOT_NOW, found)
        zones = tuple(zone for zone in zones if known_zone(zone))
        if not zones:
            return SettingsAnswer(SettingsOutcome.ZONE_NOT_FOUND, found, SettingsStep.ZONE)
        if sure and len(zones) == 1:
            return _zone(db, found, zones[0], now)
        return SettingsAnswer(SettingsOutcome.PICK_ZONE, found, SettingsStep.ZONE, zones=zones)


def save_time(db: Database, telegram_id: int, at: time, now: datetime) -> SettingsAnswer | Refusal:
    """A time tapped on the buttons: the new bedtime or check-in time, whichever was asked."""
    with write_transaction(db):
        found = enrolled_presser(db, telegram_id)
        if isinstance(found, Refusal):
            return found
        if found.onboarding_step not in _TIME_STEPS:
            return SettingsAnswer(SettingsOutcome.NOT_NOW, found)
        return _time(db, found, SettingsStep(found.onboarding_step), at, now)


def answer_text(
    db: Database, telegram_id: int, text: str, now: datetime
) -> SettingsAnswer | Refusal:
    """Typed text while a /settings question is open: a city or a time."""
    with write_transaction(db):
        found = enrolled_presser(db, telegram_id)
        if isinstance(found, Refusal):
            return found
        step = found.onboarding_step
        if step not in set(SettingsStep):
            return SettingsAnswer(SettingsOutcome.NOT_NOW, found)
        step = SettingsStep(step)
        if step is SettingsStep.ZONE:
            zones, sure = zones_named(text)
            if not zones:
                return SettingsAnswer(SettingsOutcome.ZONE_NOT_FOUND, found, step)
            if sure:
                return _zone(db, found, zones[0], now)
            return SettingsAnswer(SettingsOutcome.PICK_ZONE, found, step, zones=zones)
        if step in (SettingsStep.LANGUAGE, SettingsStep.DOSE_TIME, SettingsStep.FORM):
            return SettingsAnswer(SettingsOutcome.REASK, found, step)
        if step is SettingsStep.CONCENTRATION:
            return _concentration(db, found, text, now)
        try:
            reading = read_time(text)
        except InputError as error:
            return SettingsAnswer(SettingsOutcome.RETRY, found, step, problem=error.problem)
        if reading.at is None:
            return SettingsAnswer(SettingsOutcome.PICK_TIME, found, step, times=reading.choices)
        return _time(db, found, step, reading.at, now)


def choose_language(db: Database, telegram_id: int, language: str, now: datetime) -> str | Refusal:
    """[English] / [Deutsch]: the language every later message is written in (``language`` is a
    code the bot supports; checked there). It is the person's, whichever role they chose it in:
    their patient row and their caregiver row alike. Returns the language saved."""
    with write_transaction(db):
        patient = presser(db, telegram_id)
        caregiver = caregivers.by_telegram_id(db, telegram_id)
        if caregiver is None and not enrolled(patient):
            return Refusal.NEED_START if patient is None else Refusal.NOT_ACTIVE
        if patient is not None:
            open_step = patient.onboarding_step
            step = None if open_step == SettingsStep.LANGUAGE else open_step
            patient = patients.update(db, patient.id, now, language=language, onboarding_step=step)
            audit_own(db, patient, f"settings.{Setting.LANGUAGE}", now, detail=language)
        if caregiver is not None:
            caregivers.update(db, caregiver.id, now, language=language)
        return language


# Inside the transaction ----------------------------------------------------------------------


def _zone(db: Database, patient: Patient, zone: str, now: datetime) -> SettingsAnswer:
    patient = patients.update(db, patient.id, now, zone=zone)
    return _saved(db, patient, Setting.ZONE, now)


def _time(
    db: Database, patient: Patient, step: SettingsStep, at: time, now: datetime
) -> SettingsAnswer:
    shown = at.strftime("%H:%M")
    if step is SettingsStep.MORNING_TIME:
        return _morning_time(db, patient, at, now)
    if step is SettingsStep.CHECKIN:
        patient = patients.update(db, patient.id, now, checkin_time=shown)
        return _saved(db, patient, Setting.CHECKIN_TIME, now)
    patient = patients.update(db, patient.id, now, bedtime=shown)
    return _saved(db, patient, Setting.BEDTIME, now)


def _morning_time(db: Database, patient: Patient, at: time, now: datetime) -> SettingsAnswer:
    """The morning dose time: from the next dose day not reminded yet (``titration.dose_time``)."""
    if not dose_time.is_morning(at):
        step = SettingsStep.MORNING_TIME
        return SettingsAnswer(SettingsOutcome.NOT_MORNING, patient, step, times=(at,))
    patient = patients.update(db, patient.id, now, dose_time=at.strftime("%H:%M"))
    return switched_dose_time(db, patient, now)


def switched_dose_time(db: Database, patient: Patient, now: datetime) -> SettingsAnswer:
    """Re-arm after the dose time changed, so the switch day keeps exactly one dose."""
    catch_up = dose_time.switch_catch_up(now, patient.zone, rules.current(db).late_window)
    return _saved(db, patient, Setting.DOSE_TIME, now, catch_up=catch_up)


def _concentration(db: Database, patient: Patient, text: str, now: datetime) -> SettingsAnswer:
    """A liquid's concentration, typed: saved with the form, or why not."""
    try:
        strength = read_concentration(text)
    except FormError as error:
        step = SettingsStep.CONCENTRATION
        return SettingsAnswer(SettingsOutcome.FORM_RETRY, patient, step, form_problem=error.problem)
    patient = patients.update(
        db, patient.id, now, dose_form=DoseForm.LIQUID.value, mg_per_ml=str(strength)
    )
    return saved_form(db, patient, now)


def saved_form(db: Database, patient: Patient, now: datetime) -> SettingsAnswer:
    """Close the form question (nothing to re-arm: the form changes words, not times)."""
    patient = patients.update(db, patient.id, now, onboarding_step=None)
    audit_own(db, patient, f"settings.{Setting.DOSE_FORM}", now)  # no medicine detail
    return SettingsAnswer(SettingsOutcome.SAVED, patient, saved=Setting.DOSE_FORM)


def _saved(
    db: Database,
    patient: Patient,
    setting: Setting,
    now: datetime,
    *,
    catch_up: timedelta | None = None,
) -> SettingsAnswer:
    """Close the question; while reminders run, re-arm them for the new value: a bedtime that has
    just passed (within the late grace, or ``catch_up``) still reminds tonight, a night already
    reminded is not reminded again."""
    due_at = None
    if patient.status == "active":
        late = rules.current(db).late_window
        due_at = rearm(db, patient, now, catch_up=late if catch_up is None else catch_up)
    patient = patients.update(db, patient.id, now, onboarding_step=None)
    audit_own(db, patient, f"settings.{setting}", now)
    return SettingsAnswer(SettingsOutcome.SAVED, patient, saved=setting, next_reminder=due_at)


def zones_named(typed: str) -> tuple[tuple[str, ...], bool]:
    """The zones a typed place may mean by zone names alone, and whether it is sure (a zone or
    its city named exactly: that one zone). Anything else, even a single near match, is only
    offered. The bot reads places more widely first (``bot.geo``); this is the fallback."""
    matches = find_zones(typed)
    norm = typed.strip().lower().replace(" ", "_")
    if matches and norm in (matches[0].lower(), matches[0].split("/")[-1].lower()):
        return (matches[0],), True
    return tuple(matches), False
