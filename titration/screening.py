"""Safety screening before LDN starts: the questions, their order, and the verdict.

Opioids (including tramadol and codeine) or a known naltrexone allergy stop the plan from
starting. Liver disease, pregnancy or breastfeeding allow it only once the patient confirms their
provider knows. The bot never decides whether someone may take LDN; it only refuses to remind
when the source says the combination is unsafe, and explains why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Question(StrEnum):
    """Screening questions, asked in this order."""

    OPIOIDS = "opioids"
    ALLERGY = "allergy"
    CAUTION = "caution"
    PROVIDER_KNOWS = "provider"


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


class StopReason(StrEnum):
    OPIOIDS = "opioids"
    ALLERGY = "allergy"
    PROVIDER_UNAWARE = "provider_unaware"


@dataclass(frozen=True)
class Outcome:
    """Either the next question to ask, a reason not to start, or ``passed``."""

    next_question: Question | None = None
    stop: StopReason | None = None
    check_first: bool = False  # "Not sure" about opioids: check with a pharmacist, then answer

    @property
    def passed(self) -> bool:
        return self.next_question is None and self.stop is None


def screening_outcome(answers: Mapping[Question, Answer]) -> Outcome:
    """What follows from the answers given so far. "Not sure" about opioids asks again, after a
    suggestion to check the medicines with a pharmacist; elsewhere it counts as yes: safety
    first."""
    opioids = answers.get(Question.OPIOIDS)
    if opioids is None:
        return Outcome(next_question=Question.OPIOIDS)
    if opioids is Answer.UNSURE:
        return Outcome(next_question=Question.OPIOIDS, check_first=True)
    if opioids is not Answer.NO:
        return Outcome(stop=StopReason.OPIOIDS)
    allergy = answers.get(Question.ALLERGY)
    if allergy is None:
        return Outcome(next_question=Question.ALLERGY)
    if allergy is not Answer.NO:
        return Outcome(stop=StopReason.ALLERGY)
    caution = answers.get(Question.CAUTION)
    if caution is None:
        return Outcome(next_question=Question.CAUTION)
    if caution is Answer.NO:
        return Outcome()
    provider = answers.get(Question.PROVIDER_KNOWS)
    if provider is None:
        return Outcome(next_question=Question.PROVIDER_KNOWS)
    if provider is not Answer.YES:
        return Outcome(stop=StopReason.PROVIDER_UNAWARE)
    return Outcome()


OPIOID_NAMES = (
    "tramadol",
    "codeine",
    "morphine",
    "oxycodone",
    "hydrocodone",
    "hydromorphone",
    "fentanyl",
    "tapentadol",
    "buprenorphine",
    "methadone",
    "oxycontin",
    "percocet",
    "vicodin",
    "dihydrocodeine",
    "pethidine",
    "meperidine",
    "tilidine",
    "opioid",
    "opiate",
)
_OPIOID_PATTERN = re.compile(r"\b(" + "|".join(OPIOID_NAMES) + r")s?\b", re.IGNORECASE)


def mentioned_opioid(text: str) -> str | None:
    """The first opioid named in free text (lower case), or None."""
    match = _OPIOID_PATTERN.search(text[:2000])
    return match.group(1).lower() if match else None
