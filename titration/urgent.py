"""The free-text safety classifier: signs in anything a person types that need an answer at once.

Five signs, most urgent first: thoughts of suicide or self-harm (a crisis answer before anything
else), an allergic reaction and liver trouble ("seek medical care now"), an opioid named (LDN
blocks opioids), and a double dose. English and German.

How a message is read:

1. Normal form: lower case, accents and umlauts folded, apostrophes and hyphens inside words
   dropped (``Co-Codamol`` → ``cocodamol``, ``don't`` → ``dont``); split into clauses at
   punctuation and at "and", "but", "und", "aber" …, so a negation stays in its clause.
2. Each word is looked up: an opioid name (generic or brand; also two words joined, and German
   compounds like ``Tramadoltropfen``), or a keyword. Misspellings count: a word up to 8 letters
   one edit away (9+ letters: two edits) from a keyword (5+ letters) or an opioid name (6+), with
   the same first two letters, reads as it (``tramadoll``, ``alergic``, ``sucidal``).
3. Phrases are regular expressions over those words (``swollen lips``, ``took it twice``).
4. A negation up to three words before a phrase cancels it ("no rash", "keine Schwellung",
   "I don't take codeine"), unless it only hedges ("not sure it's a rash"). Phrases of
   despair are never cancelled by a negation ("I don't want to live"); only a denial of the
   word itself is ("not suicidal"). An opioid named with "anymore", "since", "stopped" … is
   still answered: one taken in the last days still clashes with LDN.

Measured on the table in ``tests/unit/test_safety_table.py`` (recall and false positives are
printed by ``pytest -s``). The bot does not diagnose; it only says what to do now.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from titration.safety_words import (
    ALLERGY,
    COMPOUND_TAILS,
    CRISIS,
    CRISIS_WORDS,
    DOUBLE_DOSE,
    HEDGES,
    KEYWORDS,
    LIVER,
    NEGATIONS,
    NOT_FUZZED,
    OPIOID_NAMES,
    STOPPED,
)

MAX_CHARS = 2000  # longer texts are read up to here


class Urgency(StrEnum):
    """A sign, in the order the answers are given."""

    CRISIS = "crisis"
    ALLERGY = "allergy"
    LIVER = "liver"
    OPIOID = "opioid"
    DOUBLE_DOSE = "double_dose"


@dataclass(frozen=True)
class Reading:
    """What a message says that needs an answer: the signs, most urgent first, and the opioid
    named (its generic, e.g. ``tramadol`` for "Tramal"), if one was."""

    signs: tuple[Urgency, ...]
    opioid: str | None = None


OPIOID = "opioidx"  # the word an opioid name reads as
_CONJUNCTIONS = r"\b(?:and|but|or|although|though|however|und|aber|oder|doch|jedoch)\b"
_CLAUSE_SPLIT = re.compile(r"[.!?;,:\n()]+|" + _CONJUNCTIONS)
_WORD = re.compile(r"[a-z0-9]+")
_POST_DENIAL = re.compile(r"^(habe|hab|hatte) ich (nicht|kein\w*)")


_PATTERNS: tuple[tuple[Urgency, re.Pattern[str]], ...] = (
    (Urgency.ALLERGY, ALLERGY),
    (Urgency.LIVER, LIVER),
    (Urgency.DOUBLE_DOSE, DOUBLE_DOSE),
)


def read(text: str) -> Reading:
    """Every sign in ``text`` (most urgent first) and the opioid it names."""
    found: set[Urgency] = set()
    opioid: str | None = None
    clauses = _clauses(text[:MAX_CHARS])
    for index, clause in enumerate(clauses):
        if index + 1 < len(clauses) and _only_denial(clauses[index + 1]):
            continue  # "Hives? No, chickenpox." "Tramadol? Never."
        words, names = _read_words(clause)
        line = " ".join(words)
        if _crisis(line):
            found.add(Urgency.CRISIS)
        for sign, pattern in _PATTERNS:
            if sign not in found and _affirmed(pattern, line):
                found.add(sign)
        for at, generic in names:
            if _opioid_affirmed(words, at):
                found.add(Urgency.OPIOID)
                opioid = opioid or generic
    return Reading(tuple(sign for sign in Urgency if sign in found), opioid)


def urgent_signs(text: str) -> list[Urgency]:
    """Every sign in ``text``, most urgent first."""
    return list(read(text).signs)


# Reading words ---------------------------------------------------------------------------------


def normal_form(text: str) -> str:
    """Lower case, accents and umlauts folded, apostrophes and in-word hyphens dropped."""
    text = text.replace("ß", "ss").replace("ẞ", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = re.sub(r"(?<=\w)['’`´](?=\w)", "", plain)
    return re.sub(r"(?<=\w)-(?=\w)", "", plain)


_DENIALS = frozenset(("no", "nope", "nah", "never", "nein", "nie", "niemals", "not really"))


def _only_denial(clause: str) -> bool:
    return " ".join(_WORD.findall(clause)) in _DENIALS


def _clauses(text: str) -> list[str]:
    return [part for part in _CLAUSE_SPLIT.split(normal_form(text)) if part and part.strip()]


def _read_words(clause: str) -> tuple[list[str], list[tuple[int, str]]]:
    """The clause's words with each opioid name read as ``OPIOID`` and each misspelled keyword
    as the keyword; and (position, generic) of every opioid named."""
    raw = _WORD.findall(clause)
    words: list[str] = []
    names: list[tuple[int, str]] = []
    skip = False
    for i, word in enumerate(raw):
        if skip:
            skip = False
            continue
        joined = word + raw[i + 1] if i + 1 < len(raw) else ""
        if joined in OPIOID_NAMES:  # "co codamol", "nurofen plus", "tylenol 3"
            names.append((len(words), OPIOID_NAMES[joined]))
            words.append(OPIOID)
            skip = True
            continue
        generic = _opioid_name(word)
        if generic is not None:
            names.append((len(words), generic))
            words.append(OPIOID)
        else:
            words.append(_keyword(word))
    return words, names


@lru_cache(maxsize=4096)
def _opioid_name(word: str) -> str | None:
    if word in OPIOID_NAMES:
        return OPIOID_NAMES[word]
    for tail in COMPOUND_TAILS:  # Tramadoltropfen, Fentanylpflaster
        head = word.removesuffix(tail)
        if head != word and len(head) >= 5 and head in OPIOID_NAMES:
            return OPIOID_NAMES[head]
    near = _nearest(word, _OPIOID_INDEX, 6)
    return OPIOID_NAMES[near] if near is not None else None


@lru_cache(maxsize=4096)
def _keyword(word: str) -> str:
    if word in KEYWORDS:
        return word
    return _nearest(word, _KEYWORD_INDEX, 5) or word


def _index(words: Iterable[str], shortest: int) -> dict[str, tuple[str, ...]]:
    """Words of ``shortest`` letters or more, by their first two letters (only those can be
    misspelled)."""
    found: dict[str, list[str]] = {}
    for word in sorted(words):
        if len(word) >= shortest and word.isalpha():
            found.setdefault(word[:2], []).append(word)
    return {head: tuple(group) for head, group in found.items()}


_OPIOID_INDEX = _index(OPIOID_NAMES, 6)  # shorter names are too near ordinary words
_KEYWORD_INDEX = _index(KEYWORDS, 5)


def _nearest(word: str, index: dict[str, tuple[str, ...]], shortest: int) -> str | None:
    """The indexed word ``word`` (``shortest`` letters or more) is a likely misspelling of."""
    if len(word) < shortest or word in NOT_FUZZED or not word.isalpha():
        return None
    for candidate in index.get(word[:2], ()):
        allowed = 1 if len(candidate) <= 8 else 2
        if abs(len(candidate) - len(word)) <= allowed and _distance(word, candidate) <= allowed:
            return candidate
    return None


def _distance(a: str, b: str) -> int:
    """Edit distance with adjacent swaps (optimal string alignment)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


