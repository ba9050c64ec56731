"""Every sentence the bot says is in every catalog: translated, with the same placeholders and
markup as the English, plurals complete, and nothing stale left behind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot import i18n

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
TRANSLATED = [language for language in i18n.LANGUAGES if language != i18n.DEFAULT]


def code_msgids() -> set[str | tuple[str, str]]:
    """Every msgid in bot/ (what ``make messages`` extracts)."""
    found: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT / "bot", method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


def catalog_of(language: str) -> Catalog:
    with (i18n.LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source, locale=language)


def marks(text: str) -> tuple[list[str], list[str]]:
    """The placeholders and the HTML tags of a sentence, which a translation must keep."""
    return sorted(re.findall(r"\{\w*\}", text)), sorted(re.findall(r"</?\w+>", text))


def test_the_code_has_sentences() -> None:
    assert len(code_msgids()) > 40


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_msgid_is_translated(language: str) -> None:
    catalog = catalog_of(language)
    missing = []
    for msgid in code_msgids():
        key = msgid[0] if isinstance(msgid, tuple) else msgid
        message = catalog.get(key)
        strings = message.string if message is not None else ""
        forms = strings if isinstance(strings, tuple) else (strings,)
        if message is None or message.fuzzy or not all(forms):
            missing.append(key)
    assert missing == [], f"{len(missing)} untranslated in {language}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_placeholders_and_markup(language: str) -> None:
    wrong = []
    for message in catalog_of(language):
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[1]
        strings = message.string
        forms = [strings] if isinstance(strings, str) else list(strings or ())
        if any(form and marks(form) != marks(source) for form in forms):
            wrong.append(source)
    assert wrong == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_stale_entries(language: str) -> None:
    in_code = {m[0] if isinstance(m, tuple) else m for m in code_msgids()}
    stale = [
        m.id
        for m in catalog_of(language)
        if m.id and (m.id if isinstance(m.id, str) else m.id[0]) not in in_code
    ]
    assert stale == [], "run `make messages` and drop what the code no longer says"


def test_german_is_used() -> None:
    i18n.use("de")
    try:
        assert i18n._("✅ Taken") == "✅ Genommen"
        assert i18n.ngettext("You've taken {dose} for {n} night.", "", 2).startswith("Du hast")
    finally:
        i18n.use(i18n.DEFAULT)
