"""How make_sender turns what the bot's request class raises into delivery outcomes (F7, F8):
the real AiohttpRequest against a tiny scripted HTTP server on 127.0.0.1 (raw sockets, so it can
also drop a connection or cut an answer short), so errors arrive exactly as in production."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from telegram.ext import ExtBot

from bot.aiohttp_request import AiohttpRequest
from bot.sender import make_sender
from scheduler.delivery import DeliveryError, OutcomeUnknown, Outgoing, RetryLater, Undeliverable
from titration.reminders import TaskKind

CHECKIN = Outgoing(TaskKind.CHECKIN, chat_id=1, patient_id=1, event_id=1)

OK = b'{"ok": true, "result": {"message_id": 7, "date": 0, "chat": {"id": 1, "type": "private"}}}'
BAD_REQUEST = b'{"ok": false, "error_code": 400, "description": "Bad Request: x"}'
CUT_OFF_OK = b'{"ok": true, "result": {"message_id": 7, "text": "How was'
HTML_502 = b"<html><body>502 Bad Gateway</body></html>"
SERVER_ERROR = b'{"ok": false, "error_code": 500, "description": "Internal Server Error"}'


def answer(status: int, body: bytes, content_type: str = "application/json") -> bytes:
    head = f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\n"
    return head.encode() + f"Content-Length: {len(body)}\r\n\r\n".encode() + body


@dataclass
class ScriptedServer:
    """Reads each request whole, then does what ``reply`` says: bytes to write (the
    connection stays open for the next request), ``b"drop"`` to close without a word, or
    ``b"hang"`` to say nothing."""

    reply: bytes = b""
    port: int = 0
    requests: list[bytes] = field(default_factory=list)
    _server: asyncio.Server | None = None
    received: asyncio.Event = field(default_factory=asyncio.Event)
    _hung: asyncio.Event = field(default_factory=asyncio.Event)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self._hung.set()
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                length = next(
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                self.requests.append(head + await reader.readexactly(length))
                self.received.set()
                if self.reply == b"hang":
                    await self._hung.wait()
                    return
                if self.reply == b"drop":
                    return
                writer.write(self.reply)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def server() -> AsyncIterator[ScriptedServer]:
    scripted = ScriptedServer()
    await scripted.start()
    yield scripted
    await scripted.stop()


@contextlib.asynccontextmanager
async def bot_at(
    port: int, *, pool: int = 4, pool_timeout: float | None = None
) -> AsyncIterator[ExtBot[Any]]:
    request = AiohttpRequest(connection_pool_size=pool, read_timeout=0.2, pool_timeout=pool_timeout)
    await request.initialize()
    try:
        yield ExtBot("1:T", base_url=f"http://127.0.0.1:{port}/bot", request=request)
    finally:
        await request.shutdown()


async def send_outcome(bot: ExtBot[Any]) -> object:
    """What one check-in send ends in: the message id, or the DeliveryError class raised."""
    try:
        return await make_sender(bot)(CHECKIN)
    except DeliveryError as error:
        return type(error)


async def outcome(port: int) -> object:
    async with bot_at(port) as bot:
        return await send_outcome(bot)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        pytest.param(answer(200, OK), 7, id="200"),
        # Telegram (or a proxy) answered with an error status: it did not take the message.
        pytest.param(answer(502, HTML_502, "text/html"), RetryLater, id="502-html"),
        pytest.param(answer(500, SERVER_ERROR), RetryLater, id="500"),
        # The request was written and may have been accepted: the dispatcher resends at most once.
        pytest.param(b"drop", OutcomeUnknown, id="dropped"),
        pytest.param(b"hang", OutcomeUnknown, id="read-timeout"),
        pytest.param(answer(200, CUT_OFF_OK)[:-12], OutcomeUnknown, id="cut-off"),
        pytest.param(answer(200, CUT_OFF_OK), OutcomeUnknown, id="garbled-200"),
        # A bad request is refused for good.
        pytest.param(answer(400, BAD_REQUEST), Undeliverable, id="400"),
    ],
)
async def test_answers_and_failures_map_to_outcomes(
    server: ScriptedServer, reply: bytes, expected: object
) -> None:
    server.reply = reply
    assert await outcome(server.port) == expected
    assert len(server.requests) == 1
    assert b"POST /bot1:T/sendMessage" in server.requests[0]


async def test_a_refused_connection_was_never_sent_so_it_is_retried() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert await outcome(port) is RetryLater


async def test_no_free_connection_in_time_was_never_sent_so_it_is_retried(
    server: ScriptedServer,
) -> None:
    server.reply = b"hang"
    async with bot_at(server.port, pool=1, pool_timeout=0.05) as bot:
        holder = asyncio.create_task(send_outcome(bot))  # takes the only connection
        await server.received.wait()
        assert await send_outcome(bot) is RetryLater
        assert await holder is OutcomeUnknown  # its answer never came
    assert len(server.requests) == 1  # the second request never reached the server
