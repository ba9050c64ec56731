"""What preparing a due task gives: a message to send, or a final state to record."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from scheduler.delivery import Outgoing
from storage.tasks import Task
from titration.reminders import Action


@dataclass(frozen=True)
class Prepared:
    """A due task after loading and deciding: a message to send, or a final state to record.

    ``prepared_at`` (monotonic) lets the send queue drop a message whose patient paused or
    erased everything after it was prepared but before it went out."""

    task: Task
    action: Action
    outgoing: Outgoing | None = None
    final_state: str = "done"
    prepared_at: float = field(default_factory=time.monotonic)
