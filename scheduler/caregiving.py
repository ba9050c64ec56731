"""Caregivers' summaries and alerts as due rows: arming, raising once, and preparing to send.

Functions here run on the database thread inside the caller's transaction. A summary row is
armed for the link's next due instant (``titration.care_summary.next_summary``) and re-armed when
it is prepared; an alert is raised once per event (the row's unique key) and waits for a humane
hour in the caregiver's zone. Whether the caregiver may see it is checked again when it is
prepared: an ended link, a narrower scope or a paused patient sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from storage import audit, care_tasks, caregivers, checkins, doses, patients
from storage import record as records
from storage.care_tasks import CareTask
from storage.caregivers import Caregiver, Link
from storage.db import write_transaction
from titration import timing
from titration.care_summary import (
    CareKind,
    Summary,
    humane,
    next_summary,
    nights_of,
    plan_state,
    shared_record,
    summarise,
)
from titration.caregiving import SummaryCadence
from titration.record import NightStatus, PatientRecord, missed_in_a_row
from titration.side_effects import Effect

ALERT_LOOKBACK = 8  # nights read to count the missed ones in a row (the most is 7)


def zone_of(caregiver: Caregiver) -> ZoneInfo:
    return timing.zone(caregiver.zone_name or "UTC")


# Arming ----------------------------------------------------------------------------------------


def arm_summary(db: Database, link_id: int, now: datetime) -> datetime | None:
    """Arm the link's next summary (call when a link becomes active or its cadence changes)."""
    with write_transaction(db):
        link = caregivers.link(db, link_id)
        caregiver = caregivers.by_id(db, link.caregiver_id) if link else None
        if link is None or caregiver is None or not link.active:
            return None
        pending = care_tasks.pending_summary(db, link.id)
        if link.summaries is SummaryCadence.OFF:
            if pending is not None:
                db.execute("DELETE FROM care_tasks WHERE id = ?", [pending.id])
            return None
        # The next period whose summary has not gone out already: after a zone change, the
        # next Sunday 19:00 may be one whose summary was sent in the old zone.
        after = now
        while True:
            day, due_at = next_summary(link.summaries, zone_of(caregiver), after)
            if not care_tasks.fired(db, link.id, CareKind.SUMMARY, day.isoformat()):
                break
            after = due_at
        if pending is not None and pending.period != day.isoformat():
            db.execute("DELETE FROM care_tasks WHERE id = ?", [pending.id])
        care_tasks.arm(db, link.id, CareKind.SUMMARY, day.isoformat(), due_at)
        return due_at


def arm_missing_summaries(db: Database, now: datetime) -> int:
    """At start-up: every active link with summaries on gets its next one armed."""
    missing = care_tasks.links_without_summary(db)
    for link_id in missing:
        arm_summary(db, link_id, now)
    return len(missing)


def rearm_caregiver(db: Database, caregiver_id: int, now: datetime) -> dict[int, datetime]:
    """The caregiver's zone changed: each active link's next summary at its local hour in the
    new zone, and alerts that wait for a humane hour wait for one there. The links' next
    summaries (none for a link with summaries off)."""
    caregiver = caregivers.by_id(db, caregiver_id)
    if caregiver is None:
        return {}
    zone = zone_of(caregiver)
    due: dict[int, datetime] = {}
    with write_transaction(db):
        for link in caregivers.live_links_of_caregiver(db, caregiver_id):
            if not link.active:
                continue
            at = arm_summary(db, link.id, now)
            if at is not None:
                due[link.id] = at
            for task in care_tasks.waiting_alerts(db, link.id, now):
                care_tasks.move(db, task.id, humane(now, zone))
    return due


