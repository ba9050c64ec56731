"""The Bot API emulator in a process of its own, with a small control API for the benchmark.

``python -m benchmarks.emulator_server`` serves ``tests.emulator.BotApiEmulator`` on a free port
of 127.0.0.1 and a control API on a second port, prints one JSON line with both URLs, and runs
until ``POST /shutdown`` or until its standard input closes. Keeping "Telegram" out of the bot's
process means the bot's CPU time is measured alone.

Control API (JSON): ``GET /stats``; ``POST /config`` {latency, enforce_limits}; ``POST /chats``
{users}; ``GET /wait_sent?n=&timeout=``; ``POST /press`` {users, rate} then
``GET /press_wait?timeout=``; ``POST /flood`` {flooder, others, count, seconds, rate, settle}
(``benchmarks.emulated_people.Flood``: its report once done); ``POST /feed`` {users, round}
(one soak round); ``POST /shutdown``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from typing import Any

from aiohttp import web

from benchmarks.emulated_people import Flood, feed
from benchmarks.stdio import emit, stdin_reader
from tests.emulator import BotApiEmulator, RecordedCall

TAKEN_PREFIX = "v1:dose:taken:"


class BenchEmulator(BotApiEmulator):
    """The test emulator plus counters kept as calls are recorded (O(1) to read)."""

    def __init__(self) -> None:
        super().__init__()
        self.sent_ok = 0
        self.sent_first: float | None = None
        self.sent_last: float | None = None
        self.edits_ok = 0
        self.answered_at: dict[str, float] = {}
        self.pressed_at: dict[str, float] = {}
        self.pressed_message: dict[tuple[int, int], str] = {}  # (chat, message id) -> query id
        self.edited_at: dict[str, float] = {}
        self.press_failures = 0
        self.pressing: asyncio.Task[None] | None = None
        self.flood: Flood | None = None
        self.keep_calls = True  # the soak turns it off: 100,000 updates' calls are not needed
        # Sends to chats from ``care_from`` on are caregivers' (benchmarks.summaries), counted
        # apart from the patients' so each group's first and last send can be read.
        self.care_from: int | None = None
        self.care_ok = 0
        self.photos_ok = 0
        self.care_first: float | None = None
        self.care_last: float | None = None
        self.patients_first: float | None = None
        self.patients_last: float | None = None

    def record(self, call: RecordedCall) -> None:
        now = time.monotonic()
        if call.status == 200:
            if call.method in ("sendMessage", "sendPhoto"):
                self.sent_ok += 1
                self.sent_first = self.sent_first or now
                self.sent_last = now
                self.photos_ok += call.method == "sendPhoto"
                to = int(call.params.get("chat_id") or 0)
                if self.care_from is not None and to >= self.care_from:
                    self.care_ok += 1
                    self.care_first = self.care_first or now
                    self.care_last = now
                else:
                    self.patients_first = self.patients_first or now
                    self.patients_last = now
            elif call.method == "editMessageText":
                self.edits_ok += 1
                chat, message = call.params.get("chat_id"), call.params.get("message_id")
                query = self.pressed_message.get((int(chat or 0), int(message or 0)))
                if query is not None:
                    self.edited_at.setdefault(query, now)
            elif call.method == "answerCallbackQuery":
                self.answered_at[str(call.params.get("callback_query_id"))] = now
        if self.flood is not None:
            self.flood.record(call, now)
        super().record(call)
        if not self.keep_calls:
            self.calls.clear()

    def stats(self) -> dict[str, Any]:
        return {
            "sent": self.sent_ok,
            "sent_first": self.sent_first,
            "sent_last": self.sent_last,
            "count_429": self.count_429,
            "care_sent": self.care_ok,
            "photos": self.photos_ok,
            "care_first": self.care_first,
            "care_last": self.care_last,
            "patients_first": self.patients_first,
            "patients_last": self.patients_last,
            "edits": self.edits_ok,
            "answers": len(self.answered_at),
            "calls": len(self.calls),
            "cpu": time.process_time(),
            "mono": time.monotonic(),
        }

    def press_taken(self, user: int) -> str | None:
        """Tap [Taken] on the user's newest reminder; the query id, or None if there is none."""
        for message in reversed(self.messages(user)):
            for button in message.buttons():
                data = button.get("callback_data", "")
                if not message.deleted and data.startswith(TAKEN_PREFIX):
                    query = self.press(user, message.message_id, data)
                    self.pressed_message[(user, message.message_id)] = query
                    return query
        return None

    async def press_at_rate(self, users: list[int], rate: float) -> None:
        """Press one user's [Taken] every 1/rate seconds (on an absolute schedule, no drift)."""
        started = time.monotonic()
        for n, user in enumerate(users):
            delay = started + n / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            query_id = self.press_taken(user)
            if query_id is None:
                self.press_failures += 1
            else:
                self.pressed_at[query_id] = time.monotonic()

    def press_report(self) -> dict[str, Any]:
        latencies = [
            (self.answered_at[q] - pressed) * 1000
            for q, pressed in self.pressed_at.items()
            if q in self.answered_at
        ]
        answered = [self.answered_at[q] for q in self.pressed_at if q in self.answered_at]
        edit_latencies = [
            (self.edited_at[q] - pressed) * 1000
            for q, pressed in self.pressed_at.items()
            if q in self.edited_at
        ]
        return {
            "pressed": len(self.pressed_at),
            "press_failures": self.press_failures,
            "answered": len(latencies),
            "latencies_ms": latencies,
            "edit_latencies_ms": edit_latencies,
            "first_press": min(self.pressed_at.values(), default=None),
            "last_press": max(self.pressed_at.values(), default=None),
            "last_answer": max(answered, default=None),
            "edits": self.edits_ok,
        }


