"""Clinic staff's intentions: plan templates (create, confirm, edit, retire, apply to patients,
switch a patient to another), enrolment links, and the clinic's schedule rules. One transaction
each, admins only.

``telegram_id`` is the admin pressing, checked with ``care.people.admin_presser`` every time (a
revoked admin's next press is refused). ``OPERATOR`` (None) is the operator at the server's
``ldn-bot admin`` command line, who holds the database file already; it is audited as such.
Every change is audited: who, what, before → after (template and rule values, never health text).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlite_utils import Database

from care.people import Refusal, admin_presser, enrolled, presser
from storage import audit, patients, rules, templates
from storage.db import write_transaction
from storage.templates import Stored
from titration.clinic_rules import ClinicRules, RuleError, RuleProblem, parse_value, with_rule
from titration.templates import (
    Template,
    TemplateError,
    TemplateProblem,
    check_template,
    parse_clock,
    parse_form,
    parse_nudge,
    parse_plan,
    steps_text,
)

log = logging.getLogger(__name__)

OPERATOR = None  # the command line on the server
LINK_PREFIX = "c_"  # /start c_<code>: a clinic enrolment link (other codes belong elsewhere)


class Field(StrEnum):
    """What an edit changes, as typed after the template's id."""

    NAME = "name"
    PLAN = "plan"
    FORM = "form"
    BEDTIME = "bedtime"
    CHECKIN = "checkin"
    NUDGE = "nudge"


class Outcome(StrEnum):
    SAVED = "saved"
    CONFIRM_TARGET = "confirm_target"  # saved unconfirmed: the high target needs a yes
    REJECTED = "rejected"  # ``problem`` says why; nothing changed
    NOT_FOUND = "not_found"  # no such template (or retired, for an edit)
    RETIRED = "retired"


@dataclass(frozen=True)
class TemplateResult:
    outcome: Outcome
    stored: Stored | None = None
    problem: TemplateProblem | None = None
    value: object = None
    followers: int = 0  # patients whose plan copies an older version (after an edit)


@dataclass(frozen=True)
class Listed:
    stored: Stored
    followers: int


@dataclass(frozen=True)
class Follower:
    patient_id: int
    version: int
    current: bool  # their plan copies the template's current version


@dataclass(frozen=True)
class Applied:
    """A template's current version copied into a patient's plan: who to tell, and what."""

    patient_id: int
    chat_id: int
    language: str
    template: Stored


@dataclass(frozen=True)
class RuleResult:
    name: str
    before: int = 0
    after: int = 0
    problem: RuleProblem | None = None


Actor = int | None


def _actor(db: Database, telegram_id: Actor, intention: str, now: datetime) -> Actor | Refusal:
    """The admin (or the operator), or the refusal, which is audited (who tried what) when the
    person has a record here already; a stranger's attempt is only logged (with the id), since
    nothing is stored about someone who has not consented."""
    if telegram_id is OPERATOR:
        return OPERATOR
    found = admin_presser(db, telegram_id)
    if isinstance(found, Refusal) and presser(db, telegram_id) is None:
        log.warning("admin intention %s refused for telegram id %s", intention, telegram_id)
    elif isinstance(found, Refusal):
        audit.record(
            db,
            now=now,
            actor_telegram_id=telegram_id,
            actor_role="not_admin",
            action="admin.denied",
            detail=intention,
        )
    return found


def _role(telegram_id: Actor) -> str:
    return "operator" if telegram_id is OPERATOR else "admin"


def _audit(db: Database, actor: Actor, action: str, now: datetime, detail: str, **kw: int) -> None:
    audit.record(
        db,
        now=now,
        actor_telegram_id=actor,
        actor_role=_role(actor),
        action=action,
        target_patient_id=kw.get("patient"),
        detail=detail,
    )


def describe(template: Template) -> str:
    """A template's values for the audit: before → after (codes and numbers only; its name is
    typed text, so the audit says only that it changed)."""
    t = template
    form = f"{t.form.value}{f' {t.mg_per_ml}mg/ml' if t.mg_per_ml else ''}"
    return (
        f"[{steps_text(t.plan)}] {form} bedtime {t.bedtime:%H:%M} "
        f"checkin {t.checkin_time:%H:%M} nudge {t.nudge_minutes or 'rule'}"
    )


