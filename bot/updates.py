"""Update processing: many people at once, but each person's updates one at a time, in order.

Onboarding and dose answers are small state machines in the database; two taps from the same
person handled concurrently could both pass a check before either writes. Serialising per chat
keeps that simple while different patients are still served in parallel.

Telegram numbers updates in increasing order, so an update above the highest id seen so far is
certainly not a repeat (``Watermark``): its button press can be answered before the database has
confirmed it, and the spinner on the person's phone stops at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Up to ``max_concurrent_updates`` at once; never two from the same chat."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}
        self.on_done: Callable[[object], None] | None = None  # observers (tests) only

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        try:
            await self._process_in_order(update, coroutine)
        finally:
            if self.on_done is not None:
                self.on_done(update)

    async def _process_in_order(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _chat_key(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if self._waiting[key] == 0:  # forget idle chats so the maps stay small
                del self._waiting[key]
                del self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


class Watermark:
    """The highest update id seen so far (at start-up: the highest recorded)."""

    def __init__(self, highest: int | None = None) -> None:
        self._highest = highest if highest is not None else -1

    def first_sight(self, update_id: int) -> bool:
        """True when ``update_id`` is above every id seen so far (and raise the mark to it);
        False for a possible repeat, which only the database can tell."""
        if update_id <= self._highest:
            return False
        self._highest = update_id
        return True


def _chat_key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None
