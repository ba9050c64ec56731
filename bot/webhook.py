"""Webhook mode: Telegram POSTs each update to us instead of the bot polling for it.

``ldn-bot run`` uses this when WEBHOOK_URL is set (see docs/deploy.md). A reverse proxy
terminates TLS and forwards to the small aiohttp server here, which listens on 127.0.0.1 by
default.

Why not PTB's ``run_webhook``: it needs tornado (not a dependency), compares the secret token
with ``!=`` rather than in constant time, and logs whole update bodies at DEBUG. The server here
is a single aiohttp.web handler that takes every request, whatever its path or method. It checks
the ``X-Telegram-Bot-Api-Secret-Token`` header in constant time first (403 when wrong or missing,
before anything else is looked at), accepts only ``POST`` on the URL's path, limits the body to
1 MB, parses it with ``Update.de_json`` and puts the update on ``application.update_queue``, so
every handler, the per-chat ordering and the duplicate gate apply exactly as with polling. It
answers 200 as soon as the update is queued.

The Application runs the same lifecycle as ``run_polling``: initialize, post_init, setWebhook,
start … stop, post_stop, shutdown, post_shutdown; SIGTERM and SIGINT stop it. The server listens
before all that (a taken port fails at once) but answers 503 until the Application is running,
so Telegram re-sends rather than an update being accepted and then lost. Stopping closes the
server first and leaves the webhook registered on purpose: Telegram keeps queueing updates (up
to 24 h) and delivers them when the bot is back, as it does for getUpdates. The secret token is
never logged: no access log, and aiohttp's own error records keep only the exception's type.

Anyone who reaches the port can send requests, so what they cost is bounded: refused requests
(malformed HTTP included) are logged as at most one line a minute (``RefusalLog``), and at most
``MAX_CONNECTIONS`` connections are open at once (one more is answered 503 and closed).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from aiohttp import hdrs, web
from aiohttp.http_exceptions import HttpProcessingError
from telegram import Update
from telegram.error import BadRequest, NetworkError
from telegram.ext import ExtBot

from bot.app import BotApp
from bot.config import Settings

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # Telegram's updates are a few kB; 1 MB leaves ample room
MAX_HEADERS = 64
READ_TIMEOUT = 10.0  # seconds to receive the body once the headers are in
STOP_GRACE = 1.0  # seconds requests in flight get when stopping; then dropped (Telegram re-sends)
BOOTSTRAP_RETRIES = 3  # as `run_polling(bootstrap_retries=3)`; then systemd restarts us
BOOTSTRAP_DELAY = 1.0  # seconds before the first retry, doubled each time
# Telegram opens up to 40 connections at once (setWebhook's max_connections default); the rest
# is room for a proxy's own. One more is answered 503 and closed: Telegram tries again later.
MAX_CONNECTIONS = 100
SUMMARY_EVERY = 60.0  # seconds: refused requests are logged as at most one line this often
SUMMARY_KINDS = 5  # kinds of refusal named in one line; the rest are only counted


class WebhookError(Exception):
    """Webhook mode cannot start (port taken, URL refused); the message is safe to print."""


class _Refused(Exception):
    """Answer the request with this status and process nothing."""

    def __init__(self, status: HTTPStatus, why: str) -> None:
        super().__init__(why)
        self.status = status


class RefusalLog:
    """Refused requests, logged as at most one line every SUMMARY_EVERY seconds.

    The first refusal after a quiet minute is logged at once; the ones that follow within the
    minute are counted by kind and summed up in one line when it ends (or when the server stops).
    The line is a WARNING when it counts a wrong or missing secret (a probe, or a proxy that
    drops the header), INFO otherwise.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._counts: Counter[tuple[int, str]] = Counter()
        self._last: float | None = None  # when the last line was logged
        self._timer: asyncio.TimerHandle | None = None

    def count(self, status: HTTPStatus, why: str) -> None:
        self._counts[(status, why)] += 1
        now = self._clock()
        if self._last is None or now - self._last >= SUMMARY_EVERY:
            self.flush()
        elif self._timer is None:
            delay = self._last + SUMMARY_EVERY - now
            self._timer = asyncio.get_running_loop().call_later(delay, self.flush)

    def flush(self) -> None:
        """Log what was counted since the last line, as one line (none when nothing was)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._counts:
            return
        total = sum(self._counts.values())
        kinds = self._counts.most_common()
        named = ", ".join(f"{status} {why} ×{n}" for (status, why), n in kinds[:SUMMARY_KINDS])
        if len(kinds) > SUMMARY_KINDS:
            named += f", {len(kinds) - SUMMARY_KINDS} other kinds"
        forbidden = any(status == HTTPStatus.FORBIDDEN for status, _ in self._counts)
        level = logging.WARNING if forbidden else logging.INFO
        log.log(level, "webhook: refused %d request%s: %s", total, "" if total == 1 else "s", named)
        self._counts.clear()
        self._last = self._clock()


class _ServerLog(logging.LoggerAdapter[logging.Logger]):
    """aiohttp's own records about the server. A malformed request is the client's doing: it is
    counted with the refusals. Any other error keeps only the exception's type: aiohttp logs
    tracebacks, and a parse error quotes the request's bytes (the secret header among them)."""

    def __init__(self, refusals: RefusalLog) -> None:
        super().__init__(logging.getLogger(f"{__name__}.server"), {})
        self._refusals = refusals

    def log(self, level: int, msg: object, *args: Any, **kwargs: Any) -> None:
        exc_info = kwargs.pop("exc_info", None)
        error = sys.exc_info()[1] if exc_info is True else exc_info
        if isinstance(error, HttpProcessingError):
            self._refusals.count(HTTPStatus.BAD_REQUEST, f"malformed ({type(error).__name__})")
            return
        text = str(msg) % args if args else str(msg)
        if isinstance(error, BaseException):
            text = f"{text}: {type(error).__name__}"
        self.logger.log(level, "webhook: %s", text, **kwargs)


