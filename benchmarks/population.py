"""The synthetic patients: real IANA zones, mostly 21:00–23:00 bedtimes, and one big cohort.

Everything is deterministic. The cohort's reminders all fall due at ``COHORT_AT`` (the bedtime
each cohort patient's zone shows at that instant); every other patient's next reminder is on the
15-minute UTC grid but never at ``COHORT_AT``, so nothing else falls due while a run measures
the cohort (every current zone offset is a multiple of 15 minutes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from titration.timing import next_reminder

# A Tuesday evening in Europe: 21:00 in London, 22:00 in Berlin, 23:00 in Athens.
COHORT_AT = datetime(2026, 12, 1, 21, 0, tzinfo=UTC)
# When the population was "seeded": nothing is due between this and COHORT_AT.
SEEDED_AT = COHORT_AT - timedelta(minutes=10)
FIRST_TELEGRAM_ID = 10_000_000

# (zone, relative share of patients)
ZONES: tuple[tuple[str, int], ...] = (
    ("America/New_York", 10),
    ("America/Chicago", 6),
    ("America/Denver", 3),
    ("America/Phoenix", 1),
    ("America/Los_Angeles", 7),
    ("America/Anchorage", 1),
    ("Pacific/Honolulu", 1),
    ("America/Toronto", 3),
    ("America/Vancouver", 1),
    ("America/Halifax", 1),
    ("America/St_Johns", 1),
    ("America/Mexico_City", 3),
    ("America/Bogota", 2),
    ("America/Lima", 1),
    ("America/Santiago", 1),
    ("America/Sao_Paulo", 4),
    ("America/Argentina/Buenos_Aires", 2),
    ("Atlantic/Reykjavik", 1),
    ("Europe/London", 8),
    ("Europe/Dublin", 1),
    ("Europe/Lisbon", 1),
    ("Africa/Accra", 1),
    ("Europe/Madrid", 4),
    ("Europe/Paris", 5),
    ("Europe/Berlin", 6),
    ("Europe/Amsterdam", 2),
    ("Europe/Rome", 3),
    ("Europe/Stockholm", 1),
    ("Europe/Warsaw", 2),
    ("Africa/Lagos", 1),
    ("Europe/Athens", 1),
    ("Europe/Helsinki", 1),
    ("Europe/Kyiv", 1),
    ("Europe/Bucharest", 1),
    ("Africa/Cairo", 1),
    ("Africa/Johannesburg", 1),
    ("Asia/Jerusalem", 1),
    ("Europe/Istanbul", 2),
    ("Africa/Nairobi", 1),
    ("Asia/Dubai", 1),
    ("Asia/Karachi", 1),
    ("Asia/Kolkata", 4),
    ("Asia/Kathmandu", 1),
    ("Asia/Dhaka", 1),
    ("Asia/Bangkok", 1),
    ("Asia/Singapore", 1),
    ("Asia/Shanghai", 2),
    ("Asia/Manila", 1),
    ("Asia/Seoul", 1),
    ("Asia/Tokyo", 2),
    ("Australia/Perth", 1),
    ("Australia/Adelaide", 1),
    ("Australia/Sydney", 2),
    ("Pacific/Auckland", 1),
    ("Pacific/Chatham", 1),
)

# (local bedtime, relative share): about 80% from 21:00 to 23:00.
BEDTIMES: tuple[tuple[str, int], ...] = (
    ("20:00", 3),
    ("20:30", 4),
    ("21:00", 10),
    ("21:15", 4),
    ("21:30", 10),
    ("21:45", 4),
    ("22:00", 14),
    ("22:15", 4),
    ("22:30", 10),
    ("22:45", 4),
    ("23:00", 10),
    ("23:15", 2),
    ("23:30", 5),
    ("00:00", 4),
    ("00:30", 2),
)

COHORT_EARLIEST, COHORT_LATEST = time(21, 0), time(23, 0)


@dataclass(frozen=True)
class Slot:
    """A (zone, bedtime) pair, when its next reminder falls due, and its share of patients."""

    zone: str
    bedtime: str
    dose_day: str
    due_at: int
    weight: int


def _slot(zone: str, bedtime: str, weight: int) -> Slot:
    dose_day, due = next_reminder(ZoneInfo(zone), time.fromisoformat(bedtime), SEEDED_AT)
    return Slot(zone, bedtime, dose_day.isoformat(), int(due.timestamp()), weight)


def cohort_slots() -> list[Slot]:
    """Zones where COHORT_AT is a bedtime between 21:00 and 23:00, with that bedtime."""
    slots = []
    for zone, weight in ZONES:
        local = COHORT_AT.astimezone(ZoneInfo(zone))
        if COHORT_EARLIEST <= local.time() <= COHORT_LATEST:
            slots.append(_slot(zone, local.strftime("%H:%M"), weight))
    due = {slot.due_at for slot in slots}
    assert due == {int(COHORT_AT.timestamp())}, "cohort slots must all fall due at COHORT_AT"
    return slots


def other_slots() -> list[Slot]:
    """Every other (zone, bedtime), none due at COHORT_AT or within 15 minutes around it."""
    cohort_at = int(COHORT_AT.timestamp())
    slots = []
    for zone, zone_weight in ZONES:
        for bedtime, bedtime_weight in BEDTIMES:
            slot = _slot(zone, bedtime, zone_weight * bedtime_weight)
            if slot.due_at == cohort_at:
                continue  # that is a cohort bedtime
            assert abs(slot.due_at - cohort_at) >= 15 * 60, slot
            slots.append(slot)
    return slots
