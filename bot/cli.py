"""The ``ldn-bot`` command: ``run`` starts the bot; ``init`` creates its database; ``check-db``
checks the database's pages; ``check-config`` checks .env; ``admin template|rules …``,
``backup`` and ``restore`` (``bot.cli_clinic``).

``run`` long-polls Telegram, or serves a webhook when WEBHOOK_URL is set (see docs/deploy.md).
Exit status 2 means a human must act first (a setting, a second instance, the database file),
so systemd does not restart (``RestartPreventExitStatus=2``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sqlite3
import sys
import time
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import BadRequest, NetworkError, TelegramError

from bot import admin_cli, cli_clinic
from bot.aiohttp_request import AiohttpRequest
from bot.config import ConfigError, Settings, load_settings
from bot.logs import configure_logging
from scheduler.clock import SystemClock
from storage.db import AlreadyRunning, DatabaseUnusable, Store, quick_check, unusable

TELEGRAM_API = "https://api.telegram.org"


def run(config: Settings) -> int:
    from bot.app import build_application  # imports python-telegram-bot's whole stack

    try:
        store = Store(config.database_path)
    except (AlreadyRunning, DatabaseUnusable) as error:
        print(f"ldn-bot: {error}", file=sys.stderr)
        return 2
    # A deleted or replaced database file: stop as `systemctl stop` would (both modes stop
    # cleanly on SIGTERM); the store has logged why.
    store.guard(lambda: os.kill(os.getpid(), signal.SIGTERM))
    try:
        app = build_application(config, store, SystemClock(), whole_process=True)
        if config.webhook_url:
            from bot.webhook import WebhookError, run_webhook

            try:
                run_webhook(app, config)
            except WebhookError as error:
                print(f"ldn-bot: {error}", file=sys.stderr)
                return 1
        else:
            # Never drop pending updates: they may hold dose confirmations. (Starting to poll
            # deletes any webhook left from webhook mode; pending updates are kept.)
            try:
                app.run_polling(
                    allowed_updates=Update.ALL_TYPES,
                    drop_pending_updates=False,
                    bootstrap_retries=3,
                    close_loop=False,
                )
            finally:
                _close_loop()
    except NetworkError as error:
        if isinstance(error, BadRequest):
            raise
        # No answer at all (no network, DNS, refused): not a refusal. Exit 1 so systemd's
        # Restart=on-failure tries again after RestartSec, with PTB's few retries in between.
        print(
            f"ldn-bot: cannot reach Telegram at {api_host(config)} ({type(error).__name__}); "
            "check the network; exiting so the service manager retries later",
            file=sys.stderr,
        )
        return 1
    except TelegramError as error:
        # PTB's messages can contain the token (InvalidToken): print only the kind of failure.
        print(
            f"ldn-bot: Telegram refused to start the bot ({type(error).__name__}); "
            "check TELEGRAM_BOT_TOKEN and TELEGRAM_API_BASE_URL",
            file=sys.stderr,
        )
        return 1
    except sqlite3.Error as error:  # start-up read a damaged page, or the like
        if store.lost is not None:
            return 2
        problem = unusable(config.database_path, error)
        if problem is None:
            raise
        print(f"ldn-bot: {problem}", file=sys.stderr)
        return 2
    finally:
        store.close()
    return 2 if store.lost is not None else 0


def _close_loop() -> None:
    """Close the HTTP sessions a failed start-up left open (no "Unclosed client session" at
    exit), then the event loop run_polling ran on."""
    loop = asyncio.get_event_loop()
    try:
        loop.run_until_complete(AiohttpRequest.close_all())
    finally:
        loop.close()


def api_host(config: Settings) -> str:
    """The Bot API server's host name, safe to print (no path, where a token could be)."""
    return urlsplit(config.telegram_api_base_url or TELEGRAM_API).hostname or "?"


def check_config(config: Settings) -> int:
    """The settings parsed (``load_settings``); now the database folder: exit 2 when the bot
    could not write its database there."""
    problem = database_folder_problem(config.database_path)
    if problem is not None:
        print(f"ldn-bot: DATABASE_PATH: {problem}", file=sys.stderr)
        return 2
    print("ldn-bot: configuration OK")
    return 0


def database_folder_problem(path: Path) -> str | None:
    """Why the bot could not create or write the database at ``path``, or None."""
    if path.exists():
        if path.is_dir():
            return f"{path} is a folder, not a database file"
        if not os.access(path, os.R_OK | os.W_OK):
            return f"{path} is not writable by this user"
    folder = path.parent
    while not folder.exists():  # the bot creates missing folders: look at the first that exists
        folder = folder.parent
    if not folder.is_dir():
        return f"{folder} is a file, so no database folder can be made under it"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"the folder {folder} is not writable by this user"
    return None


def init(config: Settings) -> int:
    """Create the database (even where one existed before); an existing one is left as it is."""
    try:
        store = Store(config.database_path, init=True)
    except (AlreadyRunning, DatabaseUnusable) as error:
        print(f"ldn-bot: {error}", file=sys.stderr)
        return 2
    store.close()
    if store.created:
        print(f"ldn-bot: created an empty database at {config.database_path}")
    else:
        print(f"ldn-bot: {config.database_path} already holds a database; left as it is")
    return 0


def check_db(config: Settings) -> int:
    """``PRAGMA quick_check`` of every page, read-only: safe while the bot runs."""
    path = config.database_path
    started = time.monotonic()
    try:
        problems = quick_check(path)
    except DatabaseUnusable as error:
        print(f"ldn-bot: {error}", file=sys.stderr)
        return 2
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        print(
            f"ldn-bot: {path} is damaged: {problems[0]}{more}; restore it from a backup "
            "(docs/deploy.md, Backups)",
            file=sys.stderr,
        )
        return 2
    print(f"ldn-bot: {path} is intact (quick_check ok in {time.monotonic() - started:.1f} s)")
    return 0


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a command line it cannot read gets one line (no usage block), exit 2;
    every subcommand's parser is one of these too (argparse makes them of the parent's class)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} -h)\n")


def main(argv: list[str] | None = None) -> int:
    parser: argparse.ArgumentParser = OneLineParser(
        prog="ldn-bot", description="LDN Companion Telegram bot"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot (long polling, or a webhook if WEBHOOK_URL is set)")
    sub.add_parser(
        "init", help="create an empty database (needed only where a database existed before)"
    )
    sub.add_parser("check-db", help="check every page of the database (safe while running)")
    sub.add_parser("check-config", help="check the settings and exit")
    # ``ldn-bot admin``: roles, patients, doses and the audit (admin_cli), templates and rules
    # (cli_clinic) share one subcommand.
    cli_clinic.add_admin_parsers(admin_cli.add_parser(sub))
    cli_clinic.add_backup_parsers(sub)
    args = parser.parse_args(argv)
    try:
        config = load_settings()
    except ConfigError as error:
        print(f"ldn-bot: {error}", file=sys.stderr)
        return 2
    if args.command == "check-config":
        return check_config(config)
    if args.command == "init":
        return init(config)
    if args.command == "check-db":
        return check_db(config)
    if args.command == "admin":
        if hasattr(args, "handler"):  # template … / rules …
            return cli_clinic.run_admin(args, config.database_path)
        return admin_cli.run(config, args)
    if args.command == "backup":
        return cli_clinic.run_backup(args.path, config.database_path)
    if args.command == "restore":
        return cli_clinic.run_restore(args.path, config.database_path)
    configure_logging(config)
    return run(config)


if __name__ == "__main__":
    sys.exit(main())
