"""Errors for input a person typed; their message is safe to show to that person."""

from __future__ import annotations

from decimal import Decimal


class InputError(ValueError):
    """A value a person typed was not accepted.

    ``message`` is a short, friendly sentence for the person; ``suggestion`` is the value we
    think they meant (for example 4.5 when they typed 45), if there is one.
    """

    def __init__(self, message: str, suggestion: Decimal | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion
