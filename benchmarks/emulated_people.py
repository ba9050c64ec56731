"""People for the flood and soak benchmarks, played inside the emulator process.

``Flood``: one chat sends ``count`` messages within ``seconds`` while other people, who have
each been sent a button, send ``/help`` and press their button at a steady rate; it records when
each of them was answered. ``feed``: one round of mixed updates (texts, commands, presses of the
newest button) from many people, for the memory soak.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from tests.emulator import BotApiEmulator, RecordedCall


@dataclass
class Flood:
    """The timings one flood run collects (``time.monotonic()``)."""

    flooder: int
    others: list[int]
    asked: dict[int, float] = field(default_factory=dict)  # update id of a /help -> sent at
    asked_by: dict[int, int] = field(default_factory=dict)  # chat -> its pending /help update
    replied: dict[int, float] = field(default_factory=dict)  # update id -> first reply after
    pressed: dict[str, float] = field(default_factory=dict)  # query id -> pressed at
    answered: dict[str, float] = field(default_factory=dict)  # query id -> answered at
    flooder_sends: list[float] = field(default_factory=list)
    slow_downs: int = 0
    started: float = 0.0

    def record(self, call: RecordedCall, now: float) -> None:
        if call.status != 200:
            return
        chat = call.params.get("chat_id")
        if call.method == "answerCallbackQuery":
            query = str(call.params.get("callback_query_id"))
            if query in self.pressed:
                self.answered.setdefault(query, now)
        elif call.method == "sendMessage" and chat is not None:
            if int(chat) == self.flooder:
                self.flooder_sends.append(now)
                self.slow_downs += "lot of messages at once" in str(call.params.get("text"))
            elif int(chat) in self.asked_by:
                self.replied.setdefault(self.asked_by.pop(int(chat)), now)

    async def run(self, emu: BotApiEmulator, count: int, seconds: float, rate: float) -> None:
        """The flood in ``seconds``, meanwhile one person's /help or press every 1/rate s."""
        self.started = time.monotonic()
        others = asyncio.ensure_future(self._others(emu, rate, duration=max(seconds, 10.0)))
        for n in range(count):
            delay = self.started + n * seconds / count - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            emu.send_text(self.flooder, f"hello {n}")
        await others

    async def _others(self, emu: BotApiEmulator, rate: float, duration: float) -> None:
        n = 0
        while (at := self.started + n / rate) < self.started + duration:
            await asyncio.sleep(max(0.0, at - time.monotonic()))
            user = self.others[n % len(self.others)]
            if (n // len(self.others)) % 2 == 0 and user not in self.asked_by:
                update = emu.send_text(user, "/help")["update_id"]
                self.asked[update], self.asked_by[user] = time.monotonic(), update
            else:
                query = press_newest(emu, user)
                if query is not None:
                    self.pressed[query] = time.monotonic()
            n += 1

    def report(self) -> dict[str, Any]:
        sends = self.flooder_sends
        span = (sends[-1] - sends[0]) if len(sends) > 1 else 0.0
        return {
            "reply_ms": [
                (self.replied[u] - t) * 1000 for u, t in self.asked.items() if u in self.replied
            ],
            "asked": len(self.asked),
            "press_ms": [
                (self.answered[q] - t) * 1000 for q, t in self.pressed.items() if q in self.answered
            ],
            "pressed": len(self.pressed),
            "flooder_replies": len(sends),
            "flooder_span_s": span,
            "flooder_most_in_a_second": most_in_one_second(sends),
            "slow_downs": self.slow_downs,
        }


def most_in_one_second(times: list[float]) -> int:
    most, start = 0, 0
    for end, at in enumerate(times):
        while times[start] <= at - 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


def press_newest(emu: BotApiEmulator, user: int) -> str | None:
    """Press the first button of the user's newest message that has buttons."""
    for message in reversed(emu.messages(user)[-5:]):
        for button in message.buttons():
            data = button.get("callback_data")
            if data and not message.deleted:
                return emu.press(user, message.message_id, data)
    return None


KINDS = ("/start", "press", "hello", "/help", "press", "/today", "press", "/settings", "/cancel")


def feed(emu: BotApiEmulator, users: list[int], round_no: int) -> int:
    """One update from each of ``users``: the kind cycles with the round (a press falls back to
    a text when the person has no button). Returns how many were queued."""
    for n, user in enumerate(users):
        kind = KINDS[(round_no + n) % len(KINDS)]
        if kind != "press" or press_newest(emu, user) is None:
            emu.send_text(user, kind if kind != "press" else "ok")
    return len(users)
