"""Webhook mode against the emulator: the test plays Telegram and POSTs updates to the bot.

The emulator records setWebhook (url, secret); the bot's replies still go to the emulator.
In-process tests drive ``bot.webhook.serve``; the last ones run the real ``ldn-bot run``.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
from collections.abc import AsyncIterator
from http import HTTPStatus
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot import webhook
from bot.app import BotApp, build_application
from bot.config import ConfigError, Settings, load_settings
from bot.logs import quiet_libraries
from bot.updates import PerChatUpdateProcessor, Watermark
from bot.webhook import WebhookError, WebhookServer, serve
from storage.db import Store
from tests.clock import FakeClock
from tests.conftest import NEVER_LOGGED
from tests.e2e.harness import START
from tests.e2e.test_cli import env_for, ldn_bot
from tests.emulator import BotApiEmulator
from tests.faults.locking import OutsideWriter

pytestmark = pytest.mark.e2e

ANA, BEN = 1001, 1002
SECRET = "wh-Secret_0123456789-abcdefXYZ"
URL = "https://bot.example.org/tg/hook"
PATH = "/tg/hook"
CONSENT = "Is it OK to store"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class WebhookBot:
    """The real application in webhook mode, in this process, and a client playing Telegram."""

    def __init__(self, emu: BotApiEmulator, db_path: Path) -> None:
        self.emu = emu
        self.port = free_port()
        self.settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            telegram_bot_token=emu.token,  # type: ignore[arg-type]
            telegram_api_base_url=emu.base_url,
            database_path=db_path,
            webhook_url=URL,
            webhook_secret_token=SECRET,  # type: ignore[arg-type]
            webhook_port=self.port,
        )
        self.store = Store(db_path)
        quiet_libraries("DEBUG")  # as ldn-bot run does (before PTB logs), at its most talkative
        self.app: BotApp = build_application(self.settings, self.store, FakeClock(START))
        processor = self.app.update_processor
        assert isinstance(processor, PerChatUpdateProcessor)
        processor.on_done = self._done
        self.done: list[int] = []  # update ids, once per pass through the handlers
        self.posted: set[int] = set()
        self.stopping = asyncio.Event()
        self.client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{self.port}")
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        running = asyncio.Event()
        task = asyncio.create_task(serve(self.app, self.settings, self.stopping, running=running))
        self.task = task
        waiter = asyncio.create_task(running.wait())
        try:
            await asyncio.wait([task, waiter], timeout=10, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
        if task.done():
            self.task = None
            task.result()  # start-up failed: raise its error here
        assert running.is_set(), "the webhook bot did not start within 10 s"

    async def stop(self) -> None:
        self.stopping.set()
        try:
            if self.task is not None:
                await self.task
        finally:
            await self.client.aclose()
            self.store.close()

    def _done(self, update: object) -> None:
        self.done.append(getattr(update, "update_id", -1))
        self.emu.notify()

    async def post(
        self,
        update: dict[str, Any] | None = None,
        *,
        secret: str | None = SECRET,
        method: str = "POST",
        path: str = PATH,
        content: bytes | None = None,
    ) -> httpx.Response:
        """One request, as Telegram would send it (secret header unless ``secret`` is None)."""
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        if update is not None:
            return await self.client.request(method, path, json=update, headers=headers)
        return await self.client.request(method, path, content=content, headers=headers)

    async def deliver(self) -> None:
        """Telegram's part: POST every update the emulator queued that was not yet POSTed."""
        for update in list(self.emu.state.updates):
            if update["update_id"] not in self.posted:
                self.posted.add(update["update_id"])
                assert (await self.post(update)).status_code == 200

    async def handled(self, update_id: int, times: int = 1) -> None:
        await self.emu.wait_for(
            lambda: self.done.count(update_id) >= times, what=f"update {update_id} handled"
        )


