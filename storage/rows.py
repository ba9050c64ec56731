"""Small helpers shared by the repository modules: timestamps and decimal columns."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal


def iso(instant: datetime) -> str:
    """UTC ISO 8601 text for a tz-aware instant."""
    return instant.astimezone(UTC).isoformat(timespec="seconds")


def epoch(instant: datetime) -> int:
    """Whole Unix seconds for a tz-aware instant (the due-scan column format)."""
    return int(instant.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def mg(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None
