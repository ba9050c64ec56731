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
    COMPOUND_TAILS,
    HEDGES,
    KEYWORDS,
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


def _p(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


_BODY = r"(?:face|lips?|tongue|throat|eyes?|eyelids?|mouth|cheeks?)"
_ALLERGY = _p(
    # English
    r"allerg(?:ic|y|ies) (?:reaction|attack|response)",
    r"(?:am|im|be|being|maybe|probably|think i am|getting|got|very|so|seem) allergic",
    r"allergic to (?:it|this|ldn|naltrexone|the \w+|my \w+)",
    r"(?:a|having|bad|strong|serious) reaction to (?:it|this|ldn|naltrexone|the \w+|my \w+)",
    r"anaphyla\w*",
    r"hives",
    r"urticaria",
    r"rash\w*",
    r"swell\w*",
    r"swollen",
    r"puffy " + _BODY,
    _BODY + r" (?:is |are |looks? |feels? |seems? |got |has gone |went |getting )?"
    r"(?:very |really |all |a bit |so )?(?:puffy|puffed up|fat|thick|big)",
    r"itch\w* all over",
    r"(?:trouble|difficulty|difficult|hard|struggling|struggle|problems?|cant|unable|barely)"
    r" (?:to )?(?:breath\w*|get air|swallow\w*)",
    r"short(?:ness)? of breath",
    r"out of breath",
    r"wheez\w*",
    r"(?:throat|chest) (?:is |feels )?(?:very |so )?(?:tight\w*|closing\w*|swelling)",
    r"tight (?:throat|chest)",
    # German
    r"allergisch\w*",
    r"allergie",
    r"anaphyla\w*",
    r"quaddeln",
    r"nessel\w*",
    r"\w*ausschlag(?:e|en|s)?",
    r"juck\w* (?:am )?ganzen korper",
    r"\w*geschwollen\w*",
    r"\w*schwellung\w*",
    r"aufgequollen\w*",
    r"aufgedunsen\w*",
    r"(?:gesicht|lippen?|zunge|augen|hals|mund) (?:ist |sind |wird |werden )?(?:ganz |total |so |"
    r"sehr )?(?:dick|aufgequollen|aufgedunsen)",
    r"atemnot",
    r"atemprobleme?",
    r"atembeschwerden",
    r"kurzatmig\w*",
    r"keine luft",
    r"kaum luft",
    r"schwer (?:zu )?atmen",
    r"kann (?:kaum|nicht|schlecht) (?:mehr )?(?:richtig )?(?:atmen|schlucken)",
    r"hals (?:ist |wird )?(?:ganz |so )?(?:eng|zu|zugeschnurt)",
)
_EYES = r"(?:eyes?|whites of (?:my |the )?eyes|skin|face)"
_LIVER = _p(
    # English
    r"yellow\w* " + _EYES,
    _EYES + r" (?:\w+ ){0,3}yellow\w*",
    r"jaundice\w*",
    r"(?:dark|brown|cola coloured|cola colored|tea coloured|tea colored) (?:urine|pee|wee)",
    r"(?:urine|pee|wee) (?:is |looks |has been |was )?(?:very |really |so |quite )?"
    r"(?:dark|brown)\w*",
    r"(?:pain\w*|ache\w*|aching|hurts?|sore\w*) (?:under|below|beneath|in|at) (?:the |my )?"
    r"right (?:side |upper )?(?:ribs?|rib cage|ribcage|upper (?:belly|abdomen|tummy|stomach))",
    r"(?:pain\w*|ache\w*|aching|hurts?|sore\w*) (?:under|below|beneath) (?:my |the )?ribs? "
    r"on the right",
    r"right (?:side |upper )?(?:ribs?|rib cage|ribcage|upper (?:belly|abdomen|tummy)) "
    r"(?:pain\w*|hurts?|aches?|aching|sore)",
    # German
    r"gelb\w* (?:haut|augen?|augapfel|augenweiss\w*)",
    r"(?:haut|augen?|augenweiss\w*|augapfel) (?:ist |sind |wird |werden |sieht |sehen |wirkt |"
    r"wirken |auch )?(?:ganz |sehr |etwas |leicht |so |irgendwie )?(?:gelb\w*)",
    r"gelbsucht",
    r"(?:dunkl\w*|brauner?) (?:urin|harn|pipi)",
    r"(?:urin|harn|pipi) (?:ist )?(?:sehr |ganz |so |richtig )?(?:dunkel\w*|braun\w*)",
    r"schmerz\w* (?:unter|unterm|am|im|an) (?:dem |den |der )?(?:rechten )?(?:rippenbogen|rippen)"
    r"(?: rechts)?",
    r"(?:rechts|rechten|rechter) (?:unter |unterm )?(?:den |dem )?(?:rippen\w*|oberbauch\w*)",
    r"(?:im )?rechten oberbauch",
)
_SELF = r"(?:myself|my self)"
_CRISIS_WORDS = _p(r"suicid\w*", r"selbstmord\w*", r"suizid\w*")
_CRISIS = _p(
    # English
    r"kill?(?:ing)? " + _SELF,
    r"end(?:ing)? (?:my life|it all|my own life|things|everything|it tonight|it now)",
    r"tak(?:e|ing) my (?:own )?life",
    r"(?:want|wanted|wanting|wanna|going|ready|like) (?:to )?die",
    r"wish (?:i|id) (?:was|were|could be) dead",
    r"wish (?:i|id) (?:wasnt|werent|was not|could not|couldnt) (?:here|alive|be here|exist)",
    r"wish i (?:didnt|did not|wouldnt|would not|could not) wake up",
    r"better off dead",
    r"better off without me",
    r"(?:dont|do not|no longer) want to (?:live|be alive|be here|wake up|go on|exist)",
    r"(?:no|nothing|no reason) (?:reason )?to live for",
    r"no reason to live",
    r"not worth living",
    r"(?:cant|cannot|can not) go on",
    r"(?:hurt|hurting|harm|harming|cut|cutting) " + _SELF,
    r"self ?harm\w*",
    r"selfharm\w*",
    r"take all (?:of )?(?:my|the) (?:pills|tablets|capsules|meds|medication)",
    r"overdose on purpose",
    # German
    r"(?:mich|mir) (?:selbst )?(?:umbringen|toten|das leben nehmen|etwas antun|was antun|"
    r"weh tun|wehtun|verletzen)",
    r"bring\w* mich um",
    r"(?:will|mochte|wurde|wollte) (?:\w+ )?(?:am liebsten )?(?:sterben|tot sein)",
    r"(?:will|mochte|wollte) (?:so )?nicht mehr (?:leben|da sein|aufwachen|sein|weiterleben)",
    r"nicht mehr leben (?:will|mochte|wollen)",
    r"lebensmude\w*",
    r"(?:allem|dem|alles|meinem leben) (?:\w+ )?ein ende (?:setzen|machen|bereiten)",
    r"(?:schluss|ende) machen",
    r"ritze mich",
    r"mich (?:zu )?ritzen",
    r"selbstverletz\w*",
    r"(?:leben|alles) hat (?:\w+ )?keinen sinn mehr",
    r"kein(?:en)? sinn mehr (?:zu leben|im leben|am leben)",
)
_DOSE = r"(?:doses?|pills?|capsules?|caps|tablets?|tabs|ldn|lots|of them|of my (?:pills|doses|"
_DOSE += r"capsules|tablets))"
_NOT_LDN = (
    r"(?! (?:hours?|days?|weeks?|minutes?|mins?|nights?|months?|years?|tries|goes|attempts|"
    r"steps|buses|trains|paracetamol|ibuprofen|aspirin|advil|tylenol|panadol|puffs|sips|bites|"
    r"naps|showers|baths|walks|breaks|photos|pictures|x rays|tests))"
)
_TOOK = r"(?:took|tok|tooked|taken|have taken|had taken)"
_DOUBLE = _p(
    # English
    _TOOK + r" (?:it |them |my (?:dose|ldn|pill|capsule|tablet|meds|medication) |ldn )?"
    r"(?:twice|two times|2 times|2x)",
    _TOOK + r" (?:two|2|both)" + _NOT_LDN + r"(?: " + _DOSE + r")?",
    r"(?:two|2) doses (?:tonight|today|last night|by mistake|at once|in one night)",
    r"double (?:dose\w*|dosed|up|dosing)",
    r"took (?:a |the )?double",
    r"doubled up",
    r"(?:accidentally|mistakenly) doubled",
    r"took (?:an |one )?(?:extra|additional|second|another) (?:dose|one|pill|capsule|tablet)",
    r"took (?:my dose|my ldn|it|ldn) again",
    r"(?:taken|had) (?:two|2) (?:doses|pills|capsules|tablets)",
    # German
    r"doppelt\w* (?:genommen|eingenommen|dosiert|dosis)",
    r"doppelte dosis",
    r"(?:zweimal|zwei mal|2 mal|2x) (?:\w+ )?(?:genommen|eingenommen)",
    r"(?:zwei|2) (?:kapseln|tabletten|dosen|dosierungen) (?:\w+ )?(?:genommen|eingenommen|"
    r"geschluckt)",
    r"(?:nochmal|noch einmal|nochmals|erneut) (?:\w+ )?(?:genommen|eingenommen)",
    r"(?:versehentlich|aus versehen) (?:\w+ )?(?:zwei|2|doppelt|nochmal|zweimal|noch eine)",
    r"(?:zusatzliche|extra|zweite) (?:dosis|kapsel|tablette) (?:\w+ )?(?:genommen|eingenommen)",
)
_PATTERNS: tuple[tuple[Urgency, re.Pattern[str]], ...] = (
    (Urgency.ALLERGY, _ALLERGY),
    (Urgency.LIVER, _LIVER),
    (Urgency.DOUBLE_DOSE, _DOUBLE),
)


def read(text: str) -> Reading:
    """Every sign in ``text`` (most urgent first) and the opioid it names."""
    found: set[Urgency] = set()
    opioid: str | None = None
    for clause in _clauses(text[:MAX_CHARS]):
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
    return bool(_CRISIS.search(line)) or _affirmed(_CRISIS_WORDS, line)


def _opioid_affirmed(words: list[str], at: int) -> bool:
    """An opioid named, not denied ("no opioids", "I don't take codeine"), or named with having
    stopped it ("not taking tramadol anymore": it may still be in the body)."""
    if any(word in STOPPED for word in words[at + 1 : at + 5]):
        return True
    if at + 1 < len(words) and words[at + 1] in ("free", "frei"):  # "opioid-free"
        return False
    return not _denied(words, at, at + 1)
