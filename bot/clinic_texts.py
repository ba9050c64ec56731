"""Words of the clinic's admin commands (/templates, /newtemplate, /edittemplate, /rules,
/setrule), of a clinic's enrolment link, and of a plan change the clinic applied to a patient.

Every sentence goes through gettext (``bot.i18n``). Template names are typed by admins: they go
through ``html.escape``.
"""

from __future__ import annotations

import html
from datetime import time
from decimal import Decimal

from bot.i18n import N_, _, clock_time, mg, ngettext, number
from bot.texts import Command
from care.admin import alias
from care.clinic import Listed, RuleResult
from storage.templates import Stored
from titration.clinic_rules import RANGES, ClinicRules, RuleProblem
from titration.models import Plan
from titration.templates import DoseForm, TemplateProblem

# The admin commands: the admin helper's per-scope "/" menu merges this list (admins only).
ADMIN_COMMANDS = (
    Command("templates", N_("Clinic plan templates and enrolment links")),
    Command("newtemplate", N_("Create a plan template")),
    Command("edittemplate", N_("Change a plan template")),
    Command("rules", N_("The clinic's schedule rules")),
    Command("setrule", N_("Change a schedule rule")),
)


def steps_line(plan: Plan) -> str:
    """A step list in plain words: "0,5 mg (14 nights) → 1 mg (14 nights) → … → 4,5 mg"."""
    parts = [
        ngettext("{dose} ({n} night)", "{dose} ({n} nights)", step.nights).format(
            dose=mg(step.dose_mg), n=step.nights
        )
        for step in plan.steps[:-1]
    ]
    return " → ".join([*parts, mg(plan.steps[-1].dose_mg)])


def plan_line(plan: Plan) -> str:
    if plan.stepwise:
        return steps_line(plan)
    return ngettext(
        "start {start}, +{step} every {n} night, up to {target}",
        "start {start}, +{step} every {n} nights, up to {target}",
        plan.interval_days,
    ).format(
        start=mg(plan.start_mg),
        step=mg(plan.step_mg),
        n=plan.interval_days,
        target=mg(plan.target_mg),
    )


def plan_steps_summary(plan: Plan) -> str:
    """/plan's first line for a step-list plan."""
    return _("Your plan: {steps}").format(steps=steps_line(plan))


def _form(stored: Stored) -> str:
    t = stored.template
    if t.form is DoseForm.LIQUID and t.mg_per_ml is not None:
        return _("liquid, {strength} mg/ml").format(strength=number(t.mg_per_ml))
    return _("capsules")


def _nudge(minutes: int | None) -> str:
    if minutes is None:
        return _("the clinic's rule")
    return ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)


def template_card(stored: Stored, followers: int) -> str:
    t = stored.template
    status = {
        "active": "",
        "unconfirmed": _(" — waiting for confirmation of its target"),
        "retired": _(" — retired"),
    }[stored.status]
    return "\n".join(
        [
            _("<b>#{id} {name}</b> (version {version}){status}").format(
                id=stored.id, name=html.escape(t.name), version=stored.version, status=status
            ),
            plan_line(t.plan),
            _("Form: {form}. Bedtime {bedtime}, check-in {checkin}, nudge after {nudge}.").format(
                form=_form(stored),
                bedtime=clock_time(t.bedtime),
                checkin=clock_time(t.checkin_time),
                nudge=_nudge(t.nudge_minutes),
            ),
            ngettext("{n} patient follows it.", "{n} patients follow it.", followers).format(
                n=followers
            ),
        ]
    )


