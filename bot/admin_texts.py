"""The clinic's words: the patient overview, a patient's page, changes and their confirmations,
the audit, granting the admin role, and what a patient is told when the clinic changed something.

Staff see patients by alias only; a check-in shows effects and severity, never the typed note.
"""

from __future__ import annotations

import html
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.checkin_texts import effect_name, severity_label
from bot.i18n import N_, _, day, mg, ngettext, when
from care.admin import AuditEntry, CheckinLine, PatientLine
from care.admin_actions import AdminAction

# The overview --------------------------------------------------------------------------------


def overview_title(page: int, pages: int, total: int, attention: bool) -> str:
    if attention:
        head = ngettext(
            "<b>{n} patient needs attention</b>", "<b>{n} patients need attention</b>", total
        )
    else:
        head = ngettext("<b>{n} patient</b>", "<b>{n} patients</b>", total)
    return (
        head.format(n=total)
        + " · "
        + _("page {page} of {pages}").format(page=page + 1, pages=pages)
    )


def no_patients(attention: bool) -> str:
    if attention:
        return _("Nobody needs attention right now.")
    return _("No patients yet.")


def adherence(line: PatientLine) -> str:
    percent = line.adherence.percent
    if percent is None:
        return _("no nights yet")
    return _("{percent}% taken").format(percent=percent)


def last_seen(at: datetime | None, zone: ZoneInfo) -> str:
    return _("last active {when}").format(when=when(at, zone)) if at else _("not active yet")


def signs(line: PatientLine, *, paused: bool = True) -> str:
    """Why a patient needs attention, in a few words ("" when nothing does); ``paused=False``
    leaves out the pause (the patient's page says so in a sentence)."""
    flags, found = line.flags, []
    if flags.urgent:
        found.append(_("urgent sign reported (told to seek care)"))
    if flags.opioid:
        found.append(_("reported taking an opioid"))
    if flags.severe:
        found.append(_("severe side effect"))
    if flags.persistent:
        found.append(_("persistent side effect"))
    if flags.missed_run >= 2:
        run = flags.missed_run
        found.append(
            ngettext("{n} night missed in a row", "{n} nights missed in a row", run).format(n=run)
        )
    if flags.unreachable:
        found.append(_("unreachable"))
    if flags.paused and paused:
        found.append(_("paused"))
    return ", ".join(found)


def patient_line(line: PatientLine, zone: ZoneInfo) -> str:
    dose = mg(line.dose_mg) if line.dose_mg is not None else "–"
    text = _("<b>{alias}</b> · {dose} (step {step}) · {adherence} · {seen}").format(
        alias=line.alias,
        dose=dose,
        step=line.step,
        adherence=adherence(line),
        seen=last_seen(line.last_activity, zone),
    )
    found = signs(line)
    return f"{text}\n   ⚠ {found}" if found else text


def attention_button(on: bool) -> str:
    return _("Show everyone") if on else _("Needs attention")


def previous_page() -> str:
    return _("◀ Back")


def next_page() -> str:
    return _("Next ▶")


def audit_button() -> str:
    return _("Audit")


def switch_template() -> str:
    return _("Switch template")


def back_to_list() -> str:
    return _("◀ All patients")


# A patient's page ----------------------------------------------------------------------------


def page_head(line: PatientLine, status: str, zone: str, bedtime: str, zone_info: ZoneInfo) -> str:
    dose = mg(line.dose_mg) if line.dose_mg is not None else "–"
    target = mg(line.target_mg) if line.target_mg is not None else "–"
    text = _(
        "<b>{alias}</b>\nDose {dose} (step {step}, target {target})\n"
        "Reminder {bedtime} · {zone}\nLast 14 days: {adherence}"
    ).format(
        alias=line.alias,
        dose=dose,
        step=line.step,
        target=target,
        bedtime=bedtime,
        zone=zone,
        adherence=adherence(line),
    )
    if status == "paused":
        text += "\n" + _("Reminders are paused.")
    found = signs(line, paused=False)
    return f"{text}\n⚠ {found}" if found else text


