"""Pacing outgoing messages to Telegram's limits (a python-telegram-bot ``BaseRateLimiter``).

- **Overall:** one message every ``1 / per_second`` seconds, on a fixed grid. A wake-up that runs
  a little late does not push the following messages back, so the rate holds (a leaky bucket of
  one loses each wake-up's lateness: aiolimiter gave 27.6/s for 28.5/s asked).
- **Counted from the start:** a slot is counted from when its request actually starts, not from
  when it was handed out. A request held up after its turn (the event loop stalled, the CPU went
  to another process) pushes the next slot to ``1 / (per_second + 1)`` after its start, so a
  hiccup cannot bunch requests together: at most ``per_second + 1`` start in any second. The
  usual hand-over (well under that margin) moves nothing, so the grid's rate holds.
- **Replies first:** a message answering a person (a button's edit, a command's reply) takes the
  next slot before a scheduled one (``rate_limit_args=SCHEDULED``: reminders, check-ins), so a
  tap is answered at once while the evening's reminders go out. Every fifth slot still goes to
  a scheduled message when both wait, so a flood of replies cannot hold reminders back for good.
- **Bulk last, and slower:** caregivers' summaries and alerts (``rate_limit_args=BULK``) take a
  slot only when no reply and no scheduled message waits: a Sunday evening's summaries never
  delay a bedtime reminder by more than the one slot already taken. Bulk goes at
  ``BULK_PER_SECOND`` (on the grid, and no two starts closer than ``1 / (BULK_PER_SECOND + 1)``):
  the five a second left under Telegram's 30 absorb a pause of up to 0.2 s anywhere on the way
  (the bot's loop, the network, the server) that delivers the requests before it together,
  where 28.5/s left 50 ms.
- **Per chat:** about one message a second to one chat, with a burst of ``PER_CHAT_BURST`` (a
  reply and its follow-up go at once; a chat that floods the bot is answered once a second). A
  message waits for its chat's turn *before* it queues for an overall slot, so a busy chat
  holds back nobody else's messages nor the reminders.
- **After a 429:** Telegram does not say which limit was hit. The chat it came for waits
  ``retry_after`` (its per-chat limit, most likely); only when a second chat draws one while the
  first still waits is the overall limit the likelier cause, and then nothing more is admitted
  until ``retry_after`` has passed; the pace starts again from there, without a burst of
  everything that waited. The request is tried again, up to ``max_retries`` times, and then
  the ``RetryAfter`` is raised to the caller.
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
from dataclasses import dataclass, field
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)

BULK_PER_SECOND = 25.0  # caregivers' summaries and alerts: thousands at once, nobody waiting
SCHEDULED = "scheduled"  # rate_limit_args for messages nobody is waiting for right now
BULK = "bulk"  # rate_limit_args for messages that may wait behind scheduled ones (summaries)
RETRY_MARGIN = 0.1  # seconds added to retry_after: Telegram counts whole seconds
REPLIES_IN_A_ROW = 4  # then one scheduled message, if one waits
# Telegram: "avoid sending more than one message per second" to a chat. A little under one,
# so that the jitter of the way there never puts two into one second.
PER_CHAT_PER_SECOND = 0.95
PER_CHAT_BURST = 3  # messages one chat may get at once before the per-chat pace applies

Result = bool | dict[str, Any] | list[dict[str, Any]]


@dataclass
class SlotGrid:
    """Overall slots ``interval`` apart. Pure: the caller says what time it is."""

    interval: float
    next_slot: float = float("-inf")
    taken: float = float("-inf")  # the slot last taken
    paused_until: float = float("-inf")

    def wait(self, now: float) -> float:
        """Seconds until the next slot opens (0 when it is open now)."""
        return max(self._slot(now) - now, 0.0)

    def take(self, now: float) -> None:
        """Use the open slot (call only when ``wait(now)`` is 0)."""
        self.taken = self._slot(now)
        self.next_slot = self.taken + self.interval

    def started(self, now: float, gap: float, interval: float = 0.0) -> None:
        """The request of the slot just taken started at ``now``: the next slot opens no sooner
        than ``gap`` after it (a start later than its slot pushes the grid back), nor sooner
        than ``interval`` after the slot (a slower pace for this kind of message, kept on the
        grid so that the wake-ups' lateness does not slow it)."""
        self.next_slot = max(self.next_slot, now + gap, self.taken + interval)

    def pause(self, now: float, seconds: float) -> None:
        self.paused_until = max(self.paused_until, now + seconds)

    def _slot(self, now: float) -> float:
        # Less than one interval late: keep the grid (the rate holds). More: the pacer was idle
        # (or paused), so start a new grid now rather than let a burst catch up.
        slot = self.next_slot if now - self.next_slot < self.interval else now
        return max(slot, self.paused_until)


@dataclass
class ChatPace:
    """Each chat's turns, ``interval`` apart with a burst of ``burst`` (GCRA: a token bucket kept
    as one time per chat). Pure: the caller says what time it is. Chats whose turns are all in
    the past are forgotten now and then, so the map holds only chats sent to lately."""

    interval: float
    burst: int
    _next: dict[Any, float] = field(default_factory=dict)  # chat -> its theoretical next turn
    _paused: dict[Any, float] = field(default_factory=dict)  # chat -> end of its 429 pause
    _sweep_at: int = 64

    def reserve(self, chat: Any, now: float) -> float:
        """Take ``chat``'s next turn; seconds to wait for it (0: now)."""
        start = max(self._next.get(chat, now), now, self._paused.get(chat, now))
        turn = max(start - (self.burst - 1) * self.interval, now, self._paused.get(chat, now))
        self._next[chat] = start + self.interval
        if len(self._next) >= self._sweep_at:
            self._sweep(now)
        return turn - now

    def late(self, chat: Any, seconds: float) -> None:
        """``chat``'s turn was used ``seconds`` after it opened (it waited for an overall
        slot): its later turns move as far, as if the turn had been taken then."""
        if chat in self._next:
            self._next[chat] += seconds

    def pause(self, chat: Any, now: float, seconds: float) -> bool:
        """``chat`` drew a 429: it waits ``seconds``. True when another chat is still paused
        too (then the overall limit is the likelier cause)."""
        others = any(until > now for c, until in self._paused.items() if c != chat)
        self._paused[chat] = max(self._paused.get(chat, now), now + seconds)
        return others

    def __len__(self) -> int:
        return len(self._next.keys() | self._paused.keys())

    def _sweep(self, now: float) -> None:
        self._next = {c: t for c, t in self._next.items() if t > now}
        self._paused = {c: t for c, t in self._paused.items() if t > now}
        self._sweep_at = max(64, 2 * len(self._next))


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
        per_chat: float = PER_CHAT_PER_SECOND,
        per_chat_burst: int = PER_CHAT_BURST,
        bulk_per_second: float = BULK_PER_SECOND,
        time: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._grid = SlotGrid(1.0 / per_second)
        self._gap = 1.0 / (per_second + 1)  # between starts, whatever the hand-over's delays
        bulk = min(bulk_per_second, per_second)
        self._bulk_pace = (1.0 / (bulk + 1), 1.0 / bulk)  # gap between starts, grid interval
        self._chats = ChatPace(1.0 / per_chat, per_chat_burst)
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
        chat = data.get("chat_id")
        if chat is None:
            return await callback(*args, **kwargs)
        queue = {SCHEDULED: self._scheduled, BULK: self._bulk}.get(
            rate_limit_args or "", self._replies
        )
        for attempt in range(self._max_retries + 1):
            wait = self._chats.reserve(chat, self._now())
            if wait > 0:
                await self._sleep(wait)  # this chat's turn; nobody else's slot is held
            opened = self._now()
            await self._overall_turn(queue)
            started = self._now()
            if queue is self._bulk:
                self._grid.started(started, *self._bulk_pace)
            else:
                self._grid.started(started, self._gap)
            self._chats.late(chat, started - opened)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == self._max_retries:
                    raise
                self._pause(chat, retry_after_seconds(error) + RETRY_MARGIN)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _pause(self, chat: Any, seconds: float) -> None:
        now = self._now()
        if self._chats.pause(chat, now, seconds):
            log.info("Telegram asked two chats to wait; pausing all messages %.1f s", seconds)
            self._grid.pause(now, seconds)
        else:
            log.info("Telegram asked to wait %.1f s; pausing that chat", seconds)

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
