"""What a patient shares with a caregiver (pure): the scopes, and what each one shows."""

from __future__ import annotations

from enum import StrEnum


class Scope(StrEnum):
    ADHERENCE = "adherence"  # doses taken, late, missed, skipped; the current dose and plan
    FULL = "full"  # adherence, and side effects, suggestions and benefits

    @property
    def shows_effects(self) -> bool:
        """Side effects, the bot's suggestions to talk to the prescriber, and benefit ratings."""
        return self is Scope.FULL


class LinkStatus(StrEnum):
    OPENED = "opened"  # the caregiver opened the invite; not agreed yet, or choosing their zone
    AWAITING_PATIENT = "awaiting_patient"  # the caregiver agreed; the patient has not allowed yet
    ACTIVE = "active"
    REFUSED = "refused"
    ENDED = "ended"  # removed by the patient, left by the caregiver


class SummaryCadence(StrEnum):
    WEEKLY = "weekly"  # Sunday 19:00 in the caregiver's zone
    DAILY = "daily"  # 20:00 in the caregiver's zone
    OFF = "off"