def may_administer(db: Database, telegram_id: int, intention: str, now: datetime) -> Refusal | None:
    """None when the presser is an admin now (a question before a change: [Retire], [Apply],
    [Cancel]); the refusal, audited, otherwise. The change itself checks again."""
    with write_transaction(db):
        actor = _actor(db, telegram_id, intention, now)
        return actor if isinstance(actor, Refusal) else None


# Templates --------------------------------------------------------------------------------


def list_templates(
    db: Database, telegram_id: Actor, now: datetime, *, retired: bool = False
) -> list[Listed] | Refusal:
    """Every template (retired ones when asked) and how many patients follow each."""
    with write_transaction(db):
        actor = _actor(db, telegram_id, "list_templates", now)
        if isinstance(actor, Refusal):
            return actor
        return [
            Listed(s, len(templates.followers(db, s.id)))
            for s in templates.listed(db, retired=retired)
        ]


def create_template(
    db: Database,
    telegram_id: Actor,
    name: str,
    plan_text: str,
    form_text: str,
    now: datetime,
    *,
    confirmed: bool = False,
    extras: dict[Field, str] | None = None,
    hold_unconfirmed: bool = True,
) -> TemplateResult | Refusal:
    """A new template from what the admin typed. A target above 4.5 mg without ``confirmed``
    is saved unconfirmed (no link, no enrolment) until ``confirm_template`` — or, without
    ``hold_unconfirmed`` (the command line, which has a flag for it), refused."""
    with write_transaction(db):
        actor = _actor(db, telegram_id, "create_template", now)
        if isinstance(actor, Refusal):
            return actor
        try:
            form, strength = parse_form(form_text)
            template = Template(name.strip(), parse_plan(plan_text), form, strength)
            for field, text in (extras or {}).items():
                template = _changed(template, field, text)
            _check_name_free(db, template.name)
            status = "active"
            try:
                check_template(template, high_target_confirmed=confirmed)
            except TemplateError as error:
                high = error.problem is TemplateProblem.TARGET_NEEDS_CONFIRMATION
                if not (high and hold_unconfirmed):
                    raise
                status = "unconfirmed"
        except TemplateError as error:
            return TemplateResult(Outcome.REJECTED, problem=error.problem, value=error.value)
        stored = templates.create(db, template, status, now)
        _audit(db, actor, "template.created", now, f"#{stored.id} {status}: {describe(template)}")
        outcome = Outcome.SAVED if status == "active" else Outcome.CONFIRM_TARGET
        return TemplateResult(outcome, stored)


def _check_name_free(db: Database, name: str, own_id: int | None = None) -> None:
    """Two templates in use with one name would be mistaken for each other (in /templates, on
    a patient's page): refuse the second."""
    for other in templates.listed(db):
        if other.id != own_id and other.template.name.casefold() == name.strip().casefold():
            raise TemplateError(TemplateProblem.NAME_TAKEN, Decimal(other.id))


def confirm_template(
    db: Database, telegram_id: Actor, template_id: int, now: datetime
) -> TemplateResult | Refusal:
    """[Yes, the target is right]: an unconfirmed template becomes usable."""
    with write_transaction(db):
        actor = _actor(db, telegram_id, "confirm_template", now)
        if isinstance(actor, Refusal):
            return actor
        stored = templates.by_id(db, template_id)
        if stored is None or stored.status != "unconfirmed":
            return TemplateResult(Outcome.NOT_FOUND)
        templates.set_status(db, template_id, "active", now)
        _audit(db, actor, "template.confirmed", now, f"#{template_id} target above 4.5 mg")
        return TemplateResult(Outcome.SAVED, templates.by_id(db, template_id))


def _changed(template: Template, field: Field, text: str) -> Template:
    if field is Field.NAME:
        return replace(template, name=text.strip())
    if field is Field.PLAN:
        plan = parse_plan(text)
        return replace(template, plan=replace(plan, nudge_minutes=template.nudge_minutes))
    if field is Field.FORM:
        form, strength = parse_form(text)
        return replace(template, form=form, mg_per_ml=strength)
    if field is Field.BEDTIME:
        return replace(template, bedtime=parse_clock(text))
    if field is Field.CHECKIN:
        return replace(template, checkin_time=parse_clock(text))
    minutes = parse_nudge(text)
    return replace(
        template, nudge_minutes=minutes, plan=replace(template.plan, nudge_minutes=minutes)
    )


