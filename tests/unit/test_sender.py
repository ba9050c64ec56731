"""How make_sender turns what PTB raises into delivery outcomes (F7, F8), with PTB's own request
class over an httpx mock transport, so the errors are wrapped exactly as in production."""

from __future__ import annotations

import socket
from collections.abc import Callable

import httpx
import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.sender import make_sender
from scheduler.delivery import DeliveryError, OutcomeUnknown, Outgoing, RetryLater, Undeliverable
from titration.reminders import TaskKind

CHECKIN = Outgoing(TaskKind.CHECKIN, chat_id=1, patient_id=1, event_id=1)
Handler = Callable[[httpx.Request], httpx.Response]


def raising(error: type[httpx.RequestError], text: str = "boom") -> Handler:
    def handle(request: httpx.Request) -> httpx.Response:
        raise error(text, request=request)

    return handle


def answering(status: int, body: bytes, content_type: str = "application/json") -> Handler:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers={"content-type": content_type})

    return handle


async def outcome(handler: Handler) -> type[DeliveryError]:
    request = HTTPXRequest(httpx_kwargs={"transport": httpx.MockTransport(handler)})
    send = make_sender(Bot("1:T", request=request))
    with pytest.raises(DeliveryError) as caught:
        await send(CHECKIN)
    return type(caught.value)


REFUSED = "[Errno 111] Connection refused"
DISCONNECTED = "Server disconnected without sending a response."
TRUNCATED = "peer closed connection without sending complete message body (incomplete chunked read)"
BAD_REQUEST = b'{"ok": false, "error_code": 400, "description": "Bad Request: x"}'
CUT_OFF_OK = b'{"ok": true, "result": {"message_id": 7, "text": "How was'
HTML_502 = b"<html><body>502 Bad Gateway</body></html>"
SERVER_ERROR = b'{"ok": false, "error_code": 500, "description": "Internal Server Error"}'


@pytest.mark.parametrize(
    ("handler", "expected"),
    [
        # The request never left: send again.
        pytest.param(raising(httpx.ConnectError, REFUSED), RetryLater, id="refused"),
        pytest.param(raising(httpx.ConnectTimeout), RetryLater, id="connect-timeout"),
        pytest.param(raising(httpx.PoolTimeout), RetryLater, id="pool-timeout"),
        # Telegram answered with an error status: it did not take the message.
        pytest.param(
            answering(502, b"<html>Bad Gateway</html>", "text/html"), RetryLater, id="502"
        ),
        pytest.param(answering(500, SERVER_ERROR), RetryLater, id="500"),
        # The request may have been written and accepted: the dispatcher resends at most once.
        pytest.param(raising(httpx.RemoteProtocolError, DISCONNECTED), OutcomeUnknown, id="drop"),
        pytest.param(raising(httpx.RemoteProtocolError, TRUNCATED), OutcomeUnknown, id="cut-off"),
        pytest.param(raising(httpx.ReadError), OutcomeUnknown, id="read-error"),
        pytest.param(raising(httpx.WriteError), OutcomeUnknown, id="write-error"),
        pytest.param(raising(httpx.ReadTimeout), OutcomeUnknown, id="read-timeout"),
        pytest.param(raising(httpx.WriteTimeout), OutcomeUnknown, id="write-timeout"),
        pytest.param(answering(200, CUT_OFF_OK), OutcomeUnknown, id="garbled-200"),
        # A bad request is refused for good.
        pytest.param(answering(400, BAD_REQUEST), Undeliverable, id="400"),
    ],
)
async def test_errors_map_to_outcomes(handler: Handler, expected: type[DeliveryError]) -> None:
    assert await outcome(handler) is expected


async def test_a_real_refused_connection_is_retried() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = HTTPXRequest()
    bot = Bot("1:T", base_url=f"http://127.0.0.1:{port}/bot", request=request)
    with pytest.raises(RetryLater):
        await make_sender(bot)(CHECKIN)
