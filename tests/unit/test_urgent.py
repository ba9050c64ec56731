"""Urgent words in free text."""

import pytest

from titration.urgent import Urgency, urgent_signs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I have a rash on my arms", [Urgency.ALLERGY]),
        ("my lips are swollen", [Urgency.ALLERGY]),
        ("I can't breathe properly", [Urgency.ALLERGY]),
        ("trouble breathing since last night", [Urgency.ALLERGY]),
        ("my eyes look yellow", [Urgency.LIVER]),
        ("yellow skin", [Urgency.LIVER]),
        ("very dark urine this morning", [Urgency.LIVER]),
        ("took tramadol for my back", [Urgency.OPIOID]),
        ("rash and I took codeine", [Urgency.ALLERGY, Urgency.OPIOID]),
        ("slept badly, weird dreams", []),
        ("a bit of a headache", []),
        ("my yellow cat kept me awake", []),
        # German
        ("Ich habe einen Hautausschlag am Arm", [Urgency.ALLERGY]),
        ("meine Lippen sind geschwollen", [Urgency.ALLERGY]),
        ("ich kriege keine Luft", [Urgency.ALLERGY]),
        ("seit gestern Atemnot", [Urgency.ALLERGY]),
        ("meine Augen sind gelb", [Urgency.LIVER]),
        ("gelbliche Haut", [Urgency.LIVER]),
        ("sehr dunkler Urin heute früh", [Urgency.LIVER]),
        ("ich nehme Tilidin gegen die Schmerzen", [Urgency.OPIOID]),
        ("Ausschlag und ich habe Codein genommen", [Urgency.ALLERGY, Urgency.OPIOID]),
        ("schlecht geschlafen, wilde Träume", []),
        ("ein bisschen Kopfschmerzen", []),
        ("meine gelbe Katze hat mich geweckt", []),
        ("das war ausschlaggebend", []),
        ("keine Lust auf gar nichts", []),
    ],
)
def test_urgent_signs(text: str, expected: list[Urgency]) -> None:
    assert urgent_signs(text) == expected
