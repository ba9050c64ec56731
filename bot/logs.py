"""Logging set-up: ids and exception types only; never tokens or message contents."""

from __future__ import annotations

import logging

from bot.config import Settings


class RedactToken(logging.Filter):
    """Defence in depth: never let the bot token reach a log line, whoever logs it."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self._token and self._token in record.getMessage():
            record.msg = record.getMessage().replace(self._token, "<token>")
            record.args = None
        if record.exc_info and not record.exc_text:
            # Tracebacks carry exception messages (PTB's InvalidToken names the token).
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if self._token and record.exc_text and self._token in record.exc_text:
            record.exc_text = record.exc_text.replace(self._token, "<token>")
        return True


def quiet_libraries(level: str) -> None:
    """Keep library loggers that print secrets or message contents above the levels that do."""
    # httpx logs every request URL, and the URL contains the token.
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # PTB logs whole updates and request parameters (message contents) at DEBUG.
    numeric = logging.getLevelNamesMapping()[level]
    logging.getLogger("telegram").setLevel(max(logging.INFO, numeric))


def configure_logging(config: Settings) -> None:
    logging.basicConfig(
        level=config.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    quiet_libraries(config.log_level)
    redact = RedactToken(config.telegram_bot_token.get_secret_value())
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