def edit_template(
    db: Database,
    telegram_id: Actor,
    template_id: int,
    field: Field,
    text: str,
    now: datetime,
    *,
    confirmed: bool = False,
) -> TemplateResult | Refusal:
    """Change one part of a template. Plans already running stay as they are (``followers``:
    how many now copy an older version; the admin may apply the change to them)."""
    with write_transaction(db):
        actor = _actor(db, telegram_id, "edit_template", now)
        if isinstance(actor, Refusal):
            return actor
        stored = templates.by_id(db, template_id)
        if stored is None or stored.status == "retired":
            return TemplateResult(Outcome.NOT_FOUND)
        try:
            changed = check_template(
                _changed(stored.template, field, text), high_target_confirmed=confirmed
            )
            _check_name_free(db, changed.name, template_id)
        except TemplateError as error:
            return TemplateResult(Outcome.REJECTED, stored, error.problem, error.value)
        saved = templates.replace(db, template_id, changed, now)
        renamed = "name changed; " if changed.name != stored.template.name else ""
        before, after = describe(stored.template), describe(changed)
        detail = f"#{template_id} v{saved.version}: {renamed}{before} -> {after}"
        _audit(db, actor, "template.edited", now, detail)
        older = sum(1 for _, v in templates.followers(db, template_id) if v != saved.version)
        return TemplateResult(Outcome.SAVED, saved, followers=older)


def retire_template(
    db: Database, telegram_id: Actor, template_id: int, now: datetime
) -> TemplateResult | Refusal:
    """No new enrolments (its links stop working); running plans go on unchanged."""
    with write_transaction(db):
        actor = _actor(db, telegram_id, "retire_template", now)
        if isinstance(actor, Refusal):
            return actor
        stored = templates.by_id(db, template_id)
        if stored is None or stored.status == "retired":
            return TemplateResult(Outcome.NOT_FOUND)
        templates.set_status(db, template_id, "retired", now)
        templates.revoke_links(db, template_id, now)
        _audit(db, actor, "template.retired", now, f"#{template_id} {stored.status} -> retired")
        running = len(templates.followers(db, template_id))
        return TemplateResult(Outcome.RETIRED, stored, followers=running)


def make_link(
    db: Database, telegram_id: Actor, template_id: int, now: datetime
) -> str | TemplateResult | Refusal:
    """A new enrolment code for an active template (``/start c_<code>``); only its hash is kept,
    so the code is shown this once."""
    with write_transaction(db):
        actor = _actor(db, telegram_id, "make_link", now)
        if isinstance(actor, Refusal):
            return actor
        stored = templates.by_id(db, template_id)
        if stored is None or stored.status != "active":
            return TemplateResult(Outcome.NOT_FOUND)
        code = secrets.token_urlsafe(12)
        templates.add_link(db, template_id, code, now)
        _audit(db, actor, "template.link_created", now, f"#{template_id}")
        return LINK_PREFIX + code


def followers(
    db: Database, telegram_id: Actor, template_id: int, now: datetime
) -> list[Follower] | Refusal:
    """The patients whose plan was copied from the template, oldest copy first."""
    with write_transaction(db):
        actor = _actor(db, telegram_id, "followers", now)
        if isinstance(actor, Refusal):
            return actor
        stored = templates.by_id(db, template_id)
        if stored is None:
            return []
        found = templates.followers(db, template_id)
        # Who follows which plan is patient data: the look is audited, as /admin's are.
        _audit(db, actor, "admin.viewed_template_patients", now, f"template=#{template_id}")
        return [Follower(p, v, v == stored.version) for p, v in found]


def apply_template(
    db: Database, telegram_id: Actor, template_id: int, patient_id: int, now: datetime
) -> Applied | Refusal:
    """Copy the template's current version into one chosen patient's plan. Their dose stays;
    the plan continues from it with the new steps. The bot tells the patient."""
    with write_transaction(db):
        actor = _actor(db, telegram_id, "apply_template", now)
        if isinstance(actor, Refusal):
            return actor
        stored = templates.by_id(db, template_id)
        patient = patients.by_id(db, patient_id)
        copies = dict(templates.followers(db, template_id))
        if stored is None or stored.status != "active" or patient is None:
            return Refusal.STALE
        if patient_id not in copies:
            return Refusal.NOT_YOURS  # only patients who follow this template
        if copies[patient_id] == stored.version:
            return Refusal.STALE  # on the current version already: a second press of the yes
        before = patients.plan_of(db, patient_id)
        patients.save_plan(
            db, patient_id, stored.template.plan, "clinic", now, (template_id, stored.version)
        )
        was = steps_text(before) if before is not None else "-"
        now_steps = steps_text(stored.template.plan)
        detail = (
            f"#{template_id} v{copies[patient_id]} -> v{stored.version}: [{was}] -> [{now_steps}]"
        )
        _audit(db, actor, "template.applied", now, detail, patient=patient_id)
        return Applied(patient_id, patient.chat_id, patient.language, stored)


