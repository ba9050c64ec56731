"""/admin for clinic staff: the patient overview (paged, filter "needs attention"), a patient's
page, the audit; /grant and /revoke of the admin role. Every command and button goes through
``care`` (``care.admin``, ``care.staff``), which checks the presser is an admin at that moment.
"""

from __future__ import annotations

import contextlib
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot import admin_texts as words
from bot import i18n, menus
from bot.callbacks import (
    AdminActionButton,
    AdminAuditButton,
    AdminListButton,
    AdminPatientButton,
    CallbackData,
    StaffButton,
    StaffChangeKind,
    TemplateAction,
    TemplateButton,
    YesNo,
)
from bot.handlers.common import Context, call, pressed_button, presser_id, refuse, reply, show
from bot.handlers.info import calendar_lines
from bot.services import services
from care import admin, clinic_alerts, staff
from care.admin import OverviewPage, PatientPage
from care.admin_actions import AdminAction
from care.people import Refusal
from care.staff import StaffChange, StaffOutcome


def _zone(context: Context) -> ZoneInfo:
    return ZoneInfo(services(context).settings.default_timezone)


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data.pack())


# The overview --------------------------------------------------------------------------------


async def admin_command(update: Update, context: Context) -> None:
    """/admin: the first page of patients; ``/admin audit``: the latest audit entries;
    ``/admin attention``: only the patients needing attention."""
    word = (context.args or [""])[0].lower() if context.args else ""
    await call(context, clinic_alerts.remember_language, presser_id(update), i18n.current())
    if word in AUDIT_WORDS:
        await _audit(update, context, 0)
    else:
        await _overview(update, context, 0, attention=word in ATTENTION_WORDS)


AUDIT_WORDS = frozenset({"audit", "protokoll"})
ATTENTION_WORDS = frozenset({"attention", "aufmerksamkeit"})


async def list_button(update: Update, context: Context) -> None:
    """[Next ▶] / [◀ Back] / [Needs attention] / [◀ All patients]."""
    pressed = await pressed_button(update, context, AdminListButton)
    if pressed is not None:
        await _overview(update, context, pressed.page, attention=pressed.attention is YesNo.YES)


async def _overview(update: Update, context: Context, page: int, *, attention: bool) -> None:
    now = services(context).clock.now()
    found = await call(context, admin.overview, presser_id(update), page, attention, now)
    if isinstance(found, Refusal):
        await refuse(update, context, found)
        return
    await show(update, context, _overview_text(found, _zone(context)), _overview_keys(found))


def _overview_text(found: OverviewPage, zone: ZoneInfo) -> str:
    title = words.overview_title(found.page, found.pages, found.total, found.attention)
    if not found.lines:
        return f"{title}\n\n{words.no_patients(found.attention)}"
    return title + "\n\n" + "\n".join(words.patient_line(line, zone) for line in found.lines)


def _overview_keys(found: OverviewPage) -> InlineKeyboardMarkup:
    flag = YesNo.YES if found.attention else YesNo.NO
    rows = [
        [
            _button(line.alias, AdminPatientButton(line.patient_id))
            for line in found.lines[i : i + 5]
        ]
        for i in range(0, len(found.lines), 5)
    ]
    paging = []
    if found.page > 0:
        paging.append(_button(words.previous_page(), AdminListButton(flag, found.page - 1)))
    if found.page + 1 < found.pages:
        paging.append(_button(words.next_page(), AdminListButton(flag, found.page + 1)))
    if paging:
        rows.append(paging)
    other = YesNo.NO if found.attention else YesNo.YES
    rows.append(
        [
            _button(words.attention_button(found.attention), AdminListButton(other, 0)),
            _button(words.audit_button(), AdminAuditButton(0)),
        ]
    )
    return InlineKeyboardMarkup(rows)


# A patient's page ----------------------------------------------------------------------------


async def patient_button(update: Update, context: Context) -> None:
    """[P-0042]: the patient's page."""
    pressed = await pressed_button(update, context, AdminPatientButton)
    if pressed is None:
        return
    await show_patient(update, context, pressed.patient_id)


async def show_patient(
    update: Update, context: Context, patient_id: int, *, fresh: bool = False
) -> None:
    """The patient's page, in the pressed message (``fresh``: as a new message below)."""
    now = services(context).clock.now()
    found = await call(context, admin.patient_page, presser_id(update), patient_id, now)
    if isinstance(found, Refusal):
        await refuse(update, context, found)
        return
    text, keys = _page_text(found, _zone(context)), _page_keys(found)
    await (reply if fresh else show)(update, context, text, keys)


def _page_text(found: PatientPage, zone: ZoneInfo) -> str:
    patient = found.patient
    lines = [
        words.page_head(
            found.line,
            patient.status,
            patient.zone_name or "–",
            patient.dose_time_text or patient.bedtime_text or "–",  # the reminder time
            zone,
        )
    ]
    if found.next_reminder is not None:
        lines.append(words.next_reminder_at(found.next_reminder, patient.zone))
    if found.held_by_clinic:
        lines.append(words.held())
    if found.plan is not None:
        lines += ["", *calendar_lines(found.plan, staff=True)]
    lines += ["", words.checkins_title()]
    lines += [words.checkin_line(c) for c in found.checkins] or [words.no_recent_checkins()]
    return "\n".join(lines)


