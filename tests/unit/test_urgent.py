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
    ],
)
def test_urgent_signs(text: str, expected: list[Urgency]) -> None:
    assert urgent_signs(text) == expected
