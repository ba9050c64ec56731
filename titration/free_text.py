"""What an unprompted message is about, when no question waits for an answer.

People write to a reminder bot as they would to a person: "I have a headache", "had nightmares
again", "can I go up to 1 mg?", "forgot it last night", "thanks!". This reads such a message into
one topic (codes, no sentences) so the bot can answer the point instead of listing commands:

- ``DOSE_CHANGE``: asks to change, raise, lower or double the dose → the prescriber decides;
- ``MISSED_DOSE``: a dose forgotten or missed → carry on tonight, never double up;
- ``SIDE_EFFECT``: one or more of the check-in's effects mentioned, not denied → offer to note them;
- ``TOOK_DOSE``: says the dose was taken → where to log it;
- ``A_TIME``: only a time of day ("22:30", "10pm") → where to change the reminder's time;
- ``THANKS``, ``GREETING``; else ``UNKNOWN``.

Urgent signs (``titration.urgent``) are read before this and answered first; this never
diagnoses. English and German, in the same normal form as the safety scan (lower case, umlauts
folded), so "Kopfschmerzen" and "kopfschmerzen" read alike. A negation up to three words before
an effect ("no headache", "keine Kopfschmerzen mehr") cancels it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from titration.side_effects import Effect
from titration.urgent import normal_form


class Topic(StrEnum):
    DOSE_CHANGE = "dose_change"
    MISSED_DOSE = "missed_dose"
    SIDE_EFFECT = "side_effect"
    TOOK_DOSE = "took_dose"
    A_TIME = "a_time"
    THANKS = "thanks"
    GREETING = "greeting"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Understood:
    topic: Topic
    effects: tuple[Effect, ...] = ()  # for SIDE_EFFECT, in the check-in's order


# Word stems (matched at the start of a word, in normal form) for each check-in effect.
EFFECT_STEMS: dict[Effect, tuple[str, ...]] = {
    Effect.DREAMS: (
        "dream", "nightmare", "vivid", "traum", "traume", "albtraum", "alptraum", "getraumt",
    ),
    Effect.INSOMNIA: (
        "insomnia", "sleepless", "cant sleep", "couldnt sleep", "cannot sleep", "can not sleep",
        "trouble sleeping", "problems sleeping", "hard to sleep", "awake all night", "woke up",
        "waking up", "keep waking", "schlaflos", "schlafstorung", "schlafproblem",
        "schlecht geschlafen", "schlafe schlecht", "kaum geschlafen", "nicht schlafen",
        "nicht geschlafen", "nicht einschlafen", "nicht durchschlafen", "wach gelegen",
        "aufgewacht",
    ),
    Effect.HEADACHE: (
        "headache", "head ache", "head hurts", "migraine", "kopfschmerz", "kopfweh", "migrane",
        "schadel",
    ),
    Effect.STOMACH: (
        "nausea", "nauseous", "nauseated", "queasy", "stomach", "tummy", "diarrh", "constipat",
        "vomit", "threw up", "throwing up", "upset stomach", "feel sick", "feeling sick", "ubel",
        "magen", "durchfall", "verstopf", "erbrech", "bauch", "gespuckt",
    ),
    Effect.PAIN_FATIGUE: (
        "more pain", "pain is worse", "pain worse", "worse pain", "flare", "tired", "exhausted",
        "fatigue", "fatigued", "no energy", "brain fog", "fibro fog", "foggy", "pain",
        "mehr schmerzen", "starkere schmerzen", "schlimmere schmerzen", "schmerzen schlimmer",
        "schub", "fibroschub", "mude", "erschopf", "kraftlos", "keine energie", "nebel",
        "gehirnnebel", "fibronebel", "benebelt", "schlapp", "schmerz",
    ),
}  # fmt: skip

_NEGATIONS = frozenset(
    ("no", "not", "never", "without", "dont", "didnt", "havent", "hasnt", "isnt", "wasnt",
     "kein", "keine", "keinen", "keiner", "nicht", "nie", "ohne")
)  # fmt: skip

_DOSE_CHANGE = re.compile(
    r"\b("
    r"(increase|raise|up|lower|reduce|decrease|change|double|split|adjust)\w* (my |the )?"
    r"(dose|dosage|ldn|naltrexone)"
    r"|(go|move|step) (up|down)|more (mg|ldn)|higher dose|lower dose|take (more|less)"
    r"|dosis (erhohen|senken|andern|verdoppeln|reduzieren|anpassen)"
    r"|(erhohen|senken|andern|verdoppeln|reduzieren|anpassen)\w* (die |meine )?dosis"
    r"|(mehr|weniger) (nehmen|mg|ldn)|hohere dosis|niedrigere dosis"
    r")\b"
)
_MISSED = re.compile(
    r"\b(forgot|forget|forgotten|missed|didnt take|did not take|not taken|havent taken"
    r"|vergessen|verpasst|nicht genommen|nicht eingenommen|ausgelassen)\b"
)
_TOOK = re.compile(r"\b(took|taken|have taken|done|genommen|eingenommen|geschluckt|erledigt)\b")
_THANKS = re.compile(r"\b(thanks?|thank you|thx|ty|cheers|danke|dankeschon|vielen dank)\b")
_GREETING = re.compile(
    r"^\W*(hi|hello|hey|hiya|good (morning|evening|afternoon)|hallo|hi there|moin|servus"
    r"|guten (morgen|abend|tag)|gruss gott)\b"
)
# A time of day alone ("22:30", "10pm", "22 Uhr"); a bare number may be anything (an amount).
_A_TIME = re.compile(
    r"^\s*\d{1,2}(\s*[:.h]\s*\d{2}\s*(am|pm|a\.m\.|p\.m\.|uhr|h)?"
    r"|\s*(am|pm|a\.m\.|p\.m\.|uhr|h))\s*$"
)
_WORD = re.compile(r"[a-z0-9]+")


def understand(text: str) -> Understood:
    """The topic of an unprompted message (see the module docstring for the order)."""
    if _A_TIME.match(normal_form(text)):
        return Understood(Topic.A_TIME)
    line = " ".join(_WORD.findall(normal_form(text)))
    if _DOSE_CHANGE.search(line):
        return Understood(Topic.DOSE_CHANGE)
    if _MISSED.search(line):
        return Understood(Topic.MISSED_DOSE)
    effects = mentioned_effects(line)
    if effects:
        return Understood(Topic.SIDE_EFFECT, effects)
    if _TOOK.search(line):
        return Understood(Topic.TOOK_DOSE)
    if _THANKS.search(line):
        return Understood(Topic.THANKS)
    if _GREETING.search(line):
        return Understood(Topic.GREETING)
    return Understood(Topic.UNKNOWN)


def mentioned_effects(line: str) -> tuple[Effect, ...]:
    """The effects named in a normal-form ``line`` and not negated just before."""
    words = line.split()
    found = []
    for effect, stems in EFFECT_STEMS.items():
        if any(_named(words, stem) for stem in stems):
            found.append(effect)
    return tuple(found)


def _named(words: list[str], stem: str) -> bool:
    parts = stem.split()
    for at in range(len(words) - len(parts) + 1):
        window = words[at : at + len(parts)]
        named = window[:-1] == parts[:-1] and window[-1].startswith(parts[-1])
        if named and not _NEGATIONS.intersection(words[max(0, at - 3) : at]):
            return True
    return False