def staff_greeting(first_name: str) -> str:
    """/start from clinic staff who take no LDN here themselves."""
    return _(
        "Hello {name}! You are clinic staff here.\n\n"
        "/admin — your patients at a glance\n"
        "/templates — plan templates and enrolment links\n"
        "/rules — the clinic's timing rules\n"
        "/help — every command\n\n"
        "Taking LDN yourself? I can remind you too."
    ).format(name=html.escape(first_name))


def staff_hello() -> str:
    """Unprompted text from clinic staff who take no LDN here themselves."""
    return _("Hello! /admin shows your patients at a glance; /help lists every command.")


def staff_help(commands: str) -> str:
    """/help's part for clinic staff (``commands``: one "/name — what it does" a line)."""
    return _(
        "<b>For clinic staff</b>\n{commands}\n\n"
        "<code>/admin audit</code> opens the audit; <code>/setrule</code> and "
        "<code>/edittemplate</code> show how to write them when sent alone."
    ).format(commands=commands)


def staff_plan(summary: str) -> str:
    """The patient's plan, described to staff (``summary``: the plan in a few words)."""
    return _("<b>Plan:</b> {summary}").format(summary=summary)


def staff_dates_ahead() -> str:
    return _("Dates ahead are estimates: they assume each dose is taken and each step agreed.")


def next_reminder_at(at: datetime, zone: ZoneInfo) -> str:
    return _("Next reminder: {when}").format(when=when(at, zone))


def held() -> str:
    return _("The next step is on hold (by the clinic).")


def checkins_title() -> str:
    return _("<b>Recent check-ins</b>")


def no_recent_checkins() -> str:
    return _("No check-ins in the last 14 days.")


def checkin_line(line: CheckinLine) -> str:
    if not line.effects:
        found = _("no side effects")
    else:
        found = ", ".join(
            f"{effect_name(effect)} ({severity_label(level)})" for effect, level in line.effects
        )
    return f"{day(line.day)} · {mg(line.dose_mg)} · {found}"


def action_label(action: AdminAction) -> str:
    labels = {
        AdminAction.DOSE: _("Set dose"),
        AdminAction.HOLD: _("Hold next step"),
        AdminAction.RELEASE: _("Release next step"),
        AdminAction.TIME: _("Move reminder"),
        AdminAction.ZONE: _("Change zone"),
        AdminAction.PAUSE: _("Pause"),
        AdminAction.RESUME: _("Resume"),
    }
    return labels[action]


# Asking and confirming -----------------------------------------------------------------------


def ask_dose(alias: str) -> str:
    return _("New nightly dose for {alias}, in mg (for example 2.5)? Send /cancel to stop.").format(
        alias=alias
    )


def ask_reason() -> str:
    return _("Why? A short reason — the patient will read it.")


def ask_time(alias: str) -> str:
    return _("New reminder time for {alias} (for example 21:30)?").format(alias=alias)


def ask_zone(alias: str) -> str:
    return _("New time zone for {alias}: a city or a zone like Europe/Berlin?").format(alias=alias)


def pick_zone(zones: tuple[str, ...]) -> str:
    return _("Several zones fit. Please type one of: {zones}").format(zones=", ".join(zones))


def zone_not_found() -> str:
    return _("I couldn't find that place. Please type a city or a zone like Europe/Berlin.")


def need_reason() -> str:
    return _("Please give a short reason (up to 300 characters).")


