"""Bot API calls handed straight to the emulator, without sockets or HTTP.

``InProcessRequest`` is a python-telegram-bot ``BaseRequest`` (the interface PTB's own test kit
implements with a request object that never touches the network) whose ``do_request`` gives
each call to the emulator's request handling (``tests.emulator.server.answer``): the same token
check, method lookup, parameter decoding, latency, scripted faults, flood limits and recording
as over HTTP, and the same JSON answer back. getUpdates long polls are held open in the
emulator exactly as the server holds them.

What it does not exercise is the HTTP stack itself (the bot's ``AiohttpRequest``, connection
pools, multipart encoding on the wire); the tests about those keep the real server.

Like the real transport, a call keeps running in the emulator when the bot stops waiting for it
(a read timeout, a cancelled poll): a late answer still performs its action. Calls left
unfinished are cancelled when the bot shuts the request down.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from tests.emulator.params import Files, Params, UploadedFile, decode_value
from tests.emulator.server import Reply, answer

if TYPE_CHECKING:
    from tests.emulator.emulator import BotApiEmulator

# Handed to the bot as its API base URL. ".invalid" never resolves (RFC 2606), so a call that
# bypassed this request object would fail instead of quietly reaching a real server.
BASE_URL = "http://in-process.invalid/bot"


class InProcessRequest(BaseRequest):
    """A PTB request object whose every call is answered by ``emulator`` in this event loop."""

    def __init__(self, emulator: BotApiEmulator, *, read_timeout: float | None = 5.0) -> None:
        self._emulator = emulator
        self._read_timeout = read_timeout
        self._calls: set[asyncio.Task[Reply]] = set()
        self._open = False

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        self._open = True

    async def shutdown(self) -> None:
        self._open = False
        calls, self._calls = set(self._calls), set()
        for call in calls:
            call.cancel()
        for call in calls:
            with contextlib.suppress(asyncio.CancelledError):
                await call

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if not self._open:
            raise RuntimeError("This InProcessRequest is not initialized!")
        token, api_method = split_url(url)
        params, files = decode(request_data)

        async def read() -> tuple[Params, Files]:
            return params, files

        call = asyncio.ensure_future(answer(self._emulator, token, api_method, read))
        self._calls.add(call)
        call.add_done_callback(self._calls.discard)
        timeout = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        try:
            # shield: giving up on the answer does not take the call back from the "server".
            reply = await asyncio.wait_for(asyncio.shield(call), timeout)
        except TimeoutError as error:
            raise TimedOut() from error
        if reply.status is None:  # the server closed the connection without answering
            raise NetworkError("in-process: the emulator dropped the connection")
        return reply.status, reply.body


def split_url(url: str) -> tuple[str, str]:
    """``<base>/bot<token>/<method>`` -> (token, method)."""
    path = urlsplit(url).path
    prefix, _, method = path.rpartition("/")
    _, marker, token = prefix.rpartition("/bot")
    if not marker or not method:
        raise ValueError(f"not a Bot API method URL: {url!r}")
    return token, method


def decode(request_data: RequestData | None) -> tuple[Params, Files]:
    """The parameters and uploads as the server would decode them from PTB's form fields.

    PTB sends ``json_parameters`` (every non-string value JSON-encoded) as the form fields, and
    each file as a multipart part named after its field.
    """
    if request_data is None:
        return {}, {}
    params = {
        name: decode_value(name, value) for name, value in request_data.json_parameters.items()
    }
    files: Files = {}
    if request_data.contains_files:
        for name, (filename, content, mimetype) in request_data.multipart_data.items():
            data = content if isinstance(content, bytes) else content.read()
            files[name] = UploadedFile(filename, mimetype, data)
    return params, files
