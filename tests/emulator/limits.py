"""Flood control like Telegram's: a global sliding window plus a per-chat token bucket.

Telegram documents roughly 30 messages per second overall and about one message per second
per chat, tolerating short bursts. Time comes from the caller (the emulator's injectable
clock), so tests can advance it instead of sleeping.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class FloodLimiter:
    """Decides whether a message-producing call may pass, and for how long it must wait."""

    def __init__(self) -> None:
        self._recent: deque[float] = deque()  # times of accepted calls within the last second
        self._buckets: dict[int, _Bucket] = {}

    def acquire(
        self,
        chat_id: int | None,
        now: float,
        *,
        global_limit: int,
        per_chat_limit: float,
        per_chat_burst: int,
    ) -> int | None:
        """Take a slot and return None, or return retry_after (whole seconds, >= 1)."""
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        if len(self._recent) >= global_limit:
            return _seconds(self._recent[0] + 1.0 - now)
        bucket = None
        if chat_id is not None:
            bucket = self._buckets.setdefault(chat_id, _Bucket(float(per_chat_burst), now))
            elapsed = max(0.0, now - bucket.updated)
            bucket.tokens = min(float(per_chat_burst), bucket.tokens + elapsed * per_chat_limit)
            bucket.updated = now
            if bucket.tokens < 1.0:
                return _seconds((1.0 - bucket.tokens) / per_chat_limit)
            bucket.tokens -= 1.0
        self._recent.append(now)
        return None


def _seconds(wait: float) -> int:
    return max(1, math.ceil(wait))
