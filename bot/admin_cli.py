"""``ldn-bot admin …``: the operator's commands for clinic staff work, safe while the bot runs.

    ldn-bot admin grant|revoke <telegram id>
    ldn-bot admin patients [--attention] [--page N]
    ldn-bot admin set-dose <patient> <mg> --reason TEXT [--confirm-above-4.5]
    ldn-bot admin pause|resume <patient>
    ldn-bot admin move-reminder <patient> <HH:MM>
    ldn-bot admin apply-template <template id> <patient>
    ldn-bot admin audit [--since YYYY-MM-DD] [--format csv|table]

<patient> is an alias (P-0042) or the number in it. Each command opens the database beside the
running bot (no instance lock), makes its change in one transaction with an audit entry (actor
"operator"), and then tells Telegram what follows from it: the patient is told what the clinic
changed, an admin's "/" menu is set or cleared. The running bot notices another process's
writes within seconds (``scheduler.wakeup.WATCH_EVERY``), so a changed reminder follows at once.
Bad input prints one line and exits 1 (2 when argparse cannot read the command line); a missing
database exits 2.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.config import Settings
from care import admin, admin_actions, clinic, staff
from care.admin import CLI
from care.admin_actions import AdminAction, Change, Done
from care.clinic import OPERATOR
from care.links import roles
from care.people import Refusal
from care.staff import StaffOutcome
from scheduler.clock import SystemClock
from storage.db import DatabaseUnusable, Store
from titration.errors import InputError

if TYPE_CHECKING:
    from telegram import Bot


class Usage(Exception):
    """Bad input: one line for the operator."""


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """``ldn-bot admin`` and its subcommands here; returns them, for others to add theirs."""
    parser = sub.add_parser("admin", help="clinic staff work: roles, patients, doses, the audit")
    cmds = parser.add_subparsers(dest="admin_command", required=True)
    for name in ("grant", "revoke"):
        one = cmds.add_parser(name, help=f"{name} the admin role")
        one.add_argument("telegram_id")
    patients = cmds.add_parser("patients", help="the patient overview, a page at a time")
    patients.add_argument("--attention", action="store_true", help="only those needing attention")
    patients.add_argument("--page", type=int, default=1)
    dose = cmds.add_parser("set-dose", help="set a patient's nightly dose")
    dose.add_argument("patient")
    dose.add_argument("dose")
    dose.add_argument("--reason", required=True, help="told to the patient")
    dose.add_argument("--confirm-above-4.5", dest="high", action="store_true")
    for name in ("pause", "resume"):
        cmds.add_parser(name, help=f"{name} a patient's reminders").add_argument("patient")
    move = cmds.add_parser("move-reminder", help="move a patient's nightly reminder time")
    move.add_argument("patient")
    move.add_argument("time", help="local time, HH:MM")
    apply = cmds.add_parser(
        "apply-template", help="a template's current version becomes a patient's plan (told)"
    )
    apply.add_argument("template", type=int)
    apply.add_argument("patient")
    audit = cmds.add_parser("audit", help="export the audit log")
    audit.add_argument("--since", default="1970-01-01", help="YYYY-MM-DD or an ISO 8601 instant")
    audit.add_argument("--format", choices=("csv", "table"), default="table")
    return cmds


def run(config: Settings, args: argparse.Namespace) -> int:
    if not config.database_path.exists():
        print(f"ldn-bot: no database at {config.database_path}", file=sys.stderr)
        return 2
    try:
        store = Store(config.database_path, exclusive=False)
    except DatabaseUnusable as error:
        print(f"ldn-bot: {error}", file=sys.stderr)
        return 2
    try:
        return _command(config, store, args)
    except Usage as error:
        print(f"ldn-bot: {error}", file=sys.stderr)
        return 1
    finally:
        store.close()


def _command(config: Settings, store: Store, args: argparse.Namespace) -> int:
    now = SystemClock().now()
    name = args.admin_command
    if name in ("grant", "revoke"):
        target = _telegram_id(args.telegram_id)
        fn = staff.grant_as_operator if name == "grant" else staff.revoke_as_operator
        change = store.run_sync(fn, target, now)
        messages = {
            StaffOutcome.GRANTED: f"{target} is now an admin",
            StaffOutcome.ALREADY_ADMIN: f"{target} is already an admin",
            StaffOutcome.REVOKED: f"{target} is no longer an admin",
        }
        if change.outcome is StaffOutcome.NOT_ADMIN:
            raise Usage(f"{target} is not an admin")
        if change.outcome is StaffOutcome.LAST_ADMIN:
            raise Usage(f"{target} is the last admin; grant the role to someone else first")
        if change.outcome in (StaffOutcome.GRANTED, StaffOutcome.REVOKED):
            from bot import menus  # python-telegram-bot only when Telegram is told something

            held = store.run_sync(roles, target)
            _telegram(config, lambda bot: menus.apply(bot, target, held))
        print(f"ldn-bot: {messages[change.outcome]}")
        return 0
    if name == "patients":
        return _patients(store, args, now)
    if name == "audit":
        return _audit(store, args, now)
    patient_id = admin.patient_id_of(args.patient)
    if patient_id is None:
        raise Usage(f"{args.patient!r} is not a patient alias (like P-0042)")
    if name == "apply-template":
        return _apply_template(config, store, args.template, patient_id, now)
    action = {"set-dose": AdminAction.DOSE, "move-reminder": AdminAction.TIME}.get(name)
    action = action or AdminAction(name)
    value, reason, high = None, None, False
    if action is AdminAction.TIME:
        try:
            value = admin_actions.read_value(AdminAction.TIME, args.time)
        except InputError:
            raise Usage(f"{args.time!r} is not a time of day (like 21:30)") from None
    if action is AdminAction.DOSE:
        reason, high = " ".join(args.reason.split()), args.high
        if not reason or len(reason) > admin_actions.MAX_REASON:
            raise Usage("--reason needs a short reason (1–300 characters)")
        try:
            value = admin_actions.read_value(AdminAction.DOSE, args.dose)
        except InputError as error:
            raise Usage(_dose_problem(args.dose, error)) from None
    result = store.run_sync(
        admin_actions.apply_as_operator, CLI, patient_id, action, value, reason, high, now
    )
    return _changed(config, args.patient, result)


def _apply_template(
    config: Settings, store: Store, template_id: int, patient_id: int, now: datetime
) -> int:
    """The template's current version: an update for a patient on an older one, a switch for
    anyone else. The patient is told as in chat."""
    done = store.run_sync(clinic.apply_template, OPERATOR, template_id, patient_id, now)
    if done is Refusal.NOT_YOURS:  # not on this template: switching to it
        done = store.run_sync(clinic.switch_template, OPERATOR, template_id, patient_id, now)
    if isinstance(done, Refusal):
        raise Usage(
            f"template {template_id} cannot be applied to {admin.alias(patient_id)}: it is not "
            "an active template, they are not enrolled, or they follow its current version"
        )
    from bot.handlers.clinic import tell_applied

    _telegram(config, lambda bot: tell_applied(bot, done))
    alias, version = admin.alias(patient_id), done.template.version
    print(f"ldn-bot: {alias} now follows template {template_id} (version {version})")
    return 0


def _changed(config: Settings, patient: str, result: Change | Refusal) -> int:
    if isinstance(result, Refusal):
        raise Usage(f"no enrolled patient {patient}")
    if result.outcome is Done.NEEDS_HIGH:
        raise Usage(f"{result.after} mg is above 4.5 mg: add --confirm-above-4.5 if it is meant")
    if result.outcome is Done.ALREADY:
        print(f"ldn-bot: {result.alias}: nothing to change")
        return 0
    from bot.handlers.admin_actions import tell_patient

    _telegram(config, lambda bot: tell_patient(bot, result))
    print(f"ldn-bot: {result.alias}: {result.action} {result.before} -> {result.after}")
    return 0


def _dose_problem(typed: str, error: InputError) -> str:
    if error.suggestion is not None:
        return f"{typed} mg is not a low dose; did you mean {error.suggestion}?"
    if error.problem == "not_a_low_dose":
        return f"{typed} mg is not a low dose (10 mg or more is refused)"
    if error.problem == "below_smallest_dose":
        return f"{typed} mg is below the smallest dose (0.1 mg)"
    return f"{typed!r} is not a dose in mg (like 2.5)"


def _telegram_id(text: str) -> int:
    if not text.isascii() or not text.isdigit() or len(text) > 18 or int(text) == 0:
        raise Usage(f"{text!r} is not a Telegram id (a positive number)")
    return int(text)


def _telegram(config: Settings, step: Callable[[Bot], Awaitable[None]]) -> None:
    """Tell Telegram what follows from the change (best effort: the change is saved anyway)."""

    from telegram import Bot

    async def go() -> None:
        base = (config.telegram_api_base_url or "https://api.telegram.org/bot").rstrip("/")
        bot = Bot(config.telegram_bot_token.get_secret_value(), base_url=base)
        async with bot:
            await step(bot)

    try:
        asyncio.run(go())
    except Exception as error:  # saved already: say only what could not be done
        print(
            f"ldn-bot: saved, but Telegram was not told ({type(error).__name__})", file=sys.stderr
        )


def _patients(store: Store, args: argparse.Namespace, now: datetime) -> int:
    if args.page < 1:
        raise Usage("--page counts from 1")
    found = store.run_sync(admin.overview_as_operator, args.page - 1, args.attention, now)
    if args.page > max(found.pages, 1):
        raise Usage(f"--page {args.page} is past the last page ({max(found.pages, 1)})")
    print(
        f"{'patient':<9} {'dose':>7} {'step':>4} {'taken 14d':>9}  {'last active (UTC)':<17}  signs"
    )
    for line in found.lines:
        dose = f"{line.dose_mg} mg" if line.dose_mg is not None else "-"
        percent = line.adherence.percent
        taken = f"{percent}%" if percent is not None else "-"
        seen = (
            line.last_activity.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
            if line.last_activity
            else "-"
        )
        flags = line.flags
        signs = [
            name
            for name, on in (
                ("urgent sign", flags.urgent),
                ("opioid", flags.opioid),
                ("severe", flags.severe),
                ("persistent", flags.persistent),
                (f"missed {flags.missed_run} in a row", flags.missed_run >= 2),
                ("unreachable", flags.unreachable),
                ("paused", flags.paused),
            )
            if on
        ]
        print(
            f"{line.alias:<9} {dose:>7} {line.step:>4} {taken:>9}  {seen:<17}  {', '.join(signs)}"
        )
    people = "patient" if found.total == 1 else "patients"
    print(f"page {found.page + 1} of {found.pages} · {found.total} {people}")
    return 0


COLUMNS = ("at", "actor_role", "actor_telegram_id", "action", "target", "before", "after", "detail")


def _audit(store: Store, args: argparse.Namespace, now: datetime) -> int:
    try:
        since = datetime.fromisoformat(args.since)
    except ValueError:
        raise Usage(f"--since {args.since!r} is not a date (YYYY-MM-DD)") from None
    since = since if since.tzinfo is not None else since.replace(tzinfo=UTC)
    entries = store.run_sync(admin.audit_since, since, now)
    if args.format == "csv":
        out = csv.writer(sys.stdout, lineterminator="\r\n")  # RFC 4180: CRLF, quoted as needed
        out.writerow(COLUMNS)
        for e in entries:
            out.writerow(
                [
                    e.at,
                    e.actor_role,
                    e.actor_telegram_id or "",
                    e.action,
                    e.target,
                    e.before,
                    e.after,
                    e.detail,
                ]
            )
        return 0
    for e in entries:
        change = f" {e.before} -> {e.after}" if e.before or e.after else ""
        print(f"{e.at} {e.actor_role} {e.actor_telegram_id or ''} {e.action} {e.target}{change}")
    return 0
