"""Getting started: consent → safety screening → time zone → bedtime → plan → confirm, and /start.

Each answer is one transaction: the step it answers is checked against the patient's open
question, the answer saved and the next question chosen together, so a restart loses nothing,
an old button cannot answer a newer question and /start resumes exactly where the person was.
Declining consent stores nothing; only "yes" creates a patient row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime, time
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from care.benefits import open_baseline
from care.caregiving import followed_names
from care.people import Refusal, presser
from care.reminders import audit_own, rearm
from care.settings import SettingsStep, zones_named
from care.supply import SupplyStep
from storage import patients, safety, staff, tasks, templates
from storage.db import write_transaction
from storage.patients import Patient
from storage.templates import Stored
from titration import doses
from titration.errors import InputError, Problem
from titration.models import DEFAULT_PLAN, Plan, Step, plan_from_steps
from titration.plan import validate_plan
from titration.screening import Answer, Question, StopReason, screening_outcome
from titration.timing import known_zone, next_reminder, read_time


class OnboardingStep(StrEnum):
    """The onboarding question whose answer we wait for (the patient row's step column)."""

    OPIOIDS = Question.OPIOIDS.value
    ALLERGY = Question.ALLERGY.value
    CAUTION = Question.CAUTION.value
    PROVIDER = Question.PROVIDER_KNOWS.value
    ZONE = "zone"
    BEDTIME = "bedtime"
    PLAN = "plan"  # the usual plan, or different numbers
    START = "start"  # the plan's numbers one by one: start dose,
    STEP = "step"  # step size,
    INTERVAL = "interval"  # days at each dose,
    TARGET = "target"  # target dose
    CONFIRM = "confirm"

    @property
    def question(self) -> Question | None:
        """The screening question this step asks, if it is one."""
        return Question(self.value) if self.value in _QUESTIONS else None


_QUESTIONS = {q.value for q in Question}
PLAN_FIELDS = (
    OnboardingStep.START,
    OnboardingStep.STEP,
    OnboardingStep.INTERVAL,
    OnboardingStep.TARGET,
)


class Outcome(StrEnum):
    NEW = "new"  # /start from someone without a patient row: ask for consent
    CAREGIVER = "caregiver"  # /start from someone who only follows others (``following``)
    STAFF = "staff"  # /start from clinic staff who take no LDN here themselves
    DECLINED = "declined"  # [No thanks]: nothing stored
    ALREADY_CONSENTED = "already_consented"  # an older [No thanks] pressed after agreeing
    ASK = "ask"  # the answer is saved (if there was one); ask ``ask`` next
    REASK = "reask"  # typed text for a question answered with buttons: ask it again
    NOT_NOW = "not_now"  # the answer is for a question that is not open; ``ask`` is the open one
    STOPPED = "stopped"  # screening: reminders will not start (``stop`` says why)
    RETRY = "retry"  # a typed value was not accepted (``rejected``); the question stays open
    ZONE_NOT_FOUND = "zone_not_found"  # no zone for that place
    PICK_ZONE = "pick_zone"  # several zones fit what was typed (``zones``)
    PICK_TIME = "pick_time"  # a bare hour: evening or morning? (``times``)
    STARTED = "started"  # the plan started; ``next_reminder`` is the first reminder
    PICK_FIELD = "pick_field"  # [Change something]: ask which part of the summary
    WELCOME_BACK = "welcome_back"  # /start with reminders on: re-armed, ``next_reminder``
    PAUSED = "paused"  # /start while reminders are paused
    CANCELLED = "cancelled"
    SETTINGS_CLOSED = "settings_closed"  # /cancel closed a /settings question
    NOTHING_TO_CANCEL = "nothing_to_cancel"


@dataclass(frozen=True)
class Summary:
    """The setup shown before the plan starts (``clinic``: the template's name, when the plan
    came with a clinic's enrolment link)."""

    zone: ZoneInfo
    bedtime: time
    plan: Plan
    first_reminder: datetime
    clinic: str | None = None


@dataclass(frozen=True)
class Ask:
    """A question to put: its step, and for the last one the setup to confirm."""

    step: OnboardingStep
    summary: Summary | None = None
    clinic_bedtime: str | None = None  # BEDTIME: the clinic template's default ("HH:MM")


@dataclass(frozen=True)
class Rejected:
    """Why a typed value for ``step`` was not accepted (``titration.errors`` codes and values)."""

    step: OnboardingStep
    problem: Problem
    value: Decimal | None = None
    suggestion: Decimal | None = None  # "did you mean 4.5?": offered as a button
    example: Decimal | None = None

    @classmethod
    def of(cls, step: OnboardingStep, error: InputError) -> Rejected:
        return cls(step, error.problem, error.value, error.suggestion, error.example)


@dataclass(frozen=True)
class Progress:
    """What happened, and what to say: codes and values only."""

    outcome: Outcome
    patient: Patient | None = None
    ask: Ask | None = None
    zone_saved: str | None = None  # a zone was just chosen: confirm it before the next question
    rejected: Rejected | None = None
    stop: StopReason | None = None
    zones: tuple[str, ...] = ()
    next_reminder: datetime | None = None
    baseline_rating: int | None = None  # STARTED: the rating the "how are you now?" offer opens
    check_first: bool = False  # "Not sure" about opioids: suggest a pharmacist, then ask again
    times: tuple[time, ...] = ()  # PICK_TIME: the readings to choose from, evening first
    bedtime_saved: time | None = None  # a bedtime was just chosen: echo it
    clinic_plan: bool = False  # PICK_FIELD: the plan is a clinic's (not offered for change)
    clinic: str | None = None  # a clinic link was opened: the clinic's plan is preselected
    following: tuple[str, ...] = ()  # CAREGIVER: the first names of the patients they follow


# Consent and /start --------------------------------------------------------------------------


def start(db: Database, telegram_id: int, now: datetime, *, as_patient: bool = False) -> Progress:
    """/start: consent for newcomers; otherwise pick up wherever the person is. Someone who only
    follows others is greeted as a caregiver, and clinic staff as staff, unless they asked to
    start as a patient (``as_patient``: [Start my own LDN tracking])."""
    with write_transaction(db):
        patient = presser(db, telegram_id)
        if patient is None:
            following = followed_names(db, telegram_id)
            if following is not None and not as_patient:
                return Progress(Outcome.CAREGIVER, following=following)
            if not as_patient and staff.is_admin(db, telegram_id):
                return Progress(Outcome.STAFF)
            return Progress(Outcome.NEW)
        return _resume(db, patient, now)


def consent(
    db: Database,
    telegram_id: int,
    agreed: bool,
    *,
    language: str,
    version: str,
    text_sha256: str,
    now: datetime,
    clinic_code: str | None = None,
) -> Progress:
    """[Yes, I agree] / [No thanks] under the consent text (``text_sha256``: of the words shown,
    in ``language``, which becomes the person's language). Only "yes" creates a patient row.
    ``clinic_code``: the consent came from a clinic's enrolment link; its plan is preselected
    (the person is still screened and confirms)."""
    with write_transaction(db):
        patient = presser(db, telegram_id)
        if not agreed:
            # An older question pressed after agreeing: data is stored, so don't say otherwise.
            outcome = Outcome.DECLINED if patient is None else Outcome.ALREADY_CONSENTED
            return Progress(outcome, patient)
        if patient is not None:  # an older question pressed again: carry on as /start would
            return _resume(db, patient, now)
        first = OnboardingStep.OPIOIDS
        patient = patients.create(
            db,
            telegram_id=telegram_id,
            chat_id=telegram_id,
            consent_version=version,
            consent_text_sha256=text_sha256,
            first_step=first.value,
            now=now,
            language=language,
        )
        audit_own(db, patient, "consent.given", now, detail=f"version={version}")
        clinic = templates.by_code(db, clinic_code) if clinic_code else None
        if clinic is not None:
            patient = _preselect(db, patient, clinic, now)
        name = clinic.template.name if clinic else None
        return Progress(Outcome.ASK, patient, ask=Ask(first), clinic=name)


def open_clinic_link(db: Database, telegram_id: int, code: str, now: datetime) -> Progress:
    """/start c_<code>: a clinic's enrolment link. A newcomer is asked for consent (``clinic``
    names the clinic; the code goes with the consent button). Someone still onboarding who has
    not chosen a plan gets the clinic's plan preselected; anyone else carries on as /start."""
    with write_transaction(db):
        clinic = templates.by_code(db, code)
        patient = presser(db, telegram_id)
        name = clinic.template.name if clinic else None
        if patient is None:
            return Progress(Outcome.NEW, clinic=name)
        if clinic is not None and patient.status == "onboarding" and not _plan_chosen(patient):
            patient = _preselect(db, patient, clinic, now)
        progress = _resume(db, patient, now)
        return replace(progress, clinic=name)


def _plan_chosen(patient: Patient) -> bool:
    return any(field in patient.draft for field in PLAN_FIELDS)


def _preselect(db: Database, patient: Patient, clinic: Stored, now: datetime) -> Patient:
    """The clinic template's plan as the draft (kept through [Change something]), its check-in
    time and its dose form (a liquid's concentration: reminders then say the volume)."""
    plan = clinic.template.plan
    values: dict[str, str | None] = {
        OnboardingStep.START: str(plan.start_mg),
        OnboardingStep.STEP: str(plan.step_mg),
        OnboardingStep.INTERVAL: str(plan.interval_days),
        OnboardingStep.TARGET: str(plan.target_mg),
        "steps": patients.steps_json(plan),
        "nudge": str(plan.nudge_minutes or ""),
        "template": str(clinic.id),
        "template_version": str(clinic.version),
        "clinic": clinic.template.name,
        "bedtime": clinic.template.bedtime.strftime("%H:%M"),  # offered first, not imposed
    }
    patient = patients.merge_json(db, patient.id, "draft", values, now)
    checkin = clinic.template.checkin_time.strftime("%H:%M")
    audit_own(db, patient, "enrolment.clinic_link", now, detail=f"template=#{clinic.id}")
    strength = clinic.template.mg_per_ml
    return patients.update(
        db,
        patient.id,
        now,
        checkin_time=checkin,
        dose_form=clinic.template.form.value,  # "capsule" or "liquid", as titration.dose_form
        mg_per_ml=str(strength) if strength is not None else None,
    )


def _resume(db: Database, patient: Patient, now: datetime) -> Progress:
    """A known person: reminders back on, the pause, screening again, or the open question."""
    if not patient.reachable:
        patients.mark_reachable(db, patient.id, now)
    if patient.status == "active":
        return Progress(Outcome.WELCOME_BACK, patient, next_reminder=rearm(db, patient, now))
    if patient.status == "paused":
        return Progress(Outcome.PAUSED, patient)
    if patient.status == "not_started":  # stopped at screening: go through it again
        patient = patients.update(
            db, patient.id, now, status="onboarding", screening="{}", stop_reason=None
        )
        return _advance(db, patient, now)
    open_step = _onboarding_step(patient)
    if open_step is None:
        return _advance(db, patient, now)
    return Progress(Outcome.ASK, patient, ask=_ask(patient, open_step, now))


# The questions -------------------------------------------------------------------------------


def answer_screening(
    db: Database, telegram_id: int, question: Question, answer: Answer, now: datetime
) -> Progress | Refusal:
    """A screening answer: record it, then stop with the reason or go to the next question."""
    with write_transaction(db):
        patient = presser(db, telegram_id)
        if patient is None:
            return Refusal.NEED_START
        if patient.onboarding_step != question.value:
            return _not_now(patient, now)
        patient = patients.merge_json(db, patient.id, "screening", {question: answer}, now)
        if question is Question.OPIOIDS and answer is Answer.NO:
            safety.resolve_open(db, patient.id, now)  # an opioid reported before is over now
        outcome = screening_outcome(_answers(patient))
        if outcome.stop is None:
            progress = _advance(db, patient, now)
            return replace(progress, check_first=outcome.check_first)
        patient = patients.update(
            db,
            patient.id,
            now,
            status="not_started",
            stop_reason=outcome.stop.value,
            onboarding_step=None,
        )
        audit_own(db, patient, "screening.stopped", now)
        return Progress(Outcome.STOPPED, patient, stop=outcome.stop)


def choose_zone(
    db: Database, telegram_id: int, zone: str | None, now: datetime
) -> Progress | Refusal:
    """A zone picked from the buttons or found at a shared location (None: no zone there)."""
    with write_transaction(db):
        patient = presser(db, telegram_id)
        if patient is None:
            return Refusal.NEED_START
        if patient.onboarding_step != OnboardingStep.ZONE:
            return _not_now(patient, now)
        if zone is None:
            return Progress(Outcome.ZONE_NOT_FOUND, patient)
        return _save_zone(db, patient, zone, now)


def answer_zone(
    db: Database, telegram_id: int, zones: tuple[str, ...], sure: bool, now: datetime
) -> Progress | Refusal:
    """A place typed at the zone question, read by the bot as ``zones`` (most likely first):
    saved at once only when ``sure`` (one zone named exactly), otherwise offered to pick from.
    A zone the person did not choose is never saved."""
    with write_transaction(db):
        patient = presser(db, telegram_id)
        if patient is None:
            return Refusal.NEED_START
        if patient.onboarding_step != OnboardingStep.ZONE:
            return _not_now(patient, now)
        zones = tuple(zone for zone in zones if known_zone(zone))
        if not zones:
            return Progress(Outcome.ZONE_NOT_FOUND, patient)
        if sure and len(zones) == 1:
            return _save_zone(db, patient, zones[0], now)
        return Progress(Outcome.PICK_ZONE, patient, zones=zones)


def choose_bedtime(
    db: Database, telegram_id: int, bedtime: time, now: datetime
) -> Progress | Refusal:
    """A bedtime tapped on the buttons."""
    with write_transaction(db):
        patient = presser(db, telegram_id)
        if patient is None:
            return Refusal.NEED_START
        if patient.onboarding_step != OnboardingStep.BEDTIME:
            return _not_now(patient, now)
        return _save_bedtime(db, patient, bedtime, now)


def choose_plan(db: Database, telegram_id: int, custom: bool, now: datetime) -> Progress | Refusal:
    """[The usual plan] fills in every number; [Different numbers] asks for each in turn."""
    with write_transaction(db):
        patient = presser(db, telegram_id)
        if patient is None:
            return Refusal.NEED_START
        if patient.onboarding_step != OnboardingStep.PLAN:
            return _not_now(patient, now)
        values: dict[str, str | None]
        if custom:
            values = {**dict.fromkeys(PLAN_FIELDS), "custom": "yes"}
        else:
            values = {
                OnboardingStep.START: str(DEFAULT_PLAN.start_mg),
                OnboardingStep.STEP: str(DEFAULT_PLAN.step_mg),
                OnboardingStep.INTERVAL: str(DEFAULT_PLAN.interval_days),
                OnboardingStep.TARGET: str(DEFAULT_PLAN.target_mg),
            }
        patient = patients.merge_json(db, patient.id, "draft", values, now)
        return _advance(db, patient, now)


def give_plan_value(
    db: Database, telegram_id: int, field: OnboardingStep, value: Decimal, now: datetime
) -> Progress | Refusal:
    """A plan number tapped on the buttons (or a "did you mean" suggestion), read as if typed."""
    with write_transaction(db):
        patient = presser(db, telegram_id)
        if patient is None:
            return Refusal.NEED_START
        if field not in PLAN_FIELDS or patient.onboarding_step != field:
            return _not_now(patient, now)
        return _plan_value(db, patient, field, str(value), now)


def answer_text(db: Database, telegram_id: int, text: str, now: datetime) -> Progress | Refusal:
    """Typed text while an onboarding question is open: a city, a time or a plan number."""
    with write_transaction(db):
        patient = presser(db, telegram_id)
        if patient is None:
            return Refusal.NEED_START
        step = _onboarding_step(patient)
        if step is None:
            return Progress(Outcome.NOT_NOW, patient)
        if step is OnboardingStep.ZONE:
            zones, sure = zones_named(text)
            if not zones:
                return Progress(Outcome.ZONE_NOT_FOUND, patient)
            if sure:
                return _save_zone(db, patient, zones[0], now)
            return Progress(Outcome.PICK_ZONE, patient, zones=zones)
        if step is OnboardingStep.BEDTIME:
            try:
                reading = read_time(text)
            except InputError as error:
                return Progress(Outcome.RETRY, patient, rejected=Rejected.of(step, error))
            if reading.at is None:
                return Progress(Outcome.PICK_TIME, patient, times=reading.choices)
            return _save_bedtime(db, patient, reading.at, now)
        if step in PLAN_FIELDS:
            return _plan_value(db, patient, step, text, now)
        if step is OnboardingStep.CONFIRM and text.strip().strip("!.").casefold() in _YES:
            return _start(db, patient, now)  # "yes" typed under the summary: as [Start]
        return Progress(Outcome.REASK, patient, ask=_ask(patient, step, now))


# Typed answers that mean [Start] under the summary (English and German).
_YES = frozenset({"yes", "y", "yep", "ok", "okay", "sure", "start", "go", "ja", "jo", "los"})


def confirm(db: Database, telegram_id: int, start_now: bool, now: datetime) -> Progress | Refusal:
    """The summary's [Start] (the plan begins, reminders armed) or [Change something]."""
    with write_transaction(db):
        patient = presser(db, telegram_id)
        if patient is None:
            return Refusal.NEED_START
        if patient.onboarding_step != OnboardingStep.CONFIRM:
            return _not_now(patient, now)
        if not start_now:  # which part? (the summary stays open until one is chosen)
            return Progress(Outcome.PICK_FIELD, patient, clinic_plan="template" in patient.draft)
        return _start(db, patient, now)


class SetupField(StrEnum):
    """A part of the summary to change."""

    ZONE = "zone"
    BEDTIME = "bedtime"
    PLAN = "plan"


def change_field(
    db: Database, telegram_id: int, field: SetupField, now: datetime
) -> Progress | Refusal:
    """After [Change something]: forget only that part and ask it again; the rest is kept, so
    the summary comes back after the one answer. A clinic's plan is not the patient's to change."""
    with write_transaction(db):
        patient = presser(db, telegram_id)
        if patient is None:
            return Refusal.NEED_START
        if patient.onboarding_step != OnboardingStep.CONFIRM:
            return _not_now(patient, now)
        if field is SetupField.ZONE:
            patient = patients.update(db, patient.id, now, zone=None)
        elif field is SetupField.BEDTIME:
            patient = patients.update(db, patient.id, now, bedtime=None)
        elif "template" not in patient.draft:
            patient = patients.update(db, patient.id, now, draft=json.dumps({}))
        return _advance(db, patient, now)


def _start(db: Database, patient: Patient, now: datetime) -> Progress:
    """The confirmed plan begins (in the caller's transaction): reminders armed, baseline open."""
    first = start_plan(db, patient, _draft_plan(patient), now, _draft_template(patient))
    audit_own(db, patient, "plan.started", now)
    started = patients.by_id(db, patient.id)
    assert started is not None
    baseline = open_baseline(db, started, now)
    return Progress(Outcome.STARTED, started, next_reminder=first, baseline_rating=baseline)


def start_plan(
    db: Database,
    patient: Patient,
    plan: Plan,
    now: datetime,
    template: tuple[int, int] | None = None,
) -> datetime:
    """Finish onboarding (in the caller's transaction, or its own): save the plan, set the start
    dose from the first night to be reminded, reminders and check-ins on. The first reminder's
    instant. ``template``: the clinic template (id, version) the plan copies."""
    with write_transaction(db):
        source = "clinic" if template else "patient"
        patients.save_plan(db, patient.id, plan, source, now, template)
        first_day, _ = next_reminder(
            patient.zone,
            patient.reminder_time,  # as the scheduler arms it (a morning dose kept from before)
            now,
            after_day=tasks.last_fired_reminder_day(db, patient.id),
        )
        if patient.current_dose_mg is None:
            patients.change_dose(db, patient.id, plan.start_mg, first_day, "plan_start", now)
        patient = patients.update(db, patient.id, now, stop_reason=None)
        return rearm(db, patient, now)


def cancel(db: Database, telegram_id: int, now: datetime) -> Progress:
    """/cancel: stop waiting for an answer. Onboarding keeps its place (/start resumes there);
    a /settings question is closed. Nothing already saved is lost."""
    with write_transaction(db):
        patient = presser(db, telegram_id)
        if patient is None or patient.onboarding_step is None:
            return Progress(Outcome.NOTHING_TO_CANCEL, patient)
        if patient.onboarding_step in set(SettingsStep) | set(SupplyStep):
            patient = patients.update(db, patient.id, now, onboarding_step=None)
            return Progress(Outcome.SETTINGS_CLOSED, patient)
        return Progress(Outcome.CANCELLED, patient)


# Inside the transaction ----------------------------------------------------------------------


def _onboarding_step(patient: Patient) -> OnboardingStep | None:
    step = patient.onboarding_step
    return OnboardingStep(step) if step in set(OnboardingStep) else None


def _answers(patient: Patient) -> dict[Question, Answer]:
    return {Question(q): Answer(a) for q, a in patient.screening.items()}


def _next_step(patient: Patient) -> OnboardingStep:
    """The first onboarding question still unanswered (screening stops are handled before)."""
    outcome = screening_outcome(_answers(patient))
    if outcome.next_question is not None:
        return OnboardingStep(outcome.next_question.value)
    if patient.zone_name is None:
        return OnboardingStep.ZONE
    if patient.bedtime_text is None:
        return OnboardingStep.BEDTIME
    if not patient.draft:
        return OnboardingStep.PLAN
    for field in PLAN_FIELDS:
        if field not in patient.draft:
            return field
    return OnboardingStep.CONFIRM


def _draft_plan(patient: Patient) -> Plan:
    d = patient.draft
    nudge = int(d["nudge"]) if d.get("nudge") else None
    if d.get("steps"):
        steps = tuple(Step(Decimal(dose), nights) for dose, nights in json.loads(d["steps"]))
        return plan_from_steps(steps, nudge)
    return Plan(
        Decimal(d["start"]), Decimal(d["step"]), int(d["interval"]), Decimal(d["target"]), (), nudge
    )


def _draft_template(patient: Patient) -> tuple[int, int] | None:
    d = patient.draft
    return (int(d["template"]), int(d["template_version"])) if "template" in d else None


def _ask(patient: Patient, step: OnboardingStep, now: datetime) -> Ask:
    if step is OnboardingStep.BEDTIME:
        return Ask(step, clinic_bedtime=patient.draft.get("bedtime"))
    if step is not OnboardingStep.CONFIRM:
        return Ask(step)
    _, first = next_reminder(patient.zone, patient.reminder_time, now)
    clinic = patient.draft.get("clinic")
    return Ask(step, Summary(patient.zone, patient.bedtime, _draft_plan(patient), first, clinic))


def _advance(
    db: Database,
    patient: Patient,
    now: datetime,
    *,
    zone_saved: str | None = None,
    rejected: Rejected | None = None,
) -> Progress:
    """Move to the next unanswered question and ask it (after confirming a zone just chosen, or
    saying why a plan was refused)."""
    step = _next_step(patient)
    patient = patients.update(db, patient.id, now, onboarding_step=step.value)
    ask = _ask(patient, step, now)
    return Progress(Outcome.ASK, patient, ask=ask, zone_saved=zone_saved, rejected=rejected)


def _not_now(patient: Patient, now: datetime) -> Progress:
    """An answer to a question that is not open: the open one is asked again (if any)."""
    step = _onboarding_step(patient)
    return Progress(Outcome.NOT_NOW, patient, ask=_ask(patient, step, now) if step else None)


def _save_zone(db: Database, patient: Patient, zone: str, now: datetime) -> Progress:
    patient = patients.update(db, patient.id, now, zone=zone)
    return _advance(db, patient, now, zone_saved=zone)


def _save_bedtime(db: Database, patient: Patient, bedtime: time, now: datetime) -> Progress:
    patient = patients.update(db, patient.id, now, bedtime=bedtime.strftime("%H:%M"))
    return replace(_advance(db, patient, now), bedtime_saved=bedtime)


_PARSERS = {
    OnboardingStep.START: doses.parse_dose,
    OnboardingStep.STEP: doses.parse_step,
    OnboardingStep.INTERVAL: doses.parse_interval,
    OnboardingStep.TARGET: doses.parse_dose,
}


def _plan_value(
    db: Database, patient: Patient, field: OnboardingStep, text: str, now: datetime
) -> Progress:
    """One plan number: refused with the reason (a likely typo gets a suggestion), or saved.
    The last one checks the whole plan; a plan that does not fit together starts over."""
    try:
        value = _PARSERS[field](text)
    except InputError as error:
        return Progress(Outcome.RETRY, patient, rejected=Rejected.of(field, error))
    patient = patients.merge_json(db, patient.id, "draft", {field: str(value)}, now)
    if field is OnboardingStep.TARGET:
        try:
            validate_plan(_draft_plan(patient))
        except InputError as error:
            patient = patients.merge_json(db, patient.id, "draft", dict.fromkeys(PLAN_FIELDS), now)
            return _advance(db, patient, now, rejected=Rejected.of(field, error))
    return _advance(db, patient, now)
