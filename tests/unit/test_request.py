"""BoundedHTTPXRequest lets no more requests into httpx than the pool has connections: the
rest wait their turn outside, and every one of them is still answered."""

from __future__ import annotations

import asyncio
import json

import httpx

from bot.request import BoundedHTTPXRequest

POOL = 4
REQUESTS = 40


async def test_requests_beyond_the_pool_wait_outside_httpx_and_all_complete() -> None:
    inside = 0
    most_inside = 0

    async def telegram(request: httpx.Request) -> httpx.Response:
        nonlocal inside, most_inside
        inside += 1
        most_inside = max(most_inside, inside)
        for _ in range(5):  # let the other requests run meanwhile
            await asyncio.sleep(0)
        inside -= 1
        return httpx.Response(200, content=json.dumps({"ok": True, "result": True}).encode())

    request = BoundedHTTPXRequest(
        connection_pool_size=POOL,
        read_timeout=5.0,
        write_timeout=5.0,
        httpx_kwargs={"transport": httpx.MockTransport(telegram)},
    )
    await request.initialize()
    try:
        answers = await asyncio.gather(
            *(request.do_request("http://127.0.0.1/bot1:T/getMe", "POST") for _ in range(REQUESTS))
        )
    finally:
        await request.shutdown()
    assert [status for status, _body in answers] == [200] * REQUESTS
    assert most_inside == POOL