def confirm(action: AdminAction, alias: str, before: str, after: str | None) -> str:
    """The change, as it will be made: [Confirm] / [Cancel] follow."""
    if action is AdminAction.DOSE and after is not None:
        return _("Set {alias}'s dose from {before} to {after}?").format(
            alias=alias, before=_dose(before), after=mg(Decimal(after))
        )
    if action is AdminAction.TIME and after is not None:
        return _("Move {alias}'s reminder from {before} to {after}?").format(
            alias=alias, before=before, after=after
        )
    if action is AdminAction.ZONE and after is not None:
        return _("Change {alias}'s time zone from {before} to {after}?").format(
            alias=alias, before=before, after=after
        )
    texts = {
        AdminAction.HOLD: _("Hold {alias}'s next step-up until you release it?"),
        AdminAction.RELEASE: _("Release {alias}'s next step-up?"),
        AdminAction.PAUSE: _("Pause {alias}'s reminders?"),
        AdminAction.RESUME: _("Resume {alias}'s reminders?"),
    }
    return texts[action].format(alias=alias)


def reason_line(reason: str) -> str:
    return _("Reason: {reason}").format(reason=html.escape(reason))


def above_usual(dose: Decimal) -> str:
    return _(
        "{dose} is above 4.5 mg, the usual top of a low-dose plan. Please confirm it explicitly."
    ).format(dose=mg(dose))


def confirm_button() -> str:
    return _("Confirm")


def confirm_high_button(dose: Decimal) -> str:
    return _("Yes, {dose} (above 4.5 mg)").format(dose=mg(dose))


def cancel_button() -> str:
    return _("Cancel")


def cancelled() -> str:
    return _("Cancelled; nothing was changed.")


def _dose(text: str) -> str:
    return mg(Decimal(text)) if text else "–"


def done(action: AdminAction, alias: str, before: str, after: str) -> str:
    if action is AdminAction.DOSE:
        after_text, before_text = mg(Decimal(after)), _dose(before)
    else:
        after_text, before_text = after, before
    return _("Done: {alias} · {what} · {before} → {after}. The patient has been told.").format(
        alias=alias, what=action_label(action), before=before_text, after=after_text
    )


def already(alias: str) -> str:
    return _("Nothing to change for {alias}: it is already so.").format(alias=alias)


def stale_change() -> str:
    return _("That change is no longer waiting; please start again from the patient's page.")


# What the patient is told --------------------------------------------------------------------


def told_dose(after: Decimal, before: str, from_day: date, reason: str | None) -> str:
    text = _(
        "Your clinic changed your daily dose to {after} (it was {before}), from {day} on. "
        "Your reminders will show the new dose."
    ).format(after=mg(after), before=_dose(before), day=day(from_day))
    if reason:
        text += "\n" + _("Their reason: {reason}").format(reason=html.escape(reason))
    return text


def told_time(at: str, next_at: datetime | None, zone: ZoneInfo) -> str:
    text = _("Your clinic moved your reminder to {time}.").format(time=at)
    return text + (" " + _next(next_at, zone) if next_at else "")


def told_zone(zone_name: str, next_at: datetime | None, zone: ZoneInfo) -> str:
    text = _("Your clinic set your time zone to {zone}.").format(zone=zone_name)
    return text + (" " + _next(next_at, zone) if next_at else "")


def told_hold() -> str:
    return _(
        "Your clinic would like you to stay at your current dose for now: "
        "I won't propose the next step until they release it."
    )


def told_release() -> str:
    return _("Your clinic released your next step: I'll propose it when it is due.")


def told_pause() -> str:
    return _("Your clinic paused your reminders for now. If you have questions, please ask them.")


def told_resume(next_at: datetime | None, zone: ZoneInfo) -> str:
    text = _("Your clinic turned your reminders back on.")
    return text + (" " + _next(next_at, zone) if next_at else "")


def _next(at: datetime, zone: ZoneInfo) -> str:
    return _("The next one comes {when}.").format(when=when(at, zone))


# The audit -----------------------------------------------------------------------------------


def audit_title(page: int, pages: int) -> str:
    return _("<b>Audit</b> · newest first, times in UTC · page {page} of {pages}").format(
        page=page + 1, pages=pages
    )


