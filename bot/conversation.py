"""Typed answers go to the feature whose question is open.

Each person has at most one open question (the patient row's step column). The gate looks it up
once per update and notes it here; each feature registers its own text handler with an
``Awaiting`` filter naming its own steps, so no text router serves several features.

The note lives only as long as the update: it is kept in a context variable, and each update is
handled in a task of its own (PTB's ``create_task`` copies the context), where the gate and
every handler after it run. A dict by Telegram id kept one entry for every person ever left
with a question open (onboarding abandoned half-way), for the life of the process.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from enum import StrEnum

from telegram import Message
from telegram.ext.filters import MessageFilter


class OpenQuestions:
    """The step whose answer we wait for from the person of the update being handled."""

    def __init__(self) -> None:
        self._open: ContextVar[tuple[int, str] | None] = ContextVar("open_question", default=None)

    def note(self, telegram_id: int, step: str | None) -> None:
        self._open.set(None if step is None else (telegram_id, step))

    def of(self, telegram_id: int) -> str | None:
        noted = self._open.get()
        return noted[1] if noted is not None and noted[0] == telegram_id else None


class Awaiting(MessageFilter):
    """Messages from people whose open question is one of ``steps``."""

    def __init__(self, questions: OpenQuestions, steps: Iterable[StrEnum]) -> None:
        self._questions = questions
        self._steps = frozenset(step.value for step in steps)
        super().__init__(name=f"Awaiting({sorted(self._steps)})")

    def filter(self, message: Message) -> bool:
        user = message.from_user
        return user is not None and self._questions.of(user.id) in self._steps