@pytest.fixture
async def hook(
    emu: BotApiEmulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[WebhookBot]:
    caplog.set_level(logging.DEBUG)
    bot = WebhookBot(emu, tmp_path / "ldn.db")
    try:
        await bot.start()
        yield bot
    finally:
        await bot.stop()
    never = (SECRET, emu.token.split(":", 1)[1], *NEVER_LOGGED)
    # Every phase (caplog.records alone holds only this teardown's), tracebacks included.
    records = [*caplog.get_records("setup"), *caplog.get_records("call"), *caplog.records]
    lines = "\n".join(logging.Formatter().format(record) for record in records).splitlines()
    leaked = [line for line in lines if any(s in line for s in never)]
    assert leaked == [], "secrets or message contents were logged"


async def test_start_over_the_webhook_gets_the_consent_message(
    hook: WebhookBot, emu: BotApiEmulator
) -> None:
    assert emu.webhook_url == URL
    assert emu.webhook_secret_token == SECRET
    registered = emu.calls_to("setWebhook")[-1].params
    assert registered.get("drop_pending_updates") in (None, False)
    assert "message" in registered["allowed_updates"]
    assert "callback_query" in registered["allowed_updates"]
    assert emu.commands(), "post_init ran (the command menu is set)"
    assert emu.calls_to("getUpdates") == []

    emu.send_text(ANA, "/start")
    await hook.deliver()
    consent = await emu.wait_for_message(ANA, contains=CONSENT)
    assert [b["text"] for b in consent.buttons()] == ["Yes, I agree", "No thanks"]

    emu.press_button(ANA, "Yes, I agree")  # callback queries arrive the same way
    await hook.deliver()
    await emu.wait_for_message(ANA, contains="opioid")


async def test_a_wrong_or_missing_secret_is_refused_and_nothing_is_processed(
    hook: WebhookBot, emu: BotApiEmulator
) -> None:
    start = emu.send_text(ANA, "/start")
    assert (await hook.post(start, secret="wh-Secret_0123456789-abcdefXYZ!")).status_code == 403
    assert (await hook.post(start, secret="x")).status_code == 403
    assert (await hook.post(start, secret=SECRET.lower())).status_code == 403
    assert (await hook.post(start, secret="")).status_code == 403
    assert (await hook.post(start, secret=None)).status_code == 403
    # A later update from the same chat is handled after anything queued before it (per-chat
    # order), so once it is done, the refused one would have been too.
    marker = emu.send_text(ANA, "/help")
    assert (await hook.post(marker)).status_code == 200
    await hook.handled(marker["update_id"])
    assert start["update_id"] not in hook.done
    assert not [m for m in emu.messages(ANA) if CONSENT in m.body]


async def test_only_post_on_the_webhook_path_is_accepted(hook: WebhookBot) -> None:
    get = await hook.post(method="GET")
    assert get.status_code == 405
    assert get.headers["Allow"] == "POST"
    assert (await hook.post(method="PUT", content=b"{}")).status_code == 405
    assert (await hook.post(path="/", content=b"{}")).status_code == 404
    assert (await hook.post(path=PATH + "/x", content=b"{}")).status_code == 404
    assert (await hook.post(path=PATH + "?a=1", content=b"{}")).status_code == 404
    # Without the secret, nothing is revealed about paths or methods.
    assert (await hook.post(method="GET", secret=None)).status_code == 403
    assert (await hook.post(path="/", secret=None, content=b"{}")).status_code == 403
    assert hook.done == []


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[1, 2]",
        b"{}",
        b'{"update_id": "7"}',
        b'{"update_id": true}',
        b'{"update_id": 7, "message": "nonsense"}',
        b"[" * 100_000,
        b"\xff\xfe\x00",
    ],
)
async def test_a_body_that_is_not_an_update_is_a_400(hook: WebhookBot, body: bytes) -> None:
    assert (await hook.post(content=body)).status_code == 400
    assert hook.done == []