def templates_list(listed: list[Listed], more: int = 0) -> str:
    head = _("<b>Plan templates</b>")
    how = _(
        "New: <code>/newtemplate Name; 0.5x14 1x14 1.5x14 3x14 4.5; capsule</code>\n"
        "(or a formula: <code>0.5+0.5x14 to 4.5</code>; form <code>liquid 1 mg/ml</code>)\n"
        "Change: <code>/edittemplate 3 plan 0.5x7 1x7 1.5</code> "
        "(name, plan, form, bedtime, checkin, nudge)"
    )
    if not listed:
        empty = _("No templates yet.")
        return f"{head}\n\n{empty}\n\n{how}"
    cards = "\n\n".join(template_card(item.stored, item.followers) for item in listed)
    if more:
        older = ngettext(
            "… and {n} older template: <code>ldn-bot admin template list</code> shows all.",
            "… and {n} older templates: <code>ldn-bot admin template list</code> shows all.",
            more,
        ).format(n=more)
        cards = f"{older}\n\n{cards}"
    return f"{head}\n\n{cards}\n\n{how}"


def link_button(template_id: int) -> str:
    return _("🔗 Link #{id}").format(id=template_id)


def retire_button(template_id: int) -> str:
    return _("Retire #{id}").format(id=template_id)


def patients_button(template_id: int) -> str:
    return _("Patients #{id}").format(id=template_id)


def confirm_target_button(target: Decimal) -> str:
    return _("Yes, {target} is intended").format(target=mg(target))


def apply_button(patient_id: int) -> str:
    return _("Apply to {alias}").format(alias=alias(patient_id))


def cancel_button() -> str:
    return _("Cancel")


def nothing_changed() -> str:
    return _("OK — nothing changed.")


def yes_retire() -> str:
    return _("Yes, retire it")


def retire_question(template_id: int) -> str:
    return _(
        "Retire template #{id}? Its links stop enrolling anyone. Plans already running go on "
        "unchanged."
    ).format(id=template_id)


def yes_apply() -> str:
    return _("Yes, apply it")


def apply_question(template_id: int, patient_id: int) -> str:
    return _(
        "Apply the current version of template #{id} to {alias}? Their dose stays; "
        "the next steps follow the new plan, and they are told."
    ).format(id=template_id, alias=alias(patient_id))


def yes_change() -> str:
    return _("Yes, change it")


def rule_question(result: RuleResult) -> str:
    return _("Change “{label}” (<code>{name}</code>) from {before} to {after}?").format(
        label=rule_label(result.name), name=result.name, before=result.before, after=result.after
    )


def saved(stored: Stored) -> str:
    return _("Saved: template #{id}, {name}.").format(
        id=stored.id, name=html.escape(stored.template.name)
    )


def confirm_target(stored: Stored) -> str:
    return _(
        "The target of #{id} is {target}, above {usual}. Patients cannot choose that themselves. "
        "Is that intended? Until you confirm, the template cannot enrol anyone."
    ).format(id=stored.id, target=mg(stored.template.plan.target_mg), usual=mg(Decimal("4.5")))


def edited(stored: Stored, older: int) -> str:
    saved_line = _("Template #{id} is now version {version}.").format(
        id=stored.id, version=stored.version
    )
    running = ngettext(
        "{n} patient's plan still follows the earlier version: nothing changes for them unless "
        "you apply it (Patients #{id}).",
        "{n} patients' plans still follow the earlier version: nothing changes for them unless "
        "you apply it (Patients #{id}).",
        older,
    ).format(n=older, id=stored.id)
    return f"{saved_line}\n{running}" if older else saved_line


def retired(stored: Stored, running: int) -> str:
    return ngettext(
        "Template #{id} is retired: its links no longer enrol anyone. {n} running plan goes on "
        "unchanged.",
        "Template #{id} is retired: its links no longer enrol anyone. {n} running plans go on "
        "unchanged.",
        running,
    ).format(id=stored.id, n=running)


def not_found() -> str:
    return _("There is no such template (or it is retired).")


def link(url: str, stored_name: str) -> str:
    return _(
        "Enrolment link for <b>{name}</b>:\n{url}\n\n"
        "Anyone who opens it starts with this plan after consent and the safety questions. "
        "It is shown only now: keep it somewhere safe."
    ).format(name=html.escape(stored_name), url=html.escape(url))


