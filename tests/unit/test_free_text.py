"""The topic of unprompted messages (``titration.free_text``): a table of English and German
phrasings, negations and near misses, each with the topic (and effects) it must read as."""

from __future__ import annotations

import pytest

from titration.free_text import Topic, Understood, understand
from titration.side_effects import Effect

D, N, H, S, P = (
    Effect.DREAMS,
    Effect.INSOMNIA,
    Effect.HEADACHE,
    Effect.STOMACH,
    Effect.PAIN_FATIGUE,
)

EFFECTS: list[tuple[str, tuple[Effect, ...]]] = [
    ("I have a headache", (H,)),
    ("bad migraine today", (H,)),
    ("my head hurts", (H,)),
    ("Ich habe Kopfschmerzen", (H,)),
    ("Kopfweh seit gestern", (H,)),
    ("had nightmares again", (D,)),
    ("such vivid dreams!!", (D,)),
    ("Albträume die ganze Nacht", (D,)),
    ("so komische Träume", (D,)),
    ("couldn't sleep at all", (N,)),
    ("I can't sleep", (N,)),
    ("woke up at 3 and stayed awake", (N,)),
    ("konnte nicht einschlafen", (N,)),
    ("hab schlecht geschlafen", (N,)),
    ("feeling nauseous", (S,)),
    ("I feel sick", (S,)),
    ("stomach is upset", (S,)),
    ("diarrhoea since the new dose", (S,)),
    ("mir ist übel", (S,)),
    ("Durchfall und Bauchweh", (S,)),
    ("so tired today", (P,)),
    ("completely exhausted", (P,)),
    ("the fibro fog is awful", (P,)),
    ("my pain is worse", (P,)),
    ("having a flare", (P,)),
    ("total erschöpft", (P,)),
    ("Fibro-Schub heute", (P,)),
    ("mehr Schmerzen als sonst", (P,)),
    ("bin so müde", (P,)),
    ("nightmares and a headache", (D, H)),
    ("hatte heute Nacht Albträume und Kopfweh", (D, H)),
    ("couldn't sleep, now nauseous", (N, S)),
]

TOPICS: list[tuple[str, Topic]] = [
    ("can I increase my dose?", Topic.DOSE_CHANGE),
    ("should I go up to 1 mg", Topic.DOSE_CHANGE),
    ("can I take more?", Topic.DOSE_CHANGE),
    ("I want to lower the dose", Topic.DOSE_CHANGE),
    ("can I double my dose tonight", Topic.DOSE_CHANGE),
    ("headache, should I reduce my dose?", Topic.DOSE_CHANGE),
    ("Kann ich die Dosis erhöhen?", Topic.DOSE_CHANGE),
    ("darf ich mehr nehmen", Topic.DOSE_CHANGE),
    ("forgot it last night", Topic.MISSED_DOSE),
    ("I missed yesterday's dose", Topic.MISSED_DOSE),
    ("didn't take it yesterday", Topic.MISSED_DOSE),
    ("gestern vergessen", Topic.MISSED_DOSE),
    ("hab sie nicht genommen", Topic.MISSED_DOSE),
    ("took it", Topic.TOOK_DOSE),
    ("I've taken my dose", Topic.TOOK_DOSE),
    ("genommen", Topic.TOOK_DOSE),
    ("hab sie eingenommen", Topic.TOOK_DOSE),
    ("22:30", Topic.A_TIME),
    ("10pm", Topic.A_TIME),
    ("22 Uhr", Topic.A_TIME),
    ("thanks!", Topic.THANKS),
    ("thank you so much", Topic.THANKS),
    ("Danke dir", Topic.THANKS),
    ("hello", Topic.GREETING),
    ("Hi there", Topic.GREETING),
    ("Guten Morgen!", Topic.GREETING),
    ("Moin", Topic.GREETING),
]

NOTHING: list[str] = [
    "no headache today",
    "I didn't have any nightmares",
    "keine Kopfschmerzen mehr",
    "ohne Albträume geschlafen",
    "mir ist nicht übel",
    "what is this",
    "I miss my family",
    "can I change it to 23:00",
    "asdfgh",
    "20",  # a bare number: an amount as likely as an hour
    "",
    "🙂",
]


@pytest.mark.parametrize(("text", "effects"), EFFECTS)
def test_a_side_effect_named_is_read_with_its_effects(
    text: str, effects: tuple[Effect, ...]
) -> None:
    assert understand(text) == Understood(Topic.SIDE_EFFECT, effects)


@pytest.mark.parametrize(("text", "topic"), TOPICS)
def test_each_topic_is_read(text: str, topic: Topic) -> None:
    assert understand(text).topic is topic


@pytest.mark.parametrize("text", NOTHING)
def test_denials_and_other_words_are_no_topic(text: str) -> None:
    assert understand(text) == Understood(Topic.UNKNOWN)
