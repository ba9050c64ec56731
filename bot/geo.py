"""Where on Earth → which IANA time zone, offline: a location shared in Telegram picks the zone.

Backed by ``tzfpy`` (a Rust wheel with the boundary polygons built in; no numpy, no data
download). Importing this module is cheap: ``tzfpy`` builds its finder on the first lookup, which
takes about 60 ms and some 40 MB, and answers later lookups in about a microsecond. Call
``zone_at`` off the event loop (``run_in_executor``) so that first lookup does not stall it.

At sea the answer is a nautical zone (``Etc/GMT+3`` in the mid-Atlantic, ``Etc/GMT`` at the
North Pole), as timezonefinder gave before; those are real ``zoneinfo`` zones, so they are kept.
"""

from __future__ import annotations

from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tzfpy


def zone_at(latitude: float, longitude: float) -> str | None:
    """The IANA zone name at a point, or None when there is none to use.

    None for a latitude outside [-90, 90] or a longitude outside [-180, 180] (NaN and infinities
    included), where no zone covers the point, and for a name this machine's ``zoneinfo`` data
    does not know (the boundary data and ``tzdata`` are released separately), so a caller can
    always pass the answer to ``ZoneInfo``.
    """
    if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):  # False for NaN
        return None
    found = tzfpy.get_tz(longitude, latitude)  # longitude first
    return found if found and _known(found) else None


@cache
def _known(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
