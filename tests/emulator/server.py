"""The aiohttp application: routes ``/bot<token>/<method>`` and applies faults and limits.

Each request goes: token check -> method lookup -> decode params -> artificial latency ->
scripted fault (if one is queued for the method) or flood limits + the real handler. Every
request is recorded on the emulator, which wakes anyone waiting for a change.

``answer`` is that whole path without the HTTP around it: the aiohttp route feeds it from a
request, and ``tests.emulator.inprocess`` feeds it straight from python-telegram-bot.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.emulator import api_bot, api_messages
from tests.emulator.errors import ApiError, too_many_requests
from tests.emulator.faults import Fault
from tests.emulator.objects import RecordedCall
from tests.emulator.params import Files, Handler, Params, read_request

if TYPE_CHECKING:
    from tests.emulator.emulator import BotApiEmulator

# Lower-cased method name -> (canonical name, handler); Telegram ignores method name case.
METHODS: dict[str, tuple[str, Handler]] = {
    name.lower(): (name, handler)
    for name, handler in (api_bot.HANDLERS | api_messages.HANDLERS).items()
}
EMULATOR: web.AppKey[BotApiEmulator] = web.AppKey("emulator")
MAX_UPLOAD_BYTES = 60 * 1024 * 1024


@dataclass(frozen=True)
class Reply:
    """An HTTP answer; status None means "close the connection without answering"."""

    status: int | None
    body: bytes = b""
    content_type: str = "application/json"
    payload: dict[str, Any] | None = None


def _json(status: int, payload: dict[str, Any], content_type: str | None = None) -> Reply:
    body = json.dumps(payload).encode()
    return Reply(status, body, content_type or "application/json", payload)


def _error(exc: ApiError) -> Reply:
    return _json(exc.status, exc.payload())


def build_app(emulator: BotApiEmulator) -> web.Application:
    """The aiohttp app serving the Bot API for ``emulator``."""
    app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
    app[EMULATOR] = emulator
    app.router.add_route("*", "/bot{token}/{method}", _handle)
    return app


async def _handle(request: web.Request) -> web.StreamResponse:
    emu = request.app[EMULATOR]
    token, method = request.match_info["token"], request.match_info["method"]
    reply = await answer(emu, token, method, lambda: read_request(request))
    if reply.status is None:
        if request.transport is not None:
            request.transport.close()
        return web.Response(status=204)  # never reaches the client: the socket is closed
    return web.Response(status=reply.status, body=reply.body, content_type=reply.content_type)


async def answer(
    emu: BotApiEmulator,
    token: str,
    method: str,
    read: Callable[[], Awaitable[tuple[Params, Files]]],
) -> Reply:
    """Handle one Bot API call, however it arrived, and record it on the emulator.

    ``read`` decodes the call's parameters and uploads; it is awaited only once the token and
    method are known good (as Telegram reads no body for a bad token).
    """
    call = RecordedCall(method, {}, None, emu.time_fn())
    reply = await _process(emu, token, read, call)
    call.status, call.response = reply.status, reply.payload
    emu.record(call)
    return reply


async def _process(
    emu: BotApiEmulator,
    token: str,
    read: Callable[[], Awaitable[tuple[Params, Files]]],
    call: RecordedCall,
) -> Reply:
    if token != emu.token:
        return _error(ApiError(401, "Unauthorized"))
    entry = METHODS.get(call.method.lower())
    if entry is None:
        return _error(ApiError(404, "Not Found: method not found"))
    call.method, handler = entry
    try:
        call.params, files = await read()
    except ApiError as exc:
        return _error(exc)
    if emu.latency > 0:
        await emu.state.pause(emu.latency)

    async def run() -> Reply:
        return await _run(emu, call.method, handler, call.params, files)

    fault = emu.faults.pop(call.method)
    return await (run() if fault is None else _faulty(emu, fault, run))


async def _run(
    emu: BotApiEmulator, method: str, handler: Handler, params: Params, files: Files
) -> Reply:
    try:
        _check_flood(emu, method, params)
        result = await handler(emu.state, params, files)
    except ApiError as exc:
        return _error(exc)
    return _json(200, {"ok": True, "result": result})


def _check_flood(emu: BotApiEmulator, method: str, params: Params) -> None:
    """Only message-producing calls (send*/edit*, not sendChatAction) count."""
    counted = method.startswith(("send", "edit")) and method != "sendChatAction"
    if not emu.enforce_limits or not counted:
        return
    chat_id = params.get("chat_id")
    retry_after = emu.limiter.acquire(
        chat_id if isinstance(chat_id, int) else None,
        emu.time_fn(),
        global_limit=emu.global_limit,
        per_chat_limit=emu.per_chat_limit,
        per_chat_burst=emu.per_chat_burst,
    )
    if retry_after is not None:
        raise too_many_requests(retry_after)


async def _faulty(emu: BotApiEmulator, fault: Fault, run: Callable[[], Awaitable[Reply]]) -> Reply:
    real = await run() if fault.performs_action else None
    emu.state.changed.notify()  # let tests see the performed action before the late answer
    if fault.delay:
        await emu.state.pause(fault.delay)
    if fault.held_until is not None:
        held_until = fault.held_until
        await emu.state.changed.wait_for(lambda: held_until() or emu.state.closing, 60.0)
    if fault.then_succeed_late and real is not None:
        return real
    if fault.drop_connection:
        return Reply(None)
    if fault.body is not None:
        return Reply(fault.status, fault.body.encode(), fault.content_type or "text/html")
    retry_after = fault.retry_after or (1 if fault.status == 429 else None)
    error = ApiError(fault.status, fault.error_description(), retry_after=retry_after)
    return _json(fault.status, error.payload(), fault.content_type)
