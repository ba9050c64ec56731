"""Correcting a tap (pure rules): [Undo] on tonight's answer, and a night corrected afterwards.

- [Undo] returns an answered night (taken, late or skipped) to open while the night has not
  closed yet (its close is still ahead); after that, the night is corrected like any other.
- A night can be corrected for ``CORRECTABLE_DAYS`` days back (today included); never a future
  night, never a night still open (tonight's reminder answers that).
- A night corrected to taken is stored as ``late``: confirmed afterwards, never "on time". A night
  corrected to not taken is stored as ``skipped`` (the patient says it was not taken); a missed
  or skipped night is "not taken" already, and stays as it is.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from titration.record import NightStatus

CORRECTABLE_DAYS = 7  # nights back from today (today - 7 … today)

ANSWERED = frozenset({NightStatus.TAKEN, NightStatus.LATE, NightStatus.SKIPPED})


class Verdict(StrEnum):
    """Whether a night may be corrected now."""

    ALLOWED = "allowed"
    TOO_OLD = "too_old"
    FUTURE = "future"
    OPEN = "open"  # still open: tonight's reminder buttons answer it


def may_undo(status: NightStatus, closes_at: datetime | None, now: datetime) -> bool:
    """[Undo] on the reminder: the night was answered and its close is still ahead."""
    return status in ANSWERED and closes_at is not None and now < closes_at


def oldest_correctable(today: date) -> date:
    return today - timedelta(days=CORRECTABLE_DAYS)


def verdict(day: date, status: NightStatus, today: date) -> Verdict:
    """May the night of ``day`` (with ``status``) be corrected on the patient's ``today``?"""
    if day > today:
        return Verdict.FUTURE
    if day < oldest_correctable(today):
        return Verdict.TOO_OLD
    if status is NightStatus.PENDING:
        return Verdict.OPEN
    return Verdict.ALLOWED


def corrected_status(taken: bool) -> NightStatus:
    """The stored status of a night corrected to taken / not taken."""
    return NightStatus.LATE if taken else NightStatus.SKIPPED


def changes(status: NightStatus, taken: bool) -> bool:
    """Whether correcting a night with ``status`` to ``taken`` changes what it says."""
    was_taken = status in (NightStatus.TAKEN, NightStatus.LATE)
    return was_taken is not taken  # a missed or skipped night is "not taken" already
