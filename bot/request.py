"""The HTTP client the bot sends with: PTB's HTTPXRequest, with waiting moved out of httpx.

httpcore's pool re-examines every queued request against every pooled connection whenever a
request starts or a response closes, so once more requests are waiting than there are
connections (a burst of button presses during the evening fan-out), each request costs more CPU
the longer the queue gets, and the bot falls further behind the busier it is. Here a semaphore
the size of the pool lets requests into httpx only when a connection is free; the rest wait in
line on the semaphore, which costs the same however long the line is.
"""

from __future__ import annotations

import asyncio
from typing import Any

from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, HTTPXRequest, RequestData


class BoundedHTTPXRequest(HTTPXRequest):
    """At most ``connection_pool_size`` requests inside httpx at any moment."""

    def __init__(
        self,
        *,
        connection_pool_size: int,
        read_timeout: float,
        write_timeout: float,
        httpx_kwargs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(
            connection_pool_size=connection_pool_size,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            httpx_kwargs=httpx_kwargs,
        )
        self._slots = asyncio.Semaphore(connection_pool_size)

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
        async with self._slots:
            return await super().do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