def followers_list(template_id: int, older: list[int], current: list[int]) -> str:
    if not older and not current:
        return _("No patient follows template #{id} yet.").format(id=template_id)
    lines = [_("Patients on template #{id}:").format(id=template_id)]
    if current:
        lines.append(_("Up to date: {ids}").format(ids=", ".join(alias(p) for p in current)))
    if older:
        lines.append(
            _("On an earlier version (tap to apply the current one): {ids}").format(
                ids=", ".join(alias(p) for p in older)
            )
        )
    return "\n".join(lines)


def applied(patient_id: int) -> str:
    return _("Applied. {alias} has been told.").format(alias=alias(patient_id))


# Switching a patient to another template (from their page) -----------------------------------


def switch_choose(patient_id: int) -> str:
    return _("Which template should {alias}'s plan follow from now on?").format(
        alias=alias(patient_id)
    )


def no_active_templates() -> str:
    return _("There is no other active template to switch to. Create one with /newtemplate.")


def switch_choice(stored: Stored) -> str:
    return f"#{stored.id} {stored.template.name}"


def switch_question(patient_id: int, stored: Stored) -> str:
    return _(
        "Switch {alias} to template #{id} <b>{name}</b> ({plan})? Their dose stays; the next "
        "steps follow the new plan, and they are told."
    ).format(
        alias=alias(patient_id),
        id=stored.id,
        name=html.escape(stored.template.name),
        plan=plan_line(stored.template.plan),
    )


def yes_switch() -> str:
    return _("Yes, switch")


def switched(patient_id: int, stored: Stored) -> str:
    return _("Done: {alias} now follows template #{id}. They have been told.").format(
        alias=alias(patient_id), id=stored.id
    )


def plan_changed_for_patient(plan: Plan) -> str:
    """To the patient: what the clinic changed, in plain words."""
    return _(
        "Your clinic updated your dose plan. It now goes: {plan}.\n"
        "Your current dose stays the same for now; the next steps follow the new plan. "
        "Questions? Please ask your clinic or your prescriber."
    ).format(plan=plan_line(plan))


def usage_new() -> str:
    return _(
        "Please write it like this:\n"
        "<code>/newtemplate Name; 0.5x14 1x14 1.5x14 3x14 4.5; capsule</code>"
    )


def usage_edit() -> str:
    return _(
        "Please write it like this:\n<code>/edittemplate 3 plan 0.5x7 1x7 1.5</code>\n"
        "Parts: name, plan, form, bedtime, checkin, nudge. "
        "A target above 4.5 mg: end with <code>confirm</code>."
    )


def problem(code: TemplateProblem, value: object) -> str:
    shown = number(value) if isinstance(value, Decimal) else ""
    sentences = {
        TemplateProblem.NAME_EMPTY: _("The template needs a name."),
        TemplateProblem.NAME_TOO_LONG: _("Please keep the name under 40 characters."),
        TemplateProblem.NAME_TAKEN: _(
            "Template #{value} already has this name. Please pick another one, so that nobody "
            "takes one for the other."
        ),
        TemplateProblem.PLAN_UNREADABLE: _(
            "I can't read that plan. Write a step list like <code>0.5x14 1x14 1.5x14 4.5</code> "
            "(dose x nights, the target last) or a formula like <code>0.5+0.5x14 to 4.5</code>."
        ),
        TemplateProblem.DOSE_TOO_SMALL: _("{value} mg is below the smallest dose (0.1 mg)."),
        TemplateProblem.NOT_A_LOW_DOSE: _(
            "{value} mg is not a low dose: 10 mg or more is refused. Please check the number."
        ),
        TemplateProblem.STEP_OUT_OF_RANGE: _("A step of {value} mg is outside 0.1–1.5 mg."),
        TemplateProblem.NIGHTS_OUT_OF_RANGE: _("{value} nights per step is outside 3–28."),
        TemplateProblem.NIGHTS_MISSING: _(
            "The step at {value} mg needs its nights, like <code>{value}x14</code>."
        ),
        TemplateProblem.NOT_RISING: _("The doses must go up step by step ({value} mg does not)."),
        TemplateProblem.START_ABOVE_TARGET: _("The start dose is above the target."),
        TemplateProblem.TARGET_NEEDS_CONFIRMATION: _(
            "A target of {value} mg is above 4.5 mg: end the command with <code>confirm</code> "
            "if that is intended."
        ),
        TemplateProblem.FORM_UNREADABLE: _(
            "The form is <code>capsule</code> or <code>liquid 1 mg/ml</code>."
        ),
        TemplateProblem.CONCENTRATION_OUT_OF_RANGE: _("A liquid's strength must be 0.1–10 mg/ml."),
        TemplateProblem.BAD_TIME: _("Times are written like 22:30."),
        TemplateProblem.NUDGE_OUT_OF_RANGE: _("The nudge comes 15–360 minutes after bedtime."),
    }
    return sentences[code].format(value=shown)


