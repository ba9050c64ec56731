"""Words in free text that need an urgent answer: an allergic reaction, liver trouble, opioids.

English and German words are recognised (the languages the bot speaks).

The bot does not diagnose; it only recognises words that mean "seek medical care now" (or, for
opioids, "do not combine with LDN") and says so at once.
"""

from __future__ import annotations

import re
from enum import StrEnum

from titration.screening import mentioned_opioid


class Urgency(StrEnum):
    ALLERGY = "allergy"
    LIVER = "liver"
    OPIOID = "opioid"


_ALLERGY = re.compile(
    r"\b(rash|hives|swell\w*|swollen|itch\w* all over|(trouble|difficulty|hard to|can'?t|cannot)"
    r" breath\w*|short(ness)? of breath|wheez\w*|throat (is )?(tight|closing)|anaphyla\w*)\b"
    # German: Ausschlag (Hautausschlag), Quaddeln, Nesselsucht, geschwollen, Schwellung(en),
    # Atemnot, keine Luft, schwer atmen, Atembeschwerden, Hals (ist) eng / zugeschnürt.
    r"|\w*ausschl(a|ä)g(e|en|s)?\b|\b(quaddel\w*|nesselsucht|\w*geschwollen\w*|\w*schwellung\w*"
    r"|atemnot|atemprobleme?|keine luft|schwer (zu )?atmen|atembeschwerden|kurzatmig\w*"
    r"|anaphylax\w*|juckt am ganzen k(ö|oe)rper"
    r"|hals (ist |wird )?(ganz )?(eng|zu|zugeschn(ü|ue)rt))\b",
    re.IGNORECASE,
)
_LIVER = re.compile(
    r"\b(yellow\w* (skin|eyes?)|(skin|eyes?) (is |are |look |looks |turning |turned )?yellow\w*"
    r"|jaundice\w*|dark (urine|pee)|(urine|pee) (is )?(very )?dark)\b"
    # German: gelbe Haut / Augen, Haut / Augen (sind) gelb, Gelbsucht, dunkler Urin,
    # Urin (ist) (sehr) dunkel.
    r"|\b(gelb\w* (haut|augen?)|(haut|augen?) (ist |sind |wird |werden |sieht |sehen )?"
    r"(ganz |sehr )?gelb\w*|gelbsucht|dunkl\w* (urin|harn|pipi)"
    r"|(urin|harn|pipi) (ist )?(sehr |ganz )?dunkel\w*)\b",
    re.IGNORECASE,
)
# German spellings of opioids the English list (``titration.screening``) does not catch.
_OPIOID_DE = re.compile(
    r"\b(codein|morphin|oxycodon|hydrocodon|hydromorphon|tapentadol|buprenorphin|methadon"
    r"|dihydrocodein|pethidin|tilidin|opioide?|opiate?)s?\b",
    re.IGNORECASE,
)


def urgent_signs(text: str) -> list[Urgency]:
    """Every urgent sign in ``text``, most urgent first."""
    sample = text[:2000]
    found = []
    if _ALLERGY.search(sample):
        found.append(Urgency.ALLERGY)
    if _LIVER.search(sample):
        found.append(Urgency.LIVER)
    if mentioned_opioid(sample) or _OPIOID_DE.search(sample):
        found.append(Urgency.OPIOID)
    return found
