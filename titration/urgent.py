"""Words in free text that need an urgent answer: an allergic reaction, liver trouble, opioids.

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
    r" breath\w*|short(ness)? of breath|wheez\w*|throat (is )?(tight|closing)|anaphyla\w*)\b",
    re.IGNORECASE,
)
_LIVER = re.compile(
    r"\b(yellow\w* (skin|eyes?)|(skin|eyes?) (is |are |look |looks |turning |turned )?yellow\w*"
    r"|jaundice\w*|dark (urine|pee)|(urine|pee) (is )?(very )?dark)\b",
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
    if mentioned_opioid(sample):
        found.append(Urgency.OPIOID)
    return found
