"""Languages: which one each person reads, the gettext catalogs, and dates and numbers per language.

Every sentence the bot says is an English msgid wrapped in ``_()`` (or ``ngettext`` where a
number decides the form); the German catalog is ``bot/locales/de/LC_MESSAGES/messages.po``. The
``.po`` files are the only source: they are compiled in memory the first time a language is used,
so a fresh checkout needs no build step. The language of the person being answered is set once
per update (``use``), from their stored choice or Telegram's ``language_code``, and once per
scheduled message; everything rendered after that reads it.
"""

from __future__ import annotations

import gettext
import io
from contextvars import ContextVar
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LOCALES = Path(__file__).parent / "locales"
DEFAULT = "en"
LANGUAGES = ("en", "de")  # English is the source language and needs no catalog
NAMES = {"en": "English", "de": "Deutsch"}

_current: ContextVar[str] = ContextVar("language", default=DEFAULT)


def language_for(code: str | None) -> str:
    """The supported language for a Telegram ``language_code`` ("de-AT" → "de"), else English."""
    base = (code or "").split("-")[0].lower()
    return base if base in LANGUAGES else DEFAULT


def use(language: str) -> None:
    """Render everything from here on (in this task) in ``language``."""
    _current.set(language if language in LANGUAGES else DEFAULT)


def current() -> str:
    return _current.get()


@cache
def catalog(language: str) -> gettext.NullTranslations:
    """The compiled catalog of ``language`` (English: the msgids themselves)."""
    path = LOCALES / language / "LC_MESSAGES" / "messages.po"
    if language == DEFAULT or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as source:
        parsed = read_po(source, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, parsed)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _(message: str) -> str:
    """``message`` in the current language."""
    return catalog(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a sentence that fits the number ``n`` ("1 night", "2 nights")."""
    return catalog(current()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a msgid for extraction where it is translated later (tables of labels)."""
    return message


# Numbers and dates ---------------------------------------------------------------------------


def number(value: Decimal | int | float) -> str:
    """A number as the reader writes it: "0.5" in English, "0,5" in German."""
    return format_decimal(value, format="#,##0.###", locale=current())


def percent(value: int) -> str:
    """A whole percentage as the reader writes it: "91%" in English, "91 %" in German."""
    return format_percent(Decimal(value) / 100, locale=current())


def mg(dose: Decimal) -> str:
    """A dose with one decimal place unless more are needed: "1.0 mg", "0.25 mg" / "1,0 mg"."""
    return f"{format_decimal(dose, format='#,##0.0##', locale=current())} mg"


def day(d: date) -> str:
    """A short day: "Sat 28 Nov" / "Sa., 28. Nov."."""
    pattern = "EEE d MMM" if current() == DEFAULT else "EEE, d. MMM"
    return format_date(d, pattern, locale=current())


def clock_time(t: time | datetime) -> str:
    """A time of day on the 24-hour clock: "22:00"."""
    return format_time(t, "HH:mm", locale=current())


def when(instant: datetime, zone: ZoneInfo) -> str:
    """A day and time in ``zone``: "Sat 28 Nov at 22:00" / "Sa., 28. Nov. um 22:00"."""
    local = instant.astimezone(zone)
    return _("{day} at {time}").format(day=day(local.date()), time=clock_time(local))
