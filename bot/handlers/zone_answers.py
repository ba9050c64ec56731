"""A place typed at a time-zone question (onboarding or /settings): read off the event loop
(``bot.geo.match_zone``), then offered as buttons with the local time in each place, with a
note when the answer was a fixed offset, an abbreviation or a country with several zones."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot import keyboards
from bot import onboarding_texts as words
from bot.geo import match_zone
from bot.handlers.common import Context, reply
from bot.services import services
from titration.zone_words import MatchKind, ZoneMatch, offset_label


async def read_place(context: Context, text: str) -> ZoneMatch:
    """What ``text`` may mean (the gazetteer is built on first use: not on the event loop)."""
    now = services(context).clock.now()
    return await asyncio.get_running_loop().run_in_executor(None, match_zone, text, now)


async def offer(update: Update, context: Context, match: ZoneMatch, zones: tuple[str, ...]) -> None:
    """The zones to pick from (``zones``: those of ``match`` care accepted), with a note."""
    now = services(context).clock.now()
    if match.kind is MatchKind.OFFSET and match.offset_minutes is not None:
        text = words.offset_note(offset_label(match.offset_minutes))
    elif match.kind is MatchKind.ABBREVIATION:
        text = words.abbreviation_note(match.typed)
    elif match.kind is MatchKind.COUNTRY:
        text = words.country_note()
    else:
        text = words.pick_zone()
    places = [place for place in match.places if place.zone in zones]
    await reply(update, context, text, keyboards.places(places, now))
