"""The ``ldn-bot`` command: ``ldn-bot run`` starts the bot; ``ldn-bot check-config`` checks .env.

``run`` long-polls Telegram, or serves a webhook when WEBHOOK_URL is set (see docs/deploy.md).
"""

from __future__ import annotations

import argparse
import sys

from telegram import Update
from telegram.error import TelegramError

from bot.config import ConfigError, Settings, load_settings
from bot.logs import configure_logging
from scheduler.clock import SystemClock
from storage.db import AlreadyRunning, Store


def run(config: Settings) -> int:
    from bot.app import build_application  # imports python-telegram-bot's whole stack

    try:
        store = Store(config.database_path)
    except AlreadyRunning as error:
        print(f"ldn-bot: {error}", file=sys.stderr)
        return 2
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
            app.run_polling(
                allowed_updates=Update.ALL_TYPES, drop_pending_updates=False, bootstrap_retries=3
            )
    except TelegramError as error:
        # PTB's messages can contain the token (InvalidToken): print only the kind of failure.
        print(
            f"ldn-bot: Telegram refused to start the bot ({type(error).__name__}); "
            "check TELEGRAM_BOT_TOKEN and TELEGRAM_API_BASE_URL",
            file=sys.stderr,
        )
        return 1
    finally:
        store.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ldn-bot", description="LDN Companion Telegram bot")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot (long polling, or a webhook if WEBHOOK_URL is set)")
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