async def test_oversized_chunked_and_malformed_requests_are_refused(
    hook: WebhookBot, emu: BotApiEmulator
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"{}"

    chunked = await hook.client.post(
        PATH, content=chunks(), headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
    )
    assert chunked.status_code == 411

    post = b"POST " + PATH.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"  # aiohttp needs Host
    secret = b"X-Telegram-Bot-Api-Secret-Token: " + SECRET.encode() + b"\r\n"
    big = b"Content-Length: %d\r\n\r\n" % (1024 * 1024 + 1)  # refused before any body is read
    huge = b"Content-Length: " + b"9" * 5000 + b"\r\n\r\n"
    # aiohttp quotes the offending line (here the secret's) in its error; it must not be logged.
    bad_secret = secret[:-2] + b"\x01\r\nContent-Length: 2\r\n\r\n{}"
    expect = b"Expect: 100-continue\r\nContent-Length: 2\r\n\r\n"  # no "100 Continue" first
    cases = [
        (b"garbage\r\n\r\n", b"400"),
        (post + b"X-Long: " + b"x" * 9000 + b"\r\n\r\n", b"400"),  # aiohttp: 400, not 431
        (post + b"X-Many: 1\r\n" * 100 + b"\r\n", b"400"),
        (post + secret * 2 + b"\r\n", b"400"),
        (post + secret + b"Content-Length: 1e3\r\n\r\n", b"400"),
        (post + secret + big, b"413"),
        (post + secret + huge, b"400"),  # aiohttp's parser refuses the overflow itself
        (post + bad_secret, b"400"),
        (post + expect, b"403"),
    ]
    for raw, status in cases:
        assert await raw_request(hook.port, raw) == status, raw[:60]
    assert hook.done == []

    # Still serving afterwards.
    emu.send_text(BEN, "/start")
    await hook.deliver()
    await emu.wait_for_message(BEN, contains=CONSENT)


async def raw_request(port: int, request: bytes) -> bytes:
    """Send bytes as they are; the status code of the answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        await writer.drain()
        return (await reader.readline()).split(b" ")[1]
    finally:
        writer.close()
        await writer.wait_closed()


async def test_the_same_update_posted_twice_is_handled_once(
    hook: WebhookBot, emu: BotApiEmulator
) -> None:
    start = emu.send_text(ANA, "/start")
    assert (await hook.post(start)).status_code == 200
    assert (await hook.post(start)).status_code == 200  # Telegram re-sends on a lost answer
    await hook.handled(start["update_id"], times=2)  # both went through; the gate dropped one
    assert len([m for m in emu.messages(ANA) if CONSENT in m.body]) == 1


async def test_updates_are_refused_with_503_until_the_application_runs(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    store = Store(tmp_path / "ldn.db")
    settings = Settings(_env_file=None, telegram_bot_token=emu.token)  # type: ignore[call-arg,arg-type]
    app = build_application(settings, store, FakeClock(START))
    server = WebhookServer(app, path=PATH, secret_token=SECRET, host="127.0.0.1", port=0)
    await server.start()
    try:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as client:
            update = emu.send_text(ANA, "/start")
            assert (await client.post(PATH, json=update, headers=headers)).status_code == 503
            assert (await client.post(PATH, json=update)).status_code == 403
    finally:
        await server.stop()
        store.close()
    assert app.update_queue.empty()


async def test_set_webhook_is_retried_on_network_errors(
    emu: BotApiEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webhook, "BOOTSTRAP_DELAY", 0.0)
    emu.fail_next("setWebhook", status=502, body="<html>Bad Gateway</html>", times=2)
    bot = WebhookBot(emu, tmp_path / "ldn.db")
    try:
        await bot.start()
    finally:
        await bot.stop()
    assert [call.status for call in emu.calls_to("setWebhook")] == [502, 502, 200]
    assert emu.webhook_url == URL


async def test_a_refused_webhook_url_stops_start_up_cleanly(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    emu.fail_next(
        "setWebhook", status=400, description="Bad Request: bad webhook: Failed to resolve host"
    )
    bot = WebhookBot(emu, tmp_path / "ldn.db")
    try:
        with pytest.raises(WebhookError, match=r"^Telegram refused WEBHOOK_URL: Bad webhook"):
            await bot.start()
    finally:
        await bot.stop()
    assert len(emu.calls_to("setWebhook")) == 1
    assert not bot.app.running
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", bot.port)


async def test_stopping_closes_the_server_and_leaves_the_webhook_set(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    bot = WebhookBot(emu, tmp_path / "ldn.db")
    await bot.start()
    await bot.stop()
    assert not bot.app.running
    assert emu.webhook_url == URL
    assert emu.calls_to("deleteWebhook") == []
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", bot.port)


# The real ``ldn-bot run`` process ----------------------------------------------------------------


def webhook_env(emu: BotApiEmulator, db: Path, port: int, **extra: str) -> dict[str, str]:
    env = env_for(
        emu,
        db,
        WEBHOOK_URL=URL,
        WEBHOOK_SECRET_TOKEN=SECRET,
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
    )
    env.update(extra)
    return env


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
async def test_run_in_webhook_mode_registers_serves_and_stops_on_a_signal(
    emu: BotApiEmulator, tmp_path: Path, stop_signal: signal.Signals
) -> None:
    port = free_port()
    process = await ldn_bot("run", env=webhook_env(emu, tmp_path / "ldn.db", port), cwd=tmp_path)
    early = b""
    try:
        early = await read_until(process, b"Application started")
        assert emu.webhook_url == URL
        assert emu.webhook_secret_token == SECRET
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            update = emu.send_text(ANA, "/start")
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            answer = await client.post(PATH, json=update, headers=headers)
            assert answer.status_code == 200
            consent = await emu.wait_for_message(ANA, contains=CONSENT, timeout=20)
            assert [b["text"] for b in consent.buttons()] == ["Yes, I agree", "No thanks"]
            wrong = {"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            assert (await client.post(PATH, json=update, headers=wrong)).status_code == 403
    finally:
        process.send_signal(stop_signal)
        _, log = await asyncio.wait_for(process.communicate(), timeout=20)
    assert process.returncode == 0
    text = (early + log).decode()
    assert "Application started" in text
    assert "webhook registered" in text
    assert "Application is stopping" in text and "webhook server stopped" in text
    assert emu.calls_to("getUpdates") == []
    assert emu.calls_to("deleteWebhook") == []
    assert SECRET not in text
    assert emu.token.split(":")[1] not in text
    assert CONSENT not in text  # message contents never logged, even at DEBUG


async def read_until(process: asyncio.subprocess.Process, marker: bytes) -> bytes:
    """The process's stderr up to and including the line holding ``marker``."""
    assert process.stderr is not None
    seen = b""
    async with asyncio.timeout(20):
        while marker not in seen:
            line = await process.stderr.readline()
            assert line, f"the process ended before {marker!r}:\n{seen.decode()}"
            seen += line
    return seen


async def test_a_taken_port_stops_with_one_clear_line(emu: BotApiEmulator, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        env = webhook_env(emu, tmp_path / "ldn.db", port)
        process = await ldn_bot("run", env=env, cwd=tmp_path)
        _, err = await asyncio.wait_for(process.communicate(), timeout=20)
    assert process.returncode == 1
    text = err.decode()
    assert text.splitlines()[-1].startswith(f"ldn-bot: cannot listen on 127.0.0.1:{port} ")
    assert "Traceback" not in text
    assert emu.webhook_url == ""


@pytest.mark.parametrize(
    ("extra", "line"),
    [
        (
            {"WEBHOOK_SECRET_TOKEN": ""},
            "ldn-bot: WEBHOOK_SECRET_TOKEN: is required when WEBHOOK_URL is set",
        ),
        (
            {"WEBHOOK_SECRET_TOKEN": "not secret enough!"},
            "ldn-bot: WEBHOOK_SECRET_TOKEN: must be 1-256 characters",
        ),
        ({"WEBHOOK_SECRET_TOKEN": "a" * 257}, "ldn-bot: WEBHOOK_SECRET_TOKEN: must be 1-256"),
        ({"WEBHOOK_URL": "http://bot.example.org/tg"}, "ldn-bot: WEBHOOK_URL: must be an https"),
        ({"WEBHOOK_URL": "https://bot.example.org:9000/tg"}, "ldn-bot: WEBHOOK_URL: Telegram only"),
        ({"WEBHOOK_PORT": "99999"}, "ldn-bot: WEBHOOK_PORT: "),
    ],
)
async def test_webhook_config_errors_exit_2_with_one_line_naming_the_setting(
    emu: BotApiEmulator, tmp_path: Path, extra: dict[str, str], line: str
) -> None:
    env = webhook_env(emu, tmp_path / "ldn.db", 8443, **extra)
    process = await ldn_bot("run", env=env, cwd=tmp_path)
    _, err = await asyncio.wait_for(process.communicate(), timeout=20)
    assert process.returncode == 2
    text = err.decode()
    assert text.count("\n") == 1 and text.startswith(line), text
    assert "not secret enough" not in text
    assert SECRET not in text
    assert emu.calls == []


def test_webhook_settings_default_to_polling_and_a_local_listener(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("WEBHOOK_URL", "WEBHOOK_SECRET_TOKEN", "WEBHOOK_LISTEN", "WEBHOOK_PORT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:s3cret")
    settings = load_settings(None)
    assert settings.webhook_url is None and settings.webhook_secret_token is None
    assert (settings.webhook_listen, settings.webhook_port) == ("127.0.0.1", 8443)
    monkeypatch.setenv("WEBHOOK_URL", URL)
    monkeypatch.setenv("WEBHOOK_SECRET_TOKEN", SECRET)
    settings = load_settings(None)
    assert SECRET not in repr(settings)
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/tg?token=1")
    with pytest.raises(ConfigError, match=r"^WEBHOOK_URL: must not contain a query"):
        load_settings(None)


# What anyone who reaches the port can cost (issue 16, item 6) -----------------------------------


def refusal_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("bot.webhook") and "refused" in r.getMessage()
    ]


async def test_refused_requests_are_logged_as_one_summary_line_a_minute(
    hook: WebhookBot, emu: BotApiEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    start = emu.send_text(ANA, "/start")
    for _ in range(300):
        assert (await hook.post(start, secret="wrong")).status_code == 403
    for _ in range(50):
        assert (await hook.post(path="/admin", content=b"{}")).status_code == 404
    for _ in range(20):
        assert await raw_request(hook.port, b"garbage\r\n\r\n") == b"400"
    # The first refusal at once; everything after it within the minute is only counted …
    first = "webhook: refused 1 request: 403 missing or wrong secret token ×1"
    webhook_lines = [r.getMessage() for r in caplog.records if r.name.startswith("bot.webhook")]
    assert webhook_lines == [first]  # before: a line for each of the 370

    await hook.stop()  # … and summed up in one line when the minute ends, or at the stop
    lines = refusal_lines(caplog)
    assert len(lines) == 2, lines
    assert lines[1].startswith(
        "webhook: refused 369 requests: 403 missing or wrong secret token ×299, "
        "404 not the webhook path ×50, 400 malformed ("
    ), lines[1]
    assert lines[1].endswith(" ×20")


async def test_the_refusal_log_sums_up_each_minute_on_its_clock(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="bot.webhook")
    now = [1000.0]
    refusals = webhook.RefusalLog(clock=lambda: now[0])
    refusals.count(HTTPStatus.NOT_FOUND, "not the webhook path")
    for _ in range(10):
        now[0] += 5.0
        refusals.count(HTTPStatus.METHOD_NOT_ALLOWED, "only POST is accepted")
    assert len(refusal_lines(caplog)) == 1
    now[0] += 10.0  # a minute after the first line
    refusals.count(HTTPStatus.FORBIDDEN, "missing or wrong secret token")
    lines = refusal_lines(caplog)
    assert lines[1:] == [
        "webhook: refused 11 requests: 405 only POST is accepted ×10, "
        "403 missing or wrong secret token ×1"
    ]
    assert [r.levelname for r in caplog.records if "refused" in r.getMessage()] == [
        "INFO",
        "WARNING",  # a wrong or missing secret is worth a look
    ]
    refusals.flush()  # nothing counted since: no line
    assert len(refusal_lines(caplog)) == 2


async def test_connections_beyond_the_cap_get_503_and_telegram_is_served_again(
    hook: WebhookBot, emu: BotApiEmulator
) -> None:
    idle = [await asyncio.open_connection("127.0.0.1", hook.port) for _ in range(100)]
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", hook.port)
        answer = await asyncio.wait_for(reader.read(), timeout=5)  # answered and closed
        writer.close()
        assert answer.startswith(b"HTTP/1.1 503 Service Unavailable\r\n"), answer
        assert len(idle) == webhook.MAX_CONNECTIONS
    finally:
        for _, idle_writer in idle:
            idle_writer.close()
            await idle_writer.wait_closed()
    start = emu.send_text(ANA, "/start")
    for _ in range(100):  # the server notices the closed connections within a few loop turns
        if (await hook.post(start)).status_code == 200:
            break
        await asyncio.sleep(0.01)
    await emu.wait_for_message(ANA, contains=CONSENT)


def test_an_update_id_far_ahead_does_not_move_the_watermark_for_good() -> None:
    mark = Watermark(highest=100)
    assert not mark.first_sight(10**12)  # forged or damaged: the database decides
    mark.found_new(10**12)
    assert mark.first_sight(101)  # the genuine sequence is still certainly new
    assert mark.first_sight(102)

    restarted = Watermark(highest=10**12)  # the odd id was recorded before a restart
    assert not restarted.first_sight(103)
    restarted.found_new(103)
    assert not restarted.first_sight(104)
    restarted.found_new(104)  # two new ones in a row: the mark follows them
    assert restarted.first_sight(105)
    assert not restarted.first_sight(104)  # and still tells possible repeats

    renumbered = Watermark(highest=100)  # Telegram after a week without updates
    for update_id in (7_000_000, 7_000_001):
        assert not renumbered.first_sight(update_id)
        renumbered.found_new(update_id)
    assert renumbered.first_sight(7_000_002)


def forged_update(emu: BotApiEmulator, user: int) -> dict[str, Any]:
    """An update posted with the secret but an update_id a billion past Telegram's (never queued
    in the emulator, whose numbering goes on as before)."""
    chat = emu.state.chat(user)
    message = {"message_id": 1, "date": 0, "chat": chat.chat_json(), "from": chat.user_json()}
    return {"update_id": emu.last_update_id + 10**9, "message": message | {"text": "hi"}}


async def press_answered_while_the_database_is_locked(hook: WebhookBot, db: Path) -> bool:
    """ANA taps "Yes, I agree" while another program holds the write lock (5 s busy timeout):
    whether the tap is answered before the database (within 2 s)."""
    writer = OutsideWriter(db)
    writer.lock()
    try:
        query_id = hook.emu.press_button(ANA, "Yes, I agree")
        await hook.deliver()
        await hook.emu.wait_for(lambda: query_id in hook.emu.callback_answers, timeout=2.0)
    except TimeoutError:
        return False
    finally:
        writer.close()
    await hook.emu.wait_for_message(ANA, contains="opioid")  # and then handled as ever
    return True


async def test_a_forged_far_update_id_does_not_slow_the_next_presses(
    hook: WebhookBot, emu: BotApiEmulator, tmp_path: Path
) -> None:
    emu.send_text(ANA, "/start")
    await hook.deliver()
    await emu.wait_for_message(ANA, contains=CONSENT)
    forged = forged_update(emu, BEN)
    assert (await hook.post(forged)).status_code == 200
    await hook.handled(forged["update_id"])

    assert await press_answered_while_the_database_is_locked(hook, tmp_path / "ldn.db")


async def test_a_forged_far_update_id_recorded_before_a_restart_is_outgrown(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    db = tmp_path / "ldn.db"
    first = WebhookBot(emu, db)
    await first.start()
    try:
        emu.send_text(ANA, "/start")
        await first.deliver()
        await emu.wait_for_message(ANA, contains=CONSENT)
        forged = forged_update(emu, BEN)
        assert (await first.post(forged)).status_code == 200
        await first.handled(forged["update_id"])
    finally:
        await first.stop()

    second = WebhookBot(emu, db)  # its watermark starts from the forged id
    second.posted = set(first.posted)
    await second.start()
    try:
        for _ in range(2):  # two genuine updates put the mark back on Telegram's sequence
            update = emu.send_text(ANA, "/help")
            await second.deliver()
            await second.handled(update["update_id"])
        assert await press_answered_while_the_database_is_locked(second, db)
    finally:
        await second.stop()