def _copied_from(db: Database, patient_id: int) -> tuple[int, int] | None:
    """The (template, version) the patient's plan was copied from, if any."""
    row = db.execute(
        "SELECT template_id, template_version FROM plans WHERE patient_id = ?", [patient_id]
    ).fetchone()
    return (row[0], row[1]) if row is not None and row[0] is not None else None


def switch_choices(
    db: Database, telegram_id: Actor, patient_id: int, now: datetime
) -> list[Stored] | Refusal:
    """The active templates the patient could switch to (not the version they follow now)."""
    with write_transaction(db):
        actor = _actor(db, telegram_id, "switch_choices", now)
        if isinstance(actor, Refusal):
            return actor
        if not enrolled(patients.by_id(db, patient_id)):
            return Refusal.STALE
        now_on = _copied_from(db, patient_id)
        return [
            s for s in templates.listed(db) if s.status == "active" and (s.id, s.version) != now_on
        ]


def switch_template(
    db: Database, telegram_id: Actor, template_id: int, patient_id: int, now: datetime
) -> Applied | Refusal:
    """From a patient's page: their plan follows another (active) template from now on. As with
    an applied edit, their dose stays and the plan continues from it; the bot tells them."""
    with write_transaction(db):
        actor = _actor(db, telegram_id, "switch_template", now)
        if isinstance(actor, Refusal):
            return actor
        stored = templates.by_id(db, template_id)
        patient = patients.by_id(db, patient_id)
        was = _copied_from(db, patient_id)
        if stored is None or stored.status != "active" or not enrolled(patient):
            return Refusal.STALE
        if was == (template_id, stored.version):
            return Refusal.STALE  # on it already: a second press of the same yes
        assert patient is not None
        before = patients.plan_of(db, patient_id)
        patients.save_plan(
            db, patient_id, stored.template.plan, "clinic", now, (template_id, stored.version)
        )
        source = f"#{was[0]} v{was[1]}" if was is not None else "-"
        steps = steps_text(before) if before is not None else "-"
        detail = (
            f"{source} -> #{template_id} v{stored.version}: "
            f"[{steps}] -> [{steps_text(stored.template.plan)}]"
        )
        _audit(db, actor, "template.switched", now, detail, patient=patient_id)
        return Applied(patient_id, patient.chat_id, patient.language, stored)


# Schedule rules ---------------------------------------------------------------------------


def rules_in_force(db: Database, telegram_id: Actor, now: datetime) -> ClinicRules | Refusal:
    with write_transaction(db):
        actor = _actor(db, telegram_id, "rules_in_force", now)
        if isinstance(actor, Refusal):
            return actor
        return rules.current(db)


def preview_rule(
    db: Database, telegram_id: Actor, name: str, text: str, now: datetime
) -> RuleResult | Refusal:
    """/setrule before its confirmation: the change checked (before → after), nothing saved."""
    with write_transaction(db):
        actor = _actor(db, telegram_id, "preview_rule", now)
        if isinstance(actor, Refusal):
            return actor
        try:
            value = parse_value(name, text)
            current = rules.current(db)
            with_rule(current, name, value)
        except RuleError as error:
            return RuleResult(name, problem=error.problem)
        return RuleResult(name, getattr(current, name), value)


def set_rule(
    db: Database, telegram_id: Actor, name: str, text: str, now: datetime
) -> RuleResult | Refusal:
    """Change one clinic rule (checked against the others; audited before → after)."""
    with write_transaction(db):
        actor = _actor(db, telegram_id, "set_rule", now)
        if isinstance(actor, Refusal):
            return actor
        try:
            before, after = rules.set_rule(
                db, name, parse_value(name, text), actor, now, _role(actor)
            )
        except RuleError as error:
            return RuleResult(name, problem=error.problem)
        return RuleResult(name, before, after)