def _page_keys(found: PatientPage) -> InlineKeyboardMarkup:
    pid = found.patient.id
    step = AdminAction.RELEASE if found.held_by_clinic else AdminAction.HOLD
    switch = AdminAction.RESUME if found.patient.status == "paused" else AdminAction.PAUSE
    switch_plan = TemplateButton(TemplateAction.SWITCH, 0, pid)  # handled in bot.handlers.clinic

    def act(action: AdminAction) -> InlineKeyboardButton:
        return _button(words.action_label(action), AdminActionButton(action, pid))

    return InlineKeyboardMarkup(
        [
            [act(AdminAction.DOSE), act(step)],
            [act(AdminAction.TIME), act(AdminAction.ZONE)],
            [act(switch), _button(words.switch_template(), switch_plan)],
            [_button(words.back_to_list(), AdminListButton(YesNo.NO, 0))],
        ]
    )


# The audit -----------------------------------------------------------------------------------


async def audit_button(update: Update, context: Context) -> None:
    """[Audit]: the latest entries, newest first."""
    pressed = await pressed_button(update, context, AdminAuditButton)
    if pressed is not None:
        await _audit(update, context, pressed.page)


async def _audit(update: Update, context: Context, page: int) -> None:
    now = services(context).clock.now()
    found = await call(context, admin.audit_page, presser_id(update), page, now)
    if isinstance(found, Refusal):
        await refuse(update, context, found)
        return
    text = "\n".join(
        [words.audit_title(found.page, found.pages), "", *map(words.audit_line, found.entries)]
    )
    paging = []
    if found.page > 0:
        paging.append(_button(words.previous_page(), AdminAuditButton(found.page - 1)))
    if found.page + 1 < found.pages:
        paging.append(_button(words.next_page(), AdminAuditButton(found.page + 1)))
    rows = [paging] if paging else []
    rows.append([_button(words.back_to_list(), AdminListButton(YesNo.NO, 0))])
    await show(update, context, text, InlineKeyboardMarkup(rows))


# Granting the role ---------------------------------------------------------------------------


async def grant_command(update: Update, context: Context) -> None:
    """/grant <Telegram id>: asks [Yes] / [No] first."""
    await _ask_staff(update, context, StaffChangeKind.GRANT)


async def revoke_command(update: Update, context: Context) -> None:
    """/revoke <Telegram id>: asks [Yes] / [No] first."""
    await _ask_staff(update, context, StaffChangeKind.REVOKE)


async def _ask_staff(update: Update, context: Context, change: StaffChangeKind) -> None:
    found = await call(context, staff.may_change, presser_id(update), services(context).clock.now())
    if isinstance(found, Refusal):
        await refuse(update, context, found)
        return
    args = context.args or []
    if len(args) != 1 or not args[0].isascii() or not args[0].isdigit() or len(args[0]) > 18:
        await reply(update, context, words.grant_usage())
        return
    target = int(args[0])
    text = words.ask_grant(target) if change is StaffChangeKind.GRANT else words.ask_revoke(target)
    keys = InlineKeyboardMarkup(
        [
            [
                _button(words.yes(), StaffButton(change, target, YesNo.YES)),
                _button(words.no(), StaffButton(change, target, YesNo.NO)),
            ]
        ]
    )
    await reply(update, context, text, keys)


async def staff_button(update: Update, context: Context) -> None:
    """[Yes] / [No] under /grant or /revoke: the change, and the person's menu follows it."""
    pressed = await pressed_button(update, context, StaffButton)
    if pressed is None:
        return
    svc = services(context)
    now = svc.clock.now()
    if pressed.answer is YesNo.NO:
        found = await call(
            context, staff.may_change, presser_id(update), services(context).clock.now()
        )
        if isinstance(found, Refusal):
            await refuse(update, context, found)
        else:
            await show(update, context, words.cancelled())
        return
    fn = staff.grant if pressed.change is StaffChangeKind.GRANT else staff.revoke
    result = await call(context, fn, presser_id(update), pressed.telegram_id, now)
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    await show(update, context, _staff_text(result))
    if result.outcome is StaffOutcome.GRANTED:
        await menus.set_chat_menu(context, result.telegram_id)
        with contextlib.suppress(TelegramError):  # they may never have opened a chat with us
            await context.bot.send_message(result.telegram_id, words.now_admin())
    elif result.outcome is StaffOutcome.REVOKED:
        await menus.set_chat_menu(context, result.telegram_id)


def _staff_text(result: StaffChange) -> str:
    texts = {
        StaffOutcome.GRANTED: words.granted,
        StaffOutcome.ALREADY_ADMIN: words.already_admin,
        StaffOutcome.REVOKED: words.revoked,
        StaffOutcome.NOT_ADMIN: words.not_an_admin,
    }
    if result.outcome is StaffOutcome.LAST_ADMIN:
        return words.last_admin()
    return texts[result.outcome](result.telegram_id)
