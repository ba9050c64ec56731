"""A clock for tests: time moves only when a test moves it (``scheduler.clock.Clock``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class FakeClock:
    """A clock that only moves when told to; listeners hear every move."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs a tz-aware start")
        self._now = start.astimezone(UTC)
        self._listeners: list[Callable[[], None]] = []

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta
        for listener in self._listeners:
            listener()

    def set(self, instant: datetime) -> None:
        self.advance(instant.astimezone(UTC) - self._now)

    def on_change(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)
