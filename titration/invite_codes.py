"""One-time invite codes (pure): made from 192 random bits, carried in a t.me start link, and
kept only as a SHA-256 fingerprint.

A code is ``cg_`` and 32 URL-safe base64 characters (35 in all: Telegram allows start payloads
of up to 64 characters from ``A-Za-z0-9_-``). The prefix tells an invite from other start
payloads; the rest is ``secrets.token_urlsafe(24)``.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

PREFIX = "cg_"
RANDOM_BYTES = 24  # 192 bits
VALID_FOR = timedelta(hours=72)
MAX_PENDING = 5  # unused, unexpired invites per patient
_SHAPE = re.compile(rf"{PREFIX}[A-Za-z0-9_-]{{32}}")


def new_code() -> str:
    """A fresh code (never stored: only its fingerprint is)."""
    return PREFIX + secrets.token_urlsafe(RANDOM_BYTES)


def fingerprint(code: str) -> str:
    """The SHA-256 of the code, in hex: what the database keeps."""
    return hashlib.sha256(code.encode()).hexdigest()


def well_formed(code: str) -> bool:
    """True when ``code`` has the shape of one this module makes (it may still be unknown)."""
    return _SHAPE.fullmatch(code) is not None


def is_invite(payload: str) -> bool:
    """True when a start payload is meant as an invite (well-formed or not)."""
    return payload.startswith(PREFIX)
