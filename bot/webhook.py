"""Webhook mode: Telegram POSTs each update to us instead of the bot polling for it.

``ldn-bot run`` uses this when WEBHOOK_URL is set (see docs/deploy.md). A reverse proxy
terminates TLS and forwards to the small HTTP server here, which listens on 127.0.0.1 by default.

Why not PTB's ``run_webhook``: it needs tornado (not a dependency), compares the secret token
with ``!=`` rather than in constant time, and logs whole update bodies at DEBUG. The server here
uses only the standard library and does one thing: for every request it checks the
``X-Telegram-Bot-Api-Secret-Token`` header in constant time (403 when wrong or missing, before
anything else is looked at), accepts only ``POST`` on the URL's path, limits the body to 1 MB,
parses it with ``Update.de_json`` and puts the update on ``application.update_queue``, so every
handler, the per-chat ordering and the duplicate gate apply exactly as with polling. It answers
200 as soon as the update is queued. One request per connection (``Connection: close``); the
proxy in front keeps Telegram's connections alive.

The Application runs the same lifecycle as ``run_polling``: initialize, post_init, setWebhook,
start … stop, post_stop, shutdown, post_shutdown; SIGTERM and SIGINT stop it. The server listens
before all that (a taken port fails at once) but answers 503 until the Application is running,
so Telegram re-sends rather than an update being accepted and then lost. Stopping closes the
server first and leaves the webhook registered on purpose: Telegram keeps queueing updates (up
to 24 h) and delivers them when the bot is back, as it does for getUpdates. The secret token is
never logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import BadRequest, NetworkError
from telegram.ext import ExtBot

from bot.app import BotApp
from bot.config import Settings

log = logging.getLogger(__name__)

SECRET_HEADER = b"x-telegram-bot-api-secret-token"
MAX_BODY = 1024 * 1024  # Telegram's updates are a few kB; 1 MB leaves ample room
MAX_LINE = 8 * 1024  # request line or one header line
MAX_HEADERS = 64
READ_TIMEOUT = 10.0  # seconds to receive a whole request
BOOTSTRAP_RETRIES = 3  # as `run_polling(bootstrap_retries=3)`; then systemd restarts us
BOOTSTRAP_DELAY = 1.0  # seconds before the first retry, doubled each time
_SINGLE = (b"content-length", b"transfer-encoding", SECRET_HEADER)


class WebhookError(Exception):
    """Webhook mode cannot start (port taken, URL refused); the message is safe to print."""


class _Refused(Exception):
    """Answer the request with this status and process nothing."""

    def __init__(self, status: HTTPStatus, why: str) -> None:
        super().__init__(why)
        self.status = status


def webhook_path(url: str) -> str:
    """The request path Telegram will POST to: the path of WEBHOOK_URL ("/" when it has none)."""
    return urlsplit(url).path or "/"


class WebhookServer:
    """A minimal HTTP/1.1 server that feeds authenticated Telegram updates to ``app``."""

    def __init__(self, app: BotApp, *, path: str, secret_token: str, host: str, port: int) -> None:
        self._app = app
        self._path = path.encode()
        self._secret = secret_token.encode()
        self._host = host
        self._port = port
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[object]] = set()

    @property
    def port(self) -> int:
        """The port actually listened on (useful when 0 asked for any free one)."""
        assert self._server is not None, "not listening"
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        try:
            self._server = await asyncio.start_server(
                self._connection, self._host, self._port, limit=MAX_LINE
            )
        except OSError as error:
            raise WebhookError(
                f"cannot listen on {self._host}:{self._port} "
                f"(WEBHOOK_LISTEN/WEBHOOK_PORT): {error.strerror or error}"
            ) from None
        log.info("webhook server listening on %s:%d", self._host, self.port)

    async def stop(self) -> None:
        """Stop accepting; drop requests still in flight (Telegram re-sends unanswered ones)."""
        if self._server is None:
            return
        self._server.close()
        for task in self._connections:
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        await self._server.wait_closed()
        self._server = None
        log.info("webhook server stopped")

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            status = await self._answer(reader, writer)
            if status is not None:
                await _respond(writer, status)
        except ConnectionError:
            pass  # the client went away before reading the answer
        except Exception as error:  # a bug here must not kill the server or log the update
            log.error("webhook: 500 %s", type(error).__name__)
            with contextlib.suppress(ConnectionError):
                await _respond(writer, HTTPStatus.INTERNAL_SERVER_ERROR)
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
            self._connections.discard(task)

    async def _answer(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> HTTPStatus | None:
        """Read one request and act on it; the status to answer (None: the client sent nothing)."""
        try:
            async with asyncio.timeout(READ_TIMEOUT):
                update = await self._read_update(reader, writer)
        except _Refused as refused:
            level = logging.WARNING if refused.status == HTTPStatus.FORBIDDEN else logging.INFO
            log.log(level, "webhook: %d %s", refused.status, refused)
            return refused.status
        except TimeoutError:
            log.info("webhook: 408 request not received within %.0f s", READ_TIMEOUT)
            return HTTPStatus.REQUEST_TIMEOUT
        except asyncio.LimitOverrunError:
            log.info("webhook: 431 request line or header too long")
            return HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
        except asyncio.IncompleteReadError:
            return None  # the client closed the connection before sending a whole request
        if isinstance(self._app.bot, ExtBot):
            self._app.bot.insert_callback_data(update)  # as getUpdates does (no-op without cache)
        await self._app.update_queue.put(update)
        log.debug("webhook: update %d queued", update.update_id)
        return HTTPStatus.OK

    async def _read_update(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> Update:
        method, target = _request_line(await reader.readuntil(b"\r\n"))
        headers = await _headers(reader)
        # The secret first, on every request: strangers learn nothing about paths or methods.
        given = headers.get(SECRET_HEADER)
        if given is None or not hmac.compare_digest(given, self._secret):
            raise _Refused(HTTPStatus.FORBIDDEN, "missing or wrong secret token")
        if target != self._path:
            raise _Refused(HTTPStatus.NOT_FOUND, "not the webhook path")
        if method != b"POST":
            raise _Refused(HTTPStatus.METHOD_NOT_ALLOWED, "only POST is accepted")
        if not self._app.running:
            # Starting or stopping: Telegram re-sends later, so no update is answered but lost.
            raise _Refused(HTTPStatus.SERVICE_UNAVAILABLE, "the bot is not running yet")
        if b"transfer-encoding" in headers or b"content-length" not in headers:
            raise _Refused(HTTPStatus.LENGTH_REQUIRED, "a Content-Length is required")
        length = headers[b"content-length"]
        if not length.isdigit():
            raise _Refused(HTTPStatus.BAD_REQUEST, "malformed Content-Length")
        if len(length) > len(str(MAX_BODY)) or int(length) > MAX_BODY:
            raise _Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body over 1 MB")
        if headers.get(b"expect", b"").lower() == b"100-continue":
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        body = await reader.readexactly(int(length))
        return _parse_update(body, self._app)


def _request_line(line: bytes) -> tuple[bytes, bytes]:
    parts = line.rstrip(b"\r\n").split(b" ")
    if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
        raise _Refused(HTTPStatus.BAD_REQUEST, "malformed request line")
    return parts[0], parts[1]


async def _headers(reader: asyncio.StreamReader) -> dict[bytes, bytes]:
    headers: dict[bytes, bytes] = {}
    for _ in range(MAX_HEADERS + 1):
        line = (await reader.readuntil(b"\r\n"))[:-2]
        if not line:
            return headers
        name, colon, value = line.partition(b":")
        name = name.lower()
        if not colon or not name or name != name.strip():
            raise _Refused(HTTPStatus.BAD_REQUEST, "malformed header")
        if name in _SINGLE and name in headers:
            raise _Refused(HTTPStatus.BAD_REQUEST, "repeated header")
        headers[name] = value.strip(b" \t")
    raise _Refused(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "too many headers")


def _parse_update(body: bytes, app: BotApp) -> Update:
    """The update in ``body``; its contents are never logged (they are health data)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise _Refused(HTTPStatus.BAD_REQUEST, "body is not JSON") from None
    update_id = data.get("update_id") if isinstance(data, dict) else None
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        raise _Refused(HTTPStatus.BAD_REQUEST, "body is not a Telegram update")
    try:
        return Update.de_json(data, app.bot)
    except Exception as error:
        raise _Refused(
            HTTPStatus.BAD_REQUEST, f"update {update_id} unreadable: {type(error).__name__}"
        ) from None


