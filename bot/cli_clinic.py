"""``ldn-bot admin template …``, ``ldn-bot admin rules …``, ``ldn-bot backup`` and ``ldn-bot
restore``: the clinic's templates and rules from the server's command line, and the database's
backups.

The admin subcommands open the database beside a running bot (no instance lock; SQLite's write
lock orders the writes) and go through ``care.clinic`` as the operator, so every change is
checked and audited as in chat. Output is a plain table; bad input exits 1 with one line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from care import clinic
from care.clinic import OPERATOR, Field, Outcome, TemplateResult
from care.people import Refusal
from storage import backup as backups
from storage.db import AlreadyRunning, DatabaseUnusable, Store
from titration.clinic_rules import NAMES, RANGES
from titration.templates import steps_text

Handler = Callable[[argparse.Namespace, Path], int]


def add_admin_parsers(admin: Any) -> None:
    """``template`` and ``rules`` under ``ldn-bot admin`` (``admin`` is its subparsers)."""
    template = admin.add_parser("template", help="clinic plan templates").add_subparsers(
        dest="action", required=True
    )
    listing = template.add_parser("list", help="list templates")
    listing.add_argument("--all", action="store_true", help="retired ones too")
    listing.set_defaults(handler=template_list)
    create = template.add_parser("create", help="create a template")
    create.add_argument("name")
    create.add_argument("--plan", required=True, help='"0.5+0.5x14 to 4.5" or "0.5x14 1x14 4.5"')
    create.add_argument("--form", default="capsule", help='"capsule" or "liquid 1 mg/ml"')
    create.add_argument("--bedtime", help="default bedtime HH:MM")
    create.add_argument("--checkin", help="default check-in time HH:MM")
    create.add_argument("--nudge", help="minutes after bedtime before the nudge (15-360)")
    create.add_argument("--confirm-high-target", action="store_true", help="target above 4.5 mg")
    create.set_defaults(handler=template_create)
    edit = template.add_parser("edit", help="change one part of a template")
    edit.add_argument("id", type=int)
    edit.add_argument("field", choices=[f.value for f in Field])
    edit.add_argument("value")
    edit.add_argument("--confirm-high-target", action="store_true")
    edit.set_defaults(handler=template_edit)
    retire = template.add_parser("retire", help="retire a template (running plans go on)")
    retire.add_argument("id", type=int)
    retire.set_defaults(handler=template_retire)
    link = template.add_parser("link", help="a new enrolment link for a template")
    link.add_argument("id", type=int)
    link.add_argument("--bot-username", help="the bot's @username, for the full t.me link")
    link.set_defaults(handler=template_link)
    rules = admin.add_parser("rules", help="the clinic's schedule rules").add_subparsers(
        dest="action", required=True
    )
    rules.add_parser("list", help="every rule and its value").set_defaults(handler=rules_list)
    setting = rules.add_parser("set", help="change one rule")
    setting.add_argument("name", choices=NAMES)
    setting.add_argument("value")
    setting.set_defaults(handler=rules_set)


def add_backup_parsers(sub: Any) -> None:
    backup = sub.add_parser("backup", help="a consistent copy of the database (safe while running)")
    backup.add_argument("path", type=Path)
    restore = sub.add_parser("restore", help="put a backup in place (the bot must be stopped)")
    restore.add_argument("path", type=Path)


def fail(message: str) -> int:
    print(f"ldn-bot: {message}", file=sys.stderr)
    return 1


def table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows, strict=True)]
    for row in [header, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def run_admin(args: argparse.Namespace, database: Path) -> int:
    if not database.is_file():
        print(f"ldn-bot: no database at {database}; start the bot once first", file=sys.stderr)
        return 2
    handler: Handler = args.handler
    return handler(args, database)


def _with_db(database: Path, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    try:
        store = Store(database, exclusive=False)
    except DatabaseUnusable as error:
        raise SystemExit(fail(str(error))) from None
    try:
        return store.run_sync(fn, *args, **kwargs)
    finally:
        store.close()


def _now() -> datetime:
    return datetime.now(UTC)


def template_list(args: argparse.Namespace, database: Path) -> int:
    listed = _with_db(database, clinic.list_templates, OPERATOR, _now(), retired=args.all)
    assert not isinstance(listed, Refusal)
    rows = [
        [
            str(item.stored.id),
            item.stored.template.name,
            steps_text(item.stored.template.plan),
            _form(item.stored),
            f"{item.stored.template.bedtime:%H:%M}",
            f"{item.stored.template.checkin_time:%H:%M}",
            str(item.stored.template.nudge_minutes or "rule"),
            item.stored.status,
            str(item.stored.version),
            str(item.followers),
        ]
        for item in listed
    ]
    header = [
        "id",
        "name",
        "plan",
        "form",
        "bedtime",
        "checkin",
        "nudge",
        "status",
        "v",
        "patients",
    ]
    table(header, rows)
    return 0


def _form(stored: Any) -> str:
    t = stored.template
    return f"liquid {t.mg_per_ml} mg/ml" if t.mg_per_ml is not None else "capsule"


def _problem(result: TemplateResult) -> int:
    if result.outcome is Outcome.NOT_FOUND:
        return fail("no such template (or it is retired)")
    assert result.problem is not None
    detail = f" ({result.value})" if result.value is not None else ""
    return fail(f"template not saved: {CLI_PROBLEMS[result.problem]}{detail}")


CLI_PROBLEMS = {
    "name_empty": "the name is empty",
    "name_too_long": "the name is longer than 40 characters",
    "name_taken": "another template in use has this name",
    "plan_unreadable": 'cannot read the plan; write "0.5+0.5x14 to 4.5" or "0.5x14 1x14 4.5"',
    "dose_too_small": "a dose is below 0.1 mg",
    "not_a_low_dose": "a dose of 10 mg or more is not a low dose",
    "step_out_of_range": "the step must be 0.1-1.5 mg",
    "nights_out_of_range": "nights per step must be 3-28",
    "nights_missing": "every step before the last needs its nights, like 0.5x14",
    "not_rising": "the doses of a step list must go up",
    "start_above_target": "the start dose is above the target",
    "target_needs_confirmation": "a target above 4.5 mg needs --confirm-high-target",
    "form_unreadable": 'the form is "capsule" or "liquid <mg> mg/ml"',
    "concentration_out_of_range": "a liquid's strength must be 0.1-10 mg/ml",
    "bad_time": "times are HH:MM",
    "nudge_out_of_range": "the nudge is 15-360 minutes",
}


def template_create(args: argparse.Namespace, database: Path) -> int:
    extras = {
        field: value
        for field, value in (
            (Field.BEDTIME, args.bedtime),
            (Field.CHECKIN, args.checkin),
            (Field.NUDGE, args.nudge),
        )
        if value is not None
    }
    result = _with_db(
        database,
        clinic.create_template,
        OPERATOR,
        args.name,
        args.plan,
        args.form,
        _now(),
        confirmed=args.confirm_high_target,
        extras=extras,
        hold_unconfirmed=False,
    )
    if result.outcome is Outcome.REJECTED:
        return _problem(result)
    print(f"template {result.stored.id} created: {steps_text(result.stored.template.plan)}")
    return 0


def template_edit(args: argparse.Namespace, database: Path) -> int:
    result = _with_db(
        database,
        clinic.edit_template,
        OPERATOR,
        args.id,
        Field(args.field),
        args.value,
        _now(),
        confirmed=args.confirm_high_target,
    )
    if result.outcome is not Outcome.SAVED:
        return _problem(result)
    print(
        f"template {args.id} is now version {result.stored.version}; "
        f"{result.followers} running plan(s) keep the earlier version until applied"
    )
    return 0


def template_retire(args: argparse.Namespace, database: Path) -> int:
    result = _with_db(database, clinic.retire_template, OPERATOR, args.id, _now())
    if result.outcome is not Outcome.RETIRED:
        return _problem(result)
    print(
        f"template {args.id} retired; its links no longer enrol; {result.followers} plan(s) go on"
    )
    return 0


def template_link(args: argparse.Namespace, database: Path) -> int:
    code = _with_db(database, clinic.make_link, OPERATOR, args.id, _now())
    if not isinstance(code, str):
        return _problem(code)
    name = (args.bot_username or "<bot username>").lstrip("@")
    print(f"https://t.me/{name}?start={code}")
    return 0


def rules_list(args: argparse.Namespace, database: Path) -> int:
    rules = _with_db(database, clinic.rules_in_force, OPERATOR, _now())
    rows = [
        [name, str(getattr(rules, name)), f"{RANGES[name][0]}-{RANGES[name][1]}"] for name in NAMES
    ]
    table(["rule", "value", "range"], rows)
    return 0


RULE_PROBLEMS = {
    "unknown": "no such rule",
    "not_a_number": "the value must be a whole number",
    "out_of_range": "the value is out of range (see `ldn-bot admin rules list`)",
    "reports_above_window": "frequent_reports cannot exceed frequent_window",
    "nudge_after_missed": "the nudge must come before the night counts as missed",
}


def rules_set(args: argparse.Namespace, database: Path) -> int:
    result = _with_db(database, clinic.set_rule, OPERATOR, args.name, args.value, _now())
    if result.problem is not None:
        return fail(f"{args.name} not changed: {RULE_PROBLEMS[result.problem]}")
    print(f"{args.name}: {result.before} -> {result.after}")
    return 0


def run_backup(path: Path, database: Path) -> int:
    try:
        size = backups.backup(database, path)
    except backups.BackupError as error:
        return fail(f"backup failed: {error}")
    print(f"ldn-bot: backed up {database} to {path} ({size} bytes, checked)")
    return 0


def run_restore(path: Path, database: Path) -> int:
    try:
        kept = backups.restore(path, database)
    except AlreadyRunning:
        print(
            f"ldn-bot: a bot is running on {database}; stop it first "
            "(systemctl stop ldn-companion)",
            file=sys.stderr,
        )
        return 2
    except backups.BackupError as error:
        return fail(f"restore refused: {error}")
    before = f"; the previous file is kept as {kept}" if kept else ""
    print(f"ldn-bot: restored {database} from {path}{before}")
    return 0
