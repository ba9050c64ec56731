"""Typed callback data: ``v1:<area>:<action>[:<arg>]``, packed and parsed in one place.

Callback data is untrusted client input (1–64 bytes). Parsing is strict; every handler still
checks that the object it names belongs to the person pressing.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from telegram import CallbackQuery
from telegram.error import TelegramError

VERSION = "v1"
MAX_BYTES = 64
_PATTERN = re.compile(r"^v1:([a-z]{1,8}):([a-z_]{1,12})(?::([A-Za-z0-9_/+\-.]{1,40}))?$")


@dataclass(frozen=True)
class Callback:
    area: str
    action: str
    arg: str = ""

    def pack(self) -> str:
        data = f"{VERSION}:{self.area}:{self.action}" + (f":{self.arg}" if self.arg else "")
        if len(data.encode()) > MAX_BYTES or _PATTERN.match(data) is None:
            raise ValueError(f"callback data does not fit the schema: {data!r}")
        return data

    @property
    def arg_int(self) -> int | None:
        """The argument as a non-negative integer id, or None when it is not one."""
        return int(self.arg) if self.arg.isdigit() and len(self.arg) <= 18 else None


def parse(data: str | None) -> Callback | None:
    """The callback, or None for anything that does not match the schema exactly."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    match = _PATTERN.match(data)
    if match is None:
        return None
    area, action, arg = match.groups()
    return Callback(area, action, arg or "")


def area_pattern(area: str) -> str:
    """A regex for CallbackQueryHandler(pattern=...) that routes one area."""
    return rf"^v1:{area}:"


async def answer_quietly(query: CallbackQuery) -> None:
    """Stop the button's spinner. Telegram expires queries after ~15 s ("query is too old"),
    e.g. for a tap made while the bot was down: the tap itself must still be applied (F5)."""
    try:
        await query.answer()
    except TelegramError as error:
        logging.getLogger(__name__).info("callback answer failed: %s", type(error).__name__)
