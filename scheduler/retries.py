"""When to try a task again after a failure, and when to give up on unexpected errors."""

from __future__ import annotations

import random

MAX_ATTEMPTS = 8
MAX_BACKOFF_SECONDS = 300.0


def backoff_seconds(attempts: int) -> float:
    """Capped exponential backoff with jitter: ~2 s, 4 s, 8 s … up to five minutes."""
    base: float = min(2.0**attempts, MAX_BACKOFF_SECONDS)
    return base * random.uniform(0.8, 1.2)