# Rules -------------------------------------------------------------------------------------

RULE_NAMES = {
    "nudge_after_minutes": N_("Gentle nudge after bedtime (minutes)"),
    "late_window_minutes": N_("Send a late reminder or check-in up to (minutes)"),
    "missed_after_hours": N_("A night counts as missed after bedtime + (hours)"),
    "checkin_daily_days": N_("Daily check-ins after a dose change (days)"),
    "checkin_maintenance_days": N_("At the target: a check-in every (days)"),
    "frequent_reports": N_("Persistent: reported on this many check-ins …"),
    "frequent_window": N_("… out of the last (check-ins)"),
    "moderate_run": N_("Persistent: moderate or worse this many times in a row"),
    "episode_ends_after": N_("An episode ends after this many check-ins without it"),
    "caregiver_missed_alert": N_(
        "New caregiver links: alert after this many missed nights in a row (0 = off)"
    ),
}


def rule_label(name: str) -> str:
    """A rule's meaning in words (its name when unknown)."""
    label = RULE_NAMES.get(name)
    return _(label) if label is not None else name


def rules_list(rules: ClinicRules) -> str:
    lines = [_("<b>Schedule rules</b>"), ""]
    for name, label in RULE_NAMES.items():
        low, high = RANGES[name]
        lines.append(f"{_(label)}: <b>{getattr(rules, name)}</b> ({low}–{high})")
        lines.append(f"   <code>{name}</code>")
    lines += ["", _("Change one: <code>/setrule nudge_after_minutes 90</code>")]
    return "\n".join(lines)


def rule_set(result: RuleResult) -> str:
    return _("{name}: {before} → {after}. The scheduler uses it from now on.").format(
        name=html.escape(rule_label(result.name)), before=result.before, after=result.after
    )


def rule_problem(result: RuleResult) -> str:
    assert result.problem is not None
    sentences = {
        RuleProblem.UNKNOWN: _("There is no rule by that name. /rules lists them."),
        RuleProblem.NOT_A_NUMBER: _("The value must be a whole number."),
        RuleProblem.OUT_OF_RANGE: _("That value is outside the rule's range ({low}–{high})."),
        RuleProblem.REPORTS_ABOVE_WINDOW: _(
            "frequent_reports cannot be more than frequent_window."
        ),
        RuleProblem.NUDGE_AFTER_MISSED: _(
            "The nudge has to come before the night counts as missed."
        ),
    }
    low, high = RANGES.get(result.name, (0, 0))
    return sentences[result.problem].format(low=low, high=high)


def usage_rule() -> str:
    return _("Please write it like this: <code>/setrule nudge_after_minutes 90</code>")


# Enrolment ---------------------------------------------------------------------------------


def clinic_welcome(clinic: str) -> str:
    return _(
        "👋 Welcome! <b>{clinic}</b> invited you to LDN Companion. Your clinic's dose plan is "
        "ready for you; first a few questions."
    ).format(clinic=html.escape(clinic))


def link_not_valid() -> str:
    return _(
        "That clinic link isn't valid any more. Please ask your clinic for a new one, "
        "or set things up yourself below."
    )


def clinic_bedtime(suggested: time) -> str:
    return _("Your clinic suggests {time} — tap it, or pick your own.").format(
        time=clock_time(suggested)
    )


def clinic_plan_line(clinic: str) -> str:
    return _("📋 Plan from <b>{clinic}</b>").format(clinic=html.escape(clinic))
