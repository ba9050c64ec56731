"""The ``ldn-bot`` command: ``ldn-bot run`` starts the bot; ``ldn-bot check-config`` checks .env."""

from __future__ import annotations

import argparse
import logging
import sys

from telegram import Update

from bot.config import ConfigError, Settings, load_settings
from scheduler.clock import SystemClock
from storage.db import AlreadyRunning, Store


class RedactToken(logging.Filter):
    """Defence in depth: never let the bot token reach a log line, whoever logs it."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self._token and self._token in record.getMessage():
            record.msg = record.getMessage().replace(self._token, "<token>")
            record.args = None
        return True


def configure_logging(config: Settings) -> None:
    logging.basicConfig(
        level=config.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL, and the URL contains the token.
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # PTB logs whole updates and request parameters (message contents) at DEBUG.
    logging.getLogger("telegram").setLevel(
        max(logging.INFO, logging.getLevelName(config.log_level))
    )
    redact = RedactToken(config.telegram_bot_token.get_secret_value())
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)


def run(config: Settings) -> int:
    from bot.app import build_application  # imports python-telegram-bot's whole stack

    try:
        store = Store(config.database_path)
    except AlreadyRunning as error:
        print(f"ldn-bot: {error}", file=sys.stderr)
        return 2
    try:
        app = build_application(config, store, SystemClock())
        # Never drop pending updates: they may hold dose confirmations.
        app.run_polling(
            allowed_updates=Update.ALL_TYPES, drop_pending_updates=False, bootstrap_retries=3
        )
    finally:
        store.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ldn-bot", description="LDN Companion Telegram bot")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot (long polling)")
    sub.add_parser("check-config", help="check the settings and exit")
    args = parser.parse_args(argv)
    try:
        config = load_settings()
    except ConfigError as error:
        print(f"ldn-bot: {error}", file=sys.stderr)
        return 2
    if args.command == "check-config":
        print("ldn-bot: configuration OK")
        return 0
    configure_logging(config)
    return run(config)


if __name__ == "__main__":
    sys.exit(main())
