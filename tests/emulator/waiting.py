"""Event-driven waiting: wake every waiter whenever the emulator's state changes.

This is a broadcast condition variable. It is built from a swapped ``asyncio.Event`` rather
than ``asyncio.Condition`` because the test driver mutates state from plain (non-async)
methods, and ``Condition.notify_all`` may only be called by a coroutine holding its lock.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class ChangeSignal:
    """Notify-all signal; waiters re-check their predicate after every notification."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        """Wake everyone currently waiting."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for(self, predicate: Callable[[], bool], seconds: float) -> bool:
        """Wait until predicate() is true; return False if ``seconds`` pass first."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            try:
                await asyncio.wait_for(self._event.wait(), remaining)
            except TimeoutError:
                return predicate()
        return True
