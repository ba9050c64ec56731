"""The contract between the scheduler and whoever sends messages (the bot, handed in at start-up).

The scheduler never imports ``bot``: it calls a ``Send`` function with an ``Outgoing`` message and
reads the outcome from the return value (the Telegram message id) or one of these exceptions.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from titration.reminders import ReminderCard, TaskKind


@dataclass(frozen=True)
class Outgoing:
    """One scheduled message: which kind, to whom, about which dose event (or check-in)."""

    kind: TaskKind
    chat_id: int
    patient_id: int
    event_id: int
    card: ReminderCard | None = None
    language: str = "en"  # the patient's: the message is written in it


Send = Callable[[Outgoing], Awaitable[int]]


class DeliveryError(Exception):
    """Base class for send outcomes other than success."""


class RecipientUnreachable(DeliveryError):
    """The person blocked the bot or their account is gone: stop until they come back."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RetryLater(DeliveryError):
    """A transient failure (flood limit, 5xx, network): try again after ``after`` seconds."""

    def __init__(self, after: float | None = None) -> None:
        super().__init__(f"retry after {after}")
        self.after = after


class OutcomeUnknown(DeliveryError):
    """The request may or may not have reached Telegram (read/write timeout)."""


class Undeliverable(DeliveryError):
    """Telegram refused the message for good (a bad request): do not retry."""
