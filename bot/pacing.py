"""Pacing outgoing messages to Telegram's limits (a python-telegram-bot ``BaseRateLimiter``).

- **Overall:** one message every ``1 / per_second`` seconds, on a fixed grid. A wake-up that runs
  a little late does not push the following messages back, so the rate holds (a leaky bucket of
  one loses each wake-up's lateness: aiolimiter gave 27.6/s for 28.5/s asked).
- **Replies first:** a message answering a person (a button's edit, a command's reply) takes the
  next slot before a scheduled one (``rate_limit_args=SCHEDULED``: reminders, check-ins), so a
  tap is answered at once while the evening's reminders go out. Every fifth slot still goes to
  a scheduled message when both wait, so a flood of replies cannot hold reminders back for good.
- **Bulk last:** caregivers' summaries and alerts (``rate_limit_args=BULK``) take a slot only
  when no reply and no scheduled message waits: a Sunday evening's summaries never delay a
  bedtime reminder by more than the one slot already taken.
- **After a 429:** nothing more is admitted until ``retry_after`` has passed; then the pace starts
  again from there, without a burst of everything that waited. The request is tried again, up
  to ``max_retries`` times, and then the ``RetryAfter`` is raised to the caller.
- Calls without a ``chat_id`` (``answerCallbackQuery``, ``getMe``, ``setMyCommands``) are not
  counted by Telegram and pass straight through. Only private chats are served (the gate drops
  groups), so there is no per-group limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)

SCHEDULED = "scheduled"  # rate_limit_args for messages nobody is waiting for right now
BULK = "bulk"  # rate_limit_args for messages that may wait behind scheduled ones (summaries)
RETRY_MARGIN = 0.1  # seconds added to retry_after: Telegram counts whole seconds
REPLIES_IN_A_ROW = 4  # then one scheduled message, if one waits

Result = bool | dict[str, Any] | list[dict[str, Any]]


@dataclass
class SlotGrid:
    """Overall slots ``interval`` apart. Pure: the caller says what time it is."""

    interval: float
    next_slot: float = float("-inf")
    paused_until: float = float("-inf")

    def wait(self, now: float) -> float:
        """Seconds until the next slot opens (0 when it is open now)."""
        return max(self._slot(now) - now, 0.0)

    def take(self, now: float) -> None:
        """Use the open slot (call only when ``wait(now)`` is 0)."""
        self.next_slot = self._slot(now) + self.interval

    def pause(self, now: float, seconds: float) -> None:
        self.paused_until = max(self.paused_until, now + seconds)

    def _slot(self, now: float) -> float:
        # Less than one interval late: keep the grid (the rate holds). More: the pacer was idle
        # (or paused), so start a new grid now rather than let a burst catch up.
        slot = self.next_slot if now - self.next_slot < self.interval else now
        return max(slot, self.paused_until)


def retry_after_seconds(error: RetryAfter) -> float:
    """How long Telegram asked to wait. PTB 22 is moving the attribute from int seconds to a
    timedelta and warns on every read meanwhile; either form is accepted here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        after = error.retry_after
    return after.total_seconds() if hasattr(after, "total_seconds") else float(after)


class Pacer(BaseRateLimiter[str]):
    """Telegram's limits for a bot that talks to people one to one (see the module docstring)."""

    def __init__(
        self,
        per_second: float,
        *,
        max_retries: int = 3,
        time: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._grid = SlotGrid(1.0 / per_second)
        self._max_retries = max_retries
        self._time = time
        self._sleep = sleep
        self._replies: deque[asyncio.Future[None]] = deque()
        self._scheduled: deque[asyncio.Future[None]] = deque()
        self._bulk: deque[asyncio.Future[None]] = deque()
        self._admitter: asyncio.Task[None] | None = None
        self._replies_in_a_row = 0

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        if self._admitter is not None:
            self._admitter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._admitter
            self._admitter = None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> Result:
        if data.get("chat_id") is None:
            return await callback(*args, **kwargs)
        queue = {SCHEDULED: self._scheduled, BULK: self._bulk}.get(
            rate_limit_args or "", self._replies
        )
        for attempt in range(self._max_retries + 1):
            await self._overall_turn(queue)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == self._max_retries:
                    raise
                seconds = retry_after_seconds(error)
                log.info("Telegram asked to wait %s s; pausing all messages", seconds)
                self._grid.pause(self._now(), seconds + RETRY_MARGIN)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _now(self) -> float:
        return self._time() if self._time is not None else asyncio.get_running_loop().time()

    async def _overall_turn(self, queue: deque[asyncio.Future[None]]) -> None:
        now = self._now()
        if not self._waiting() and self._grid.wait(now) == 0:
            self._grid.take(now)  # nobody waiting and the slot is open: no hand-over needed
            return
        turn = asyncio.get_running_loop().create_future()
        queue.append(turn)
        if self._admitter is None or self._admitter.done():
            self._admitter = asyncio.create_task(self._admit(), name="pacer")
        await turn

    async def _admit(self) -> None:
        """Open each slot in turn for the first waiter, replies before scheduled messages."""
        while self._waiting():
            wait = self._grid.wait(self._now())
            if wait > 0:
                await self._sleep(wait)
                continue  # a reply may have come, or a 429 paused everything meanwhile
            turn = self._next_turn()
            if turn is not None:
                self._grid.take(self._now())
                turn.set_result(None)

    def _next_turn(self) -> asyncio.Future[None] | None:
        turn = None
        if self._replies_in_a_row < REPLIES_IN_A_ROW:
            turn = _first_waiting(self._replies)
        if turn is not None:
            self._replies_in_a_row += 1
            return turn
        self._replies_in_a_row = 0
        return (
            _first_waiting(self._scheduled)
            or _first_waiting(self._replies)
            or _first_waiting(self._bulk)
        )

    def _waiting(self) -> bool:
        return bool(self._replies or self._scheduled or self._bulk)


def _first_waiting(queue: deque[asyncio.Future[None]]) -> asyncio.Future[None] | None:
    while queue:
        turn = queue.popleft()
        if not turn.done():  # a waiter that was cancelled gives its place up
            return turn
    return None
