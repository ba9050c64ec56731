"""Update processing: many people at once, but each person's updates one at a time, in order.

Onboarding and dose answers are small state machines in the database; two taps from the same
person handled concurrently could both pass a check before either writes. Serialising per chat
keeps that simple while different patients are still served in parallel.

Fairness: a chat's waiting updates hold none of the slots that bound how many are handled at
once, and each chat may have ``BACKLOG`` accepted; more are dropped (``bot.overflow`` answers
the first of them, and every button press, with a "slow down"). So one chat sending thousands of
messages in a second stalls nobody else, and its own backlog stays small; its replies are paced
to Telegram's one message a second per chat by ``bot.pacing``.

Telegram numbers updates in increasing order, so an update above the highest id seen so far is
certainly not a repeat (``Watermark``): its button press can be answered before the database has
confirmed it, and the spinner on the person's phone stops at once. One odd update id (a forged
or damaged one through the webhook, far above the others) must not spoil that for good.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import Application, BaseUpdateProcessor

log = logging.getLogger(__name__)

BACKLOG = 10  # updates accepted per chat: the one being handled and nine waiting
UNBOUNDED = sys.maxsize  # PTB's own semaphore, which would count waiting updates too


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Up to ``max_running`` updates handled at once, never two from the same chat, and at most
    ``backlog`` per chat accepted (the one being handled and those waiting behind it).

    PTB gives each update a task of its own at once and then calls ``process_update``, whose
    semaphore (``max_concurrent_updates``) counts updates *waiting* here as well as running: with
    PTB's bound, one chat's flood would fill every slot with updates queued behind its own chat
    and stall everyone else. So PTB's bound is set out of reach, and the bound that matters is
    taken here, by an update only once it is the first of its chat: a chat's queue holds no slot.
    An update beyond a chat's backlog is not handled; ``on_overflow(update, first)`` hears of it
    (``first``: the first one dropped since the chat was last idle, for one "slow down").
    """

    def __init__(self, max_running: int, *, backlog: int = BACKLOG) -> None:
        super().__init__(UNBOUNDED)
        self._running = asyncio.Semaphore(max_running)
        self._backlog = backlog
        self._chats: dict[int, _ChatQueue] = {}
        self.on_overflow: Callable[[Update, bool], None] | None = None
        self.on_finished: list[Callable[[object], None]] = []  # per update, handled or dropped
        self.on_done: Callable[[object], None] | None = None  # observers (tests) only
        self.application: Application[Any, Any, Any, Any, Any, Any] | None = None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        try:
            await self._process_in_order(update, coroutine)
        finally:
            if self.application is not None:
                forget_persistence_marks(self.application)
            for finished in self.on_finished:
                finished(update)
            if self.on_done is not None:
                self.on_done(update)

    async def _process_in_order(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _chat_key(update)
        if key is None:
            async with self._running:
                await coroutine
            return
        chat = self._chats.get(key)
        if chat is None:
            chat = self._chats[key] = _ChatQueue()
        if chat.accepted >= self._backlog:
            _discard(coroutine)
            first, chat.dropped = chat.dropped == 0, chat.dropped + 1
            if self.on_overflow is not None and isinstance(update, Update):
                self.on_overflow(update, first)
            return
        chat.accepted += 1
        try:
            async with chat.turn, self._running:
                await coroutine
        finally:
            chat.accepted -= 1
            if chat.accepted == 0:  # forget idle chats so the map stays small
                del self._chats[key]
                if chat.dropped:
                    log.info("a chat's backlog was full: %d updates dropped", chat.dropped)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


@dataclass
class _ChatQueue:
    """One chat's updates: the one being handled holds ``turn``, the others wait for it."""

    turn: asyncio.Lock = field(default_factory=asyncio.Lock)
    accepted: int = 0  # being handled or waiting
    dropped: int = 0  # since the chat was last idle


def _discard(coroutine: Awaitable[Any]) -> None:
    """An update's processing that will never run (closed, so Python does not warn of it)."""
    if isinstance(coroutine, Coroutine):
        coroutine.close()


def forget_persistence_marks(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Empty the sets in which PTB notes every chat and user that sent an update, for its
    persistence to save. Only ``update_persistence`` empties them, and it runs only with a
    persistence, which this bot has not (its state is in SQLite): without this they hold one id
    per chat and per user ever seen, and the process grows with every new person, for good."""
    if app.persistence is None:
        app._chat_ids_to_be_updated_in_persistence.clear()
        app._user_ids_to_be_updated_in_persistence.clear()


# How far above the highest id seen an update may be and still raise the mark on sight. Telegram
# skips ids only for updates it dropped (kept 24 h while the bot is down) or after a week without
# any update (the next id is then chosen at random); either way two updates in a row re-anchor.
JUMP = 100_000


class Watermark:
    """The highest update id seen so far (at start-up: the highest recorded), which tells an
    update that is certainly new from a possible repeat (only the database can tell those).

    The mark follows the sequence Telegram actually sends. An id more than JUMP above it is
    not trusted to move it on sight: a forged or damaged update_id through the webhook would
    otherwise make every later press wait for the database, for good (after a restart, too:
    the mark starts from the highest id recorded). And when two updates in a row that the mark
    could not vouch for turn out new in the database, close together, the sequence has moved
    (Telegram renumbered, or an odd id was recorded before a restart): the mark moves to them.
    So an odd id costs at most two updates their early answer, never every one after it.
    """

    def __init__(self, highest: int | None = None) -> None:
        self._highest = highest
        self._stray: int | None = None  # the last update the mark could not vouch for, found new

    def first_sight(self, update_id: int) -> bool:
        """True when ``update_id`` is above every id seen so far, and not far above (the mark
        rises to it); False for a possible repeat or a far jump, which the database decides."""
        highest = self._highest
        if highest is not None and not highest < update_id <= highest + JUMP:
            return False
        self._highest = update_id
        self._stray = None
        return True

    def found_new(self, update_id: int) -> None:
        """The database recorded ``update_id`` for the first time, though ``first_sight``
        could not vouch for it."""
        if self._stray is not None and 0 < update_id - self._stray <= JUMP:
            self._highest = update_id  # two in a row: this is where Telegram's sequence is now
            self._stray = None
        else:
            self._stray = update_id


def _chat_key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None
