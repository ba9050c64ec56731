"""Logging set-up: ids and exception types only; never tokens or message contents."""

from __future__ import annotations

import logging

from telegram.error import NetworkError

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


class DropResponseBody(logging.Filter):
    """PTB logs a response body it cannot parse as JSON verbatim, at ERROR
    (``telegram.request.BaseRequest``: ``Can not load invalid JSON data: "<body>"``). A cut-off
    answer to sendMessage echoes the message text, so keep the fact of the failure and its
    exception (a position in the body, no contents), and drop the body."""

    LOGGER = "telegram.request.BaseRequest"
    MESSAGE = "Can not load invalid JSON data"

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith(self.MESSAGE):
            body = record.args[0] if isinstance(record.args, tuple) and record.args else ""
            record.msg = self.MESSAGE + " (%d characters, not logged)"
            record.args = (len(str(body)),)
        return True


_DROP_RESPONSE_BODY = DropResponseBody()


class NetworkRetryOneLine(logging.Filter):
    """PTB's start-up retry loop logs each failure with the whole traceback (about 90 lines
    when the network is down, before ``ldn-bot run`` says so in one line). A network failure
    there is an expected condition: keep the line, name the exception, drop the traceback."""

    LOGGER = "telegram.ext"
    MESSAGE = "Network Retry Loop"

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        message = record.getMessage()
        if isinstance(error, NetworkError) and message.startswith(self.MESSAGE):
            record.msg = "%s (%s: %s)"
            record.args = (message, type(error).__name__, error)
            record.exc_info = None
            record.exc_text = None
        return True


_NETWORK_RETRY_ONE_LINE = NetworkRetryOneLine()


def quiet_libraries(level: str) -> None:
    """Keep library loggers that print secrets or message contents above the levels that do."""
    # httpx logs every request URL, and the URL contains the token.
    for noisy in ("aiohttp", "httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    numeric = logging.getLevelNamesMapping()[level]
    # matplotlib and Pillow (the charts) log every font they score and every PNG chunk at DEBUG.
    for chatty in ("matplotlib", "PIL"):
        logging.getLogger(chatty).setLevel(max(logging.INFO, numeric))
    # PTB logs whole updates and request parameters (message contents) at DEBUG.
    logging.getLogger("telegram").setLevel(max(logging.INFO, numeric))
    # ... and an unparsable response body at ERROR (idempotent: addFilter skips a repeat).
    logging.getLogger(DropResponseBody.LOGGER).addFilter(_DROP_RESPONSE_BODY)
    # ... and a traceback for every failed try while the network is down at start-up.
    logging.getLogger(NetworkRetryOneLine.LOGGER).addFilter(_NETWORK_RETRY_ONE_LINE)


def configure_logging(config: Settings) -> None:
    logging.basicConfig(
        level=config.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    quiet_libraries(config.log_level)
    redact = RedactToken(config.telegram_bot_token.get_secret_value())
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
