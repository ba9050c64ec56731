"""Typed answers go to the feature whose question is open.

Each person has at most one open question (the patient row's step column). The gate looks it up
once per update and notes it here; each feature registers its own text handler with an
``Awaiting`` filter naming its own steps, so no text router serves several features.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from telegram import Message
from telegram.ext.filters import MessageFilter


class OpenQuestions:
    """Telegram id → the step whose answer we wait for, as of the update being handled."""

    def __init__(self) -> None:
        self._open: dict[int, str] = {}

    def note(self, telegram_id: int, step: str | None) -> None:
        if step is None:
            self._open.pop(telegram_id, None)
        else:
            self._open[telegram_id] = step

    def of(self, telegram_id: int) -> str | None:
        return self._open.get(telegram_id)


class Awaiting(MessageFilter):
    """Messages from people whose open question is one of ``steps``."""

    def __init__(self, questions: OpenQuestions, steps: Iterable[StrEnum]) -> None:
        self._questions = questions
        self._steps = frozenset(step.value for step in steps)
        super().__init__(name=f"Awaiting({sorted(self._steps)})")

    def filter(self, message: Message) -> bool:
        user = message.from_user
        return user is not None and self._questions.of(user.id) in self._steps