# Who did it and what, in words; a code not named here is shown as it is stored.
AUDIT_ROLES = {
    "admin": N_("admin"),
    "operator": N_("operator (server)"),
    "system": N_("system"),
    "patient": N_("patient"),
    "caregiver": N_("caregiver"),
    "not_admin": N_("not an admin"),
}
AUDIT_ACTIONS = {
    "admin.dose": N_("dose set"),
    "admin.hold": N_("next step held"),
    "admin.release": N_("next step released"),
    "admin.time": N_("reminder moved"),
    "admin.zone": N_("time zone changed"),
    "admin.pause": N_("reminders paused"),
    "admin.resume": N_("reminders resumed"),
    "admin.viewed_patients": N_("looked at the patient list"),
    "admin.viewed_patient": N_("looked at a patient's page"),
    "admin.viewed_audit": N_("looked at the audit"),
    "admin.viewed_template_patients": N_("looked at a template's patients"),
    "admin.exported_audit": N_("exported the audit"),
    "admin.refused": N_("refused: not an admin"),
    "admin.denied": N_("refused: not an admin"),
    "template.created": N_("template created"),
    "template.confirmed": N_("high target confirmed"),
    "template.edited": N_("template changed"),
    "template.retired": N_("template retired"),
    "template.link_created": N_("enrolment link made"),
    "template.applied": N_("template applied"),
    "template.switched": N_("template switched"),
    "rules.set": N_("schedule rule changed"),
    "staff.granted": N_("admin role granted"),
    "staff.revoked": N_("admin role taken back"),
    "reminders.paused": N_("reminders paused"),
    "reminders.resumed": N_("reminders resumed"),
    "caregiver.viewed": N_("caregiver looked at shared data"),
    "caregiver.alert_acknowledged": N_("caregiver acknowledged an alert"),
    "consent.given": N_("consent given"),
    "plan.started": N_("plan started"),
    "plan.stepped_up": N_("stepped up"),
    "plan.step_stayed": N_("stayed at the dose"),
    "enrolment.clinic_link": N_("enrolled through a clinic link"),
    "data.exported": N_("data exported"),
    "safety.opioid_reported": N_("reported taking an opioid"),
    "safety.resume_confirmed": N_("confirmed resuming after an opioid"),
    "clinic.alerted": N_("clinic staff alerted"),
}


def audit_line(entry: AuditEntry) -> str:
    role = AUDIT_ROLES.get(entry.actor_role)
    who = _(role) if role is not None else entry.actor_role
    if entry.actor_telegram_id:
        who += f" {entry.actor_telegram_id}"
    action = AUDIT_ACTIONS.get(entry.action)
    what = _(action) if action is not None else entry.action
    changed = entry.before or entry.after
    change = f" · {entry.before or '–'} → {entry.after or '–'}" if changed else ""
    target = f" · {entry.target}" if entry.target else ""
    at = entry.at[:16].replace("T", " ")
    return html.escape(f"{at} · {who} · {what}{target}{change}")


# Granting the role ---------------------------------------------------------------------------


def grant_usage() -> str:
    return _("Please add their Telegram id: /grant 123456789 or /revoke 123456789.")


def ask_grant(telegram_id: int) -> str:
    return _("Make {id} a clinic admin? They will see every patient's overview.").format(
        id=telegram_id
    )


def ask_revoke(telegram_id: int) -> str:
    return _("Take the clinic admin role from {id}?").format(id=telegram_id)


def granted(telegram_id: int) -> str:
    return _("{id} is now a clinic admin.").format(id=telegram_id)


def already_admin(telegram_id: int) -> str:
    return _("{id} is already a clinic admin.").format(id=telegram_id)


def revoked(telegram_id: int) -> str:
    return _("{id} is no longer a clinic admin.").format(id=telegram_id)


def not_an_admin(telegram_id: int) -> str:
    return _("{id} is not a clinic admin.").format(id=telegram_id)


def last_admin() -> str:
    return _("You are the last clinic admin: grant the role to someone else first.")


def yes() -> str:
    return _("Yes")


def no() -> str:
    return _("No")


def now_admin() -> str:
    return _("You are now a clinic admin: send /admin to see your patients.")