class _Counted(asyncio.Protocol):
    """A connection's protocol (aiohttp's), counted by its site while the connection is open."""

    def __init__(self, inner: asyncio.Protocol, site: _Site) -> None:
        self._inner = inner
        self._site = site

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._inner.connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        self._site.open_connections -= 1
        self._inner.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received()

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()


class _Full(asyncio.Protocol):
    """A connection over the limit: 503 and closed at once."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.WriteTransport)
        transport.write(
            b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
        )
        transport.close()


class _Site(web.BaseSite):
    """``web.TCPSite`` with at most MAX_CONNECTIONS connections open at once."""

    def __init__(self, runner: web.AppRunner, host: str, port: int, refusals: RefusalLog) -> None:
        super().__init__(runner)
        self._host = host
        self._port = port
        self._refusals = refusals
        self.open_connections = 0

    @property
    def name(self) -> str:
        return f"http://{self._host}:{self._port}"

    async def start(self) -> None:
        await super().start()
        self._server = await asyncio.get_running_loop().create_server(
            self._connection, self._host, self._port
        )

    def _connection(self) -> asyncio.Protocol:
        server = self._runner.server
        assert server is not None
        if self.open_connections >= MAX_CONNECTIONS:
            self._refusals.count(HTTPStatus.SERVICE_UNAVAILABLE, "too many connections")
            return _Full()
        self.open_connections += 1
        return _Counted(server(), self)


def webhook_path(url: str) -> str:
    """The request path Telegram will POST to: the path of WEBHOOK_URL ("/" when it has none)."""
    return urlsplit(url).path or "/"


class WebhookServer:
    """An aiohttp server that feeds authenticated Telegram updates to ``app``."""

    def __init__(self, app: BotApp, *, path: str, secret_token: str, host: str, port: int) -> None:
        self._app = app
        self._path = path
        self._secret = secret_token.encode()
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self.refusals = RefusalLog()

    @property
    def port(self) -> int:
        """The port actually listened on (useful when 0 asked for any free one)."""
        assert self._runner is not None, "not listening"
        return int(self._runner.addresses[0][1])

    async def start(self) -> None:
        server = web.Application(client_max_size=MAX_BODY)
        # One route for every path and method: the secret is checked before either is looked at.
        server.router.add_route("*", "/{any:.*}", self._handle, expect_handler=self._expect)
        runner = web.AppRunner(
            server,
            access_log=None,  # it would log paths and client details; refusals are logged here
            logger=_ServerLog(self.refusals),
            max_headers=MAX_HEADERS,
            shutdown_timeout=STOP_GRACE,
        )
        await runner.setup()
        try:
            await _Site(runner, self._host, self._port, self.refusals).start()
        except OSError as error:
            await runner.cleanup()
            raise WebhookError(
                f"cannot listen on {self._host}:{self._port} "
                f"(WEBHOOK_LISTEN/WEBHOOK_PORT): {error.strerror or error}"
            ) from None
        self._runner = runner
        log.info("webhook server listening on %s:%d", self._host, self.port)

    async def stop(self) -> None:
        """Stop accepting; requests still in flight get STOP_GRACE seconds to finish."""
        if self._runner is None:
            return
        await self._runner.cleanup()
        self._runner = None
        self.refusals.flush()
        log.info("webhook server stopped")

    async def _handle(self, request: web.Request) -> web.Response:
        try:
            self._check(request)
            async with asyncio.timeout(READ_TIMEOUT):
                body = await request.read()
            update = _parse_update(body, self._app)
        except _Refused as refused:
            return self._refusal(refused)
        except TimeoutError:
            return self._refusal(_Refused(HTTPStatus.REQUEST_TIMEOUT, "body not received in time"))
        except ConnectionError:  # the client went away mid-body; this answer goes nowhere
            return self._refusal(
                _Refused(HTTPStatus.BAD_REQUEST, "connection lost during the body")
            )
        if isinstance(self._app.bot, ExtBot):
            self._app.bot.insert_callback_data(update)  # as getUpdates does (no-op without cache)
        await self._app.update_queue.put(update)
        log.debug("webhook: update %d queued", update.update_id)
        return web.Response()

    async def _expect(self, request: web.Request) -> web.Response | None:
        """``Expect: 100-continue``: go on only for a request that will be read."""
        try:
            self._check(request)
        except _Refused as refused:
            return self._refusal(refused)
        if request.headers[hdrs.EXPECT].lower() == "100-continue":
            await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            request.writer.output_size = 0  # as aiohttp's own expect handler: no answer yet
        return None

    def _check(self, request: web.Request) -> None:
        """Raise ``_Refused`` unless the request's headers are those of an update to read."""
        # The secret first, on every request: strangers learn nothing about paths or methods.
        given = request.headers.getall(SECRET_HEADER, [])
        if len(given) > 1:
            raise _Refused(HTTPStatus.BAD_REQUEST, "repeated secret token header")
        token = given[0].encode(errors="surrogateescape") if given else b""
        if not given or not hmac.compare_digest(token, self._secret):
            raise _Refused(HTTPStatus.FORBIDDEN, "missing or wrong secret token")
        if request.raw_path != self._path:  # the target as sent, query included
            raise _Refused(HTTPStatus.NOT_FOUND, "not the webhook path")
        if request.method != "POST":
            raise _Refused(HTTPStatus.METHOD_NOT_ALLOWED, "only POST is accepted")
        if not self._app.running:
            # Starting or stopping: Telegram re-sends later, so no update is answered but lost.
            raise _Refused(HTTPStatus.SERVICE_UNAVAILABLE, "the bot is not running yet")
        if hdrs.TRANSFER_ENCODING in request.headers or request.content_length is None:
            raise _Refused(HTTPStatus.LENGTH_REQUIRED, "a Content-Length is required")
        if request.content_length > MAX_BODY:
            raise _Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body over 1 MB")

    def _refusal(self, refused: _Refused) -> web.Response:
        self.refusals.count(refused.status, str(refused))
        allow = {hdrs.ALLOW: "POST"} if refused.status == HTTPStatus.METHOD_NOT_ALLOWED else None
        return web.Response(status=refused.status, headers=allow)


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