# Negations -------------------------------------------------------------------------------------


def _denied(words: list[str], at: int, end: int) -> bool:
    """True when a negation up to three words before ``words[at]`` denies it (and does not only
    hedge), or the clause goes on "habe ich nicht" ("Ausschlag habe ich keinen")."""
    for i in range(max(0, at - 3), at):
        if words[i] in NEGATIONS and (i + 1 >= len(words) or words[i + 1] not in HEDGES):
            return True
    return bool(_POST_DENIAL.match(" ".join(words[end:])))


def _affirmed(pattern: re.Pattern[str], line: str) -> bool:
    """True when ``pattern`` occurs in ``line`` at least once without a negation."""
    for match in pattern.finditer(line):
        at = line[: match.start()].count(" ")
        end = at + match.group(0).count(" ") + 1
        if not _denied(line.split(" "), at, end):
            return True
    return False


def _crisis(line: str) -> bool:
    """Despair in so many words is never cancelled; "suicide" alone is by a denial of it."""
    return bool(CRISIS.search(line)) or _affirmed(CRISIS_WORDS, line)


def _opioid_affirmed(words: list[str], at: int) -> bool:
    """An opioid named, not denied ("no opioids", "I don't take codeine"), or named with having
    stopped it ("not taking tramadol anymore": it may still be in the body)."""
    if any(word in STOPPED for word in words[at + 1 : at + 5]):
        return True
    if at + 1 < len(words) and words[at + 1] in ("free", "frei"):  # "opioid-free"
        return False
    return not _denied(words, at, at + 1)