async def _respond(writer: asyncio.StreamWriter, status: HTTPStatus) -> None:
    allow = b"Allow: POST\r\n" if status == HTTPStatus.METHOD_NOT_ALLOWED else b""
    writer.write(
        b"HTTP/1.1 %d %s\r\nContent-Length: 0\r\n%sConnection: close\r\n\r\n"
        % (status.value, status.phrase.encode(), allow)
    )
    await writer.drain()


# The Application's lifecycle --------------------------------------------------------------------


async def serve(
    app: BotApp,
    config: Settings,
    stopping: asyncio.Event,
    *,
    running: asyncio.Event | None = None,
) -> None:
    """Run the bot in webhook mode until ``stopping`` is set, then stop it cleanly.

    ``running``, if given, is set once updates are being accepted.
    """
    assert config.webhook_url is not None and config.webhook_secret_token is not None
    url, secret = config.webhook_url, config.webhook_secret_token.get_secret_value()
    server = WebhookServer(
        app,
        path=webhook_path(url),
        secret_token=secret,
        host=config.webhook_listen,
        port=config.webhook_port,
    )
    await server.start()  # first: a taken port fails fast, before anything has started
    try:
        await _bootstrap(app.initialize, "initialize")
        if app.post_init is not None:
            await app.post_init(app)

        async def register() -> None:
            # Never drop pending updates: they may hold dose confirmations.
            await app.bot.set_webhook(
                url,
                secret_token=secret,
                allowed_updates=Update.ALL_TYPES,
                drop_pending_updates=False,
            )

        try:
            await _bootstrap(register, "setWebhook")
        except BadRequest as error:
            raise WebhookError(f"Telegram refused WEBHOOK_URL: {error.message}") from None
        log.info("webhook registered; Telegram posts to %s", url)
        await app.start()
        if running is not None:
            running.set()
        await stopping.wait()
    finally:
        # Same order as run_polling. The webhook stays registered: Telegram keeps queueing.
        await server.stop()
        if app.running:
            await app.stop()
            if app.post_stop is not None:
                await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


async def _bootstrap(action: Callable[[], Awaitable[object]], what: str) -> None:
    """``action``, retried a few times on network errors (not on refusals such as 400/401)."""
    delay = BOOTSTRAP_DELAY
    for attempt in range(BOOTSTRAP_RETRIES + 1):
        try:
            await action()
            return
        except BadRequest:
            raise
        except NetworkError as error:
            if attempt == BOOTSTRAP_RETRIES:
                raise
            log.warning("%s failed (%s); retrying in %.0f s", what, type(error).__name__, delay)
        await asyncio.sleep(delay)
        delay *= 2


def run_webhook(app: BotApp, config: Settings) -> None:
    """Blocking: serve webhook updates until SIGTERM or SIGINT."""
    asyncio.run(_serve_until_signal(app, config))


async def _serve_until_signal(app: BotApp, config: Settings) -> None:
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    await serve(app, config, stopping)