def raise_alert(
    db: Database, patient_id: int, kind: CareKind, event: str, now: datetime
) -> list[int]:
    """An alert about ``event`` for each caregiver allowed to see it, once per event; returns
    the links alerted now. The hook for other features (e.g. an opioid taken now:
    ``raise_alert(db, patient_id, CareKind.OPIOID, f"{day}", now)``)."""
    alerted = []
    with write_transaction(db):
        for link in caregivers.active_links_of_patient(db, patient_id):
            if kind.needs_full_scope and not link.scope.shows_effects:
                continue
            if kind is CareKind.MISSED and link.missed_alert_after is None:
                continue
            caregiver = caregivers.by_id(db, link.caregiver_id)
            if caregiver is None:
                continue
            at_once = kind in (CareKind.URGENT, CareKind.OPIOID)
            due_at = now if at_once else humane(now, zone_of(caregiver))
            if care_tasks.raise_once(db, link.id, kind, f"{kind.value}:{event}", due_at):
                alerted.append(link.id)
    return alerted


def after_missed_night(db: Database, patient_id: int, night: date, now: datetime) -> list[int]:
    """``night`` was just closed as missed: alert each link whose threshold the run of missed
    nights has reached. The event is the run's first night, so a run that grows alerts once."""
    patient = patients.by_id(db, patient_id)
    if patient is None or patient.zone_name is None:
        return []
    first = night - timedelta(days=ALERT_LOOKBACK)
    closed = [
        n
        for n in records.load(db, patient_id, patient.zone, first, night).nights
        if n.status is not NightStatus.PENDING
    ]
    run = missed_in_a_row(closed)
    if run == 0:
        return []
    event = f"{CareKind.MISSED.value}:{closed[-run].day.isoformat()}"
    alerted = []
    with write_transaction(db):
        for link in caregivers.active_links_of_patient(db, patient_id):
            caregiver = caregivers.by_id(db, link.caregiver_id)
            if caregiver is None or link.missed_alert_after is None:
                continue
            if run < link.missed_alert_after:
                continue
            due_at = humane(now, zone_of(caregiver))
            if care_tasks.raise_once(db, link.id, CareKind.MISSED, event, due_at):
                alerted.append(link.id)
    return alerted


# The summary itself ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Shared:
    """A summary and the record behind it, both as the link's scope lets the caregiver see them
    (the record is what a chart is drawn from)."""

    summary: Summary
    record: PatientRecord  # the last seven nights, for the chart


def summary_of(db: Database, link: Link, cadence: SummaryCadence, now: datetime) -> Shared | None:
    """The summary the link's scope allows, of the nights up to last night (patient's dates)."""
    patient = patients.by_id(db, link.patient_id)
    if patient is None or patient.zone_name is None:
        return None
    today = now.astimezone(patient.zone).date()
    first, last = nights_of(cadence, today)
    # The chart always shows the week; a daily summary's figures are of last night alone.
    week = records.load(
        db, patient.id, patient.zone, nights_of(SummaryCadence.WEEKLY, today)[0], last
    )
    record = (
        week if week.first == first else records.load(db, patient.id, patient.zone, first, last)
    )
    current, since = patient.current_dose_mg, patient.current_dose_since
    taken = doses.nights_taken(db, patient.id, current, since) if current and since else 0
    assessment = checkins.assessment(db, patient.id)
    state = plan_state(
        record,
        current,
        taken,
        step_offer=patient.step_offer,
        held_until_nights=patient.step_offer_after if patient.step_offer == "held" else None,
        side_effect_open=assessment.hold_step_up,
    )
    episodes: tuple[Effect, ...] = tuple(assessment.open_episodes)
    summary = summarise(record, link.scope, state, episodes)
    return Shared(summary, shared_record(week, link.scope))


# Preparing a due row --------------------------------------------------------------------------


@dataclass(frozen=True)
class CareOutgoing:
    """One message to a caregiver: a summary, or an alert they can acknowledge."""

    task_id: int
    kind: CareKind
    chat_id: int
    language: str  # the caregiver's
    patient_name: str
    summary: Summary | None = None
    record: PatientRecord | None = None  # the summary's, as shared: what its chart shows
    day: date | None = None  # the alert's event day (a missed run's first night)
    detail: str | None = None  # the alert's code: an effect or an urgent sign, never words
    nights: int | None = None  # missed alert: nights missed in a row


