"""Scripted failures: per-method queues of faults consumed in order, one per request."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus


@dataclass(frozen=True)
class Fault:
    """How to answer one request instead of (or in addition to) handling it normally.

    ``apply`` performs the real action first (e.g. the message is recorded as sent) and then
    answers with the fault: the client sees an error although Telegram did the work.
    ``then_succeed_late`` performs the action and answers the genuine 200 result after
    ``delay`` seconds; with a client read timeout shorter than ``delay`` this is the classic
    "outcome unknown" timeout.
    ``held_until`` keeps the answer back until it returns true (checked on every
    ``emu.notify()``): a Telegram that is slow for exactly as long as a test needs.
    """

    status: int = 500
    description: str | None = None
    retry_after: int | None = None
    body: str | None = None
    content_type: str | None = None
    delay: float | None = None
    drop_connection: bool = False
    then_succeed_late: bool = False
    apply: bool = False
    held_until: Callable[[], bool] | None = None

    @property
    def performs_action(self) -> bool:
        """Whether the real handler runs before the faulty answer is given."""
        return self.apply or self.then_succeed_late

    def error_description(self) -> str:
        """The description for a JSON error body, defaulting to Telegram's wording."""
        if self.description is not None:
            return self.description
        if self.status == 429:
            return f"Too Many Requests: retry after {self.retry_after or 1}"
        try:
            return HTTPStatus(self.status).phrase
        except ValueError:
            return "Unknown error"


class FaultQueue:
    """Faults waiting for their method; method names are case-insensitive like Telegram's."""

    def __init__(self) -> None:
        self._queues: defaultdict[str, deque[Fault]] = defaultdict(deque)

    def add(self, method: str, fault: Fault, times: int = 1) -> None:
        """Queue ``fault`` for the next ``times`` calls of ``method``."""
        self._queues[method.lower()].extend([fault] * times)

    def pop(self, method: str) -> Fault | None:
        """Take the next fault for ``method``, if any."""
        queue = self._queues.get(method.lower())
        return queue.popleft() if queue else None

    def pending(self, method: str | None = None) -> int:
        """How many faults are still queued (for one method or all)."""
        if method is not None:
            return len(self._queues.get(method.lower(), ()))
        return sum(len(queue) for queue in self._queues.values())

    def clear(self) -> None:
        """Forget all queued faults."""
        self._queues.clear()