EMU: web.AppKey[BenchEmulator] = web.AppKey("bench_emulator")
DONE: web.AppKey[asyncio.Event] = web.AppKey("done")


def _emu(request: web.Request) -> BenchEmulator:
    return request.app[EMU]


async def _stats(request: web.Request) -> web.Response:
    return web.json_response(_emu(request).stats())


async def _config(request: web.Request) -> web.Response:
    emu, body = _emu(request), await request.json()
    if "latency" in body:
        emu.latency = float(body["latency"])
    if "enforce_limits" in body:
        emu.enforce_limits = bool(body["enforce_limits"])
    if "care_from" in body:
        emu.care_from = int(body["care_from"])
    return web.json_response({"latency": emu.latency, "enforce_limits": emu.enforce_limits})


async def _chats(request: web.Request) -> web.Response:
    emu, body = _emu(request), await request.json()
    for user in body["users"]:
        emu.start_chat(int(user))
    return web.json_response({"started": len(body["users"])})


async def _wait_sent(request: web.Request) -> web.Response:
    emu = _emu(request)
    wanted, timeout = int(request.query["n"]), float(request.query.get("timeout", "60"))
    with contextlib.suppress(TimeoutError):
        await emu.wait_for(lambda: emu.sent_ok >= wanted, timeout, what="sends")
    return web.json_response(emu.stats())


async def _press(request: web.Request) -> web.Response:
    emu, body = _emu(request), await request.json()
    emu.pressed_at, emu.press_failures = {}, 0
    emu.pressed_message, emu.edited_at = {}, {}
    users = [int(user) for user in body["users"]]
    emu.pressing = asyncio.get_running_loop().create_task(
        emu.press_at_rate(users, float(body["rate"]))
    )
    return web.json_response({"pressing": len(users)})


async def _press_wait(request: web.Request) -> web.Response:
    emu, timeout = _emu(request), float(request.query.get("timeout", "60"))
    if emu.pressing is not None:
        await emu.pressing

    def all_answered_and_edited() -> bool:
        return all(q in emu.answered_at and q in emu.edited_at for q in emu.pressed_at)

    with contextlib.suppress(TimeoutError):
        await emu.wait_for(all_answered_and_edited, timeout, what="answers and edits")
    return web.json_response(emu.press_report())


async def _flood(request: web.Request) -> web.Response:
    emu, body = _emu(request), await request.json()
    emu.enforce_limits = True  # Telegram's limits: a reply faster than 1/s per chat draws a 429
    flood = emu.flood = Flood(int(body["flooder"]), [int(u) for u in body["others"]])
    await flood.run(emu, int(body["count"]), float(body["seconds"]), float(body["rate"]))
    await asyncio.sleep(float(body.get("settle", 5.0)))  # the last answers and paced replies
    emu.flood = None
    return web.json_response({**flood.report(), "count_429": emu.count_429})


async def _feed(request: web.Request) -> web.Response:
    emu, body = _emu(request), await request.json()
    users = [int(u) for u in body["users"]]
    if "text" in body:  # everyone sends the same text (e.g. /start before a flood run)
        for user in users:
            emu.send_text(user, str(body["text"]))
        return web.json_response({"queued": len(users)})
    emu.keep_calls = False
    queued = feed(emu, users, int(body["round"]))
    return web.json_response({"queued": queued})


async def _shutdown(request: web.Request) -> web.Response:
    request.app[DONE].set()
    return web.json_response({"stopping": True})


async def serve() -> None:
    # The emulator keeps every call it records, so its heap grows all evening, and each full
    # garbage collection pauses it longer: 130 ms after about 7,000 messages (measured). Requests
    # arriving during such a pause are stamped together when it ends, which squeezes them into
    # Telegram's one-second window and draws a 429 that says nothing about the bot. Telegram's
    # servers do not stop like that; this process runs without the cyclic collector (reference
    # counting still frees everything that is not in a cycle).
    gc.disable()
    emu = BenchEmulator()
    await emu.start()
    done = asyncio.Event()
    control = web.Application()
    control[EMU], control[DONE] = emu, done
    control.router.add_get("/stats", _stats)
    control.router.add_post("/config", _config)
    control.router.add_post("/chats", _chats)
    control.router.add_get("/wait_sent", _wait_sent)
    control.router.add_post("/press", _press)
    control.router.add_get("/press_wait", _press_wait)
    control.router.add_post("/flood", _flood)
    control.router.add_post("/feed", _feed)
    control.router.add_post("/shutdown", _shutdown)
    runner = web.AppRunner(control, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    emit("ready", base_url=emu.base_url, control_url=f"http://127.0.0.1:{port}", token=emu.token)
    stdin = await stdin_reader()
    waits = [asyncio.ensure_future(stdin.read()), asyncio.ensure_future(done.wait())]
    await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    for waiting in waits:
        waiting.cancel()
    await runner.cleanup()
    await emu.stop()


if __name__ == "__main__":
    asyncio.run(serve())