@dataclass(frozen=True)
class CarePrepared:
    task: CareTask
    outgoing: CareOutgoing | None
    final_state: str = "done"


def prepare(db: Database, task: CareTask, now: datetime) -> CarePrepared:
    """What to send for a due row, checked again against the link as it is now."""
    link = caregivers.link(db, task.link_id)
    caregiver = caregivers.by_id(db, link.caregiver_id) if link else None
    if link is None or caregiver is None or not link.active:
        return CarePrepared(task, None, "cancelled")
    if task.kind is CareKind.SUMMARY:
        arm_summary(db, link.id, now + timedelta(minutes=1))  # the next period, once per link
    if task.kind.needs_full_scope and not link.scope.shows_effects:
        return CarePrepared(task, None, "cancelled")
    if task.kind is CareKind.SUMMARY and link.summaries is SummaryCadence.OFF:
        return CarePrepared(task, None, "cancelled")
    patient = patients.by_id(db, link.patient_id)
    if patient is None or (task.kind is CareKind.SUMMARY and patient.status != "active"):
        return CarePrepared(task, None, "not_sent")  # alerts still go while reminders pause
    shared = None
    if task.kind is CareKind.SUMMARY:
        shared = summary_of(db, link, link.summaries, now)
        if shared is None:
            return CarePrepared(task, None, "not_sent")
    parts = task.period.split(":")  # kind[:code]:day
    day = date.fromisoformat(parts[-1]) if task.kind is not CareKind.SUMMARY else None
    detail = parts[1] if len(parts) == 3 else None
    nights = None
    if task.kind is CareKind.MISSED and day is not None:
        nights = _missed_since(db, link.patient_id, day, now)
        if nights == 0:  # taken again since: nothing to worry anyone with
            return CarePrepared(task, None, "done")
    # Every caregiver view is audited, scheduled ones too (what, never health values).
    audit.record(
        db,
        now=now,
        actor_telegram_id=caregiver.telegram_id,
        actor_role="caregiver",
        action="caregiver.viewed",
        target_patient_id=link.patient_id,
        detail=f"link={link.id} view={task.kind.value}",
    )
    outgoing = CareOutgoing(
        task.id,
        task.kind,
        caregiver.chat_id,
        caregiver.language,
        link.patient_name,
        shared.summary if shared else None,
        shared.record if shared else None,
        day,
        detail,
        nights,
    )
    return CarePrepared(task, outgoing)


def _missed_since(db: Database, patient_id: int, first: date, now: datetime) -> int:
    """Nights missed in a row now, of the run that began on ``first``."""
    patient = patients.by_id(db, patient_id)
    if patient is None or patient.zone_name is None:
        return 0
    today = now.astimezone(patient.zone).date()
    nights = records.load(db, patient_id, patient.zone, first, today).nights
    closed = [n for n in nights if n.status is not NightStatus.PENDING]
    run = missed_in_a_row(closed)
    return run if run == len(closed) else 0


@dataclass(frozen=True)
class CareClaimed:
    count: int
    ready: list[CarePrepared]


def claim_and_prepare(db: Database, now: datetime, limit: int) -> CareClaimed:
    """Take up to ``limit`` due rows and prepare them in one transaction."""
    ready = []
    with write_transaction(db):
        claimed = care_tasks.claim_due(db, now, limit)
        finished: list[tuple[int, str, int | None]] = []
        for task in claimed:
            prepared = prepare(db, task, now)
            if prepared.outgoing is None:
                finished.append((task.id, prepared.final_state, None))
            else:
                ready.append(prepared)
        care_tasks.finish_many(db, finished, now)
    return CareClaimed(len(claimed), ready)
