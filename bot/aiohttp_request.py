"""The HTTP client the bot talks to Telegram with: PTB's request interface over aiohttp.

python-telegram-bot ships one implementation of ``BaseRequest`` (httpx) and documents the class
as the place to plug in another. httpx costs about twice the CPU per Bot API call of aiohttp
(measured against the local emulator: ``benchmarks/``), and its pool re-examines every waiting
request against every connection whenever one starts or ends, so a burst of button presses during
the evening fan-out makes each request dearer the longer the queue. aiohttp queues waiting
requests in order at constant cost.

Errors are raised the way PTB's own request class raises them (``TimedOut``, ``NetworkError``
with the transport error as ``__cause__``), with one addition the sender relies on (F8): a
failure before any byte of the request left (no connection could be made, or none became free)
has ``NotSent`` as its cause, so the send can be repeated without risking a duplicate.
"""

from __future__ import annotations

import weakref
from typing import Any, ClassVar
from urllib.parse import urlencode

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class NotSent(Exception):
    """The cause of a TimedOut or NetworkError that happened before the request was sent."""


class AiohttpRequest(BaseRequest):
    """Bot API calls over one aiohttp session with at most ``connection_pool_size`` connections.

    Timeouts: ``connect_timeout`` to open a connection, ``read_timeout`` between bytes of the
    answer, ``pool_timeout`` (None: no limit) to wait for a free connection. aiohttp has no
    write timeout: a request body (at most a small file here) goes into the socket buffer at
    once, and a stuck peer shows up as a read timeout.
    """

    def __init__(
        self,
        *,
        connection_pool_size: int,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = None,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    # Every transport with a session, so one whose bot never started (PTB shuts down only what
    # initialised completely) can still be closed: ``close_all``.
    _opened: ClassVar[weakref.WeakSet[AiohttpRequest]] = weakref.WeakSet()

    @classmethod
    async def close_all(cls) -> None:
        """Close every session still open (after a failed start-up)."""
        for request in list(cls._opened):
            await request.shutdown()

    async def initialize(self) -> None:
        AiohttpRequest._opened.add(self)
        if self._session is None or self._session.closed:
            # Created here, inside the running loop that will use it.
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

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
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=_given(pool_timeout, self._pool_timeout),
            sock_connect=_given(connect_timeout, self._connect_timeout),
            sock_read=_given(read_timeout, self._read_timeout),
        )
        try:
            async with self._session.request(
                method, url, data=await _body(request_data), timeout=timeout
            ) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as error:  # no connection opened or freed in time
            raise TimedOut("Timed out before the request was sent") from _not_sent(error)
        except TimeoutError as error:  # sent, but no (complete) answer in time
            raise TimedOut() from error
        except aiohttp.ClientConnectorError as error:  # could not connect at all
            raise NetworkError(f"aiohttp.{type(error).__name__}") from _not_sent(error)
        except aiohttp.ClientError as error:  # dropped or broken after the request went out
            raise NetworkError(f"aiohttp.{type(error).__name__}") from error


def _given(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


async def _body(request_data: RequestData | None) -> Any:
    """Form fields (PTB has already JSON-encoded each value), or multipart when there are files.

    The form is encoded here: handed a dict, aiohttp builds a FormData, and with it a multipart
    writer it does not use, for every request (a fifth of the CPU of a send). A multipart body
    (a summary's chart) is built as bytes once and goes out in one write: aiohttp's writer
    makes four writes a field, each a system call, and a request sent in pieces can arrive
    spread over whatever delays the loop between them.
    """
    if request_data is None:
        return None
    if not request_data.contains_files:
        return _Form(urlencode(request_data.json_parameters).encode("ascii"))
    form = aiohttp.FormData(request_data.json_parameters)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    multipart = form()
    return aiohttp.BytesPayload(await multipart.as_bytes(), content_type=multipart.content_type)


class _Form(aiohttp.BytesPayload):
    """An already-encoded ``application/x-www-form-urlencoded`` body."""

    def __init__(self, encoded: bytes) -> None:
        super().__init__(encoded, content_type="application/x-www-form-urlencoded")


def _not_sent(error: Exception) -> NotSent:
    cause = NotSent(type(error).__name__)
    cause.__cause__ = error
    return cause
