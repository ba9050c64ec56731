"""Safety screening verdicts and opioid mentions."""

import pytest

from titration.screening import (
    Answer,
    Outcome,
    Question,
    StopReason,
    mentioned_opioid,
    screening_outcome,
)

Q, A = Question, Answer


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param({}, Outcome(next_question=Q.OPIOIDS), id="nothing_yet"),
        pytest.param({Q.OPIOIDS: A.YES}, Outcome(stop=StopReason.OPIOIDS), id="opioids_stop"),
        pytest.param(
            {Q.OPIOIDS: A.UNSURE},
            Outcome(next_question=Q.OPIOIDS, check_first=True),
            id="unsure_opioids_check_first_then_answer",
        ),
        pytest.param({Q.OPIOIDS: A.NO}, Outcome(next_question=Q.ALLERGY), id="then_allergy"),
        pytest.param(
            {Q.OPIOIDS: A.NO, Q.ALLERGY: A.YES}, Outcome(stop=StopReason.ALLERGY), id="allergy_stop"
        ),
        pytest.param(
            {Q.OPIOIDS: A.NO, Q.ALLERGY: A.NO, Q.CAUTION: A.NO}, Outcome(), id="all_clear"
        ),
        pytest.param(
            {Q.OPIOIDS: A.NO, Q.ALLERGY: A.NO, Q.CAUTION: A.YES},
            Outcome(next_question=Q.PROVIDER_KNOWS),
            id="caution_asks_provider",
        ),
        pytest.param(
            {Q.OPIOIDS: A.NO, Q.ALLERGY: A.NO, Q.CAUTION: A.YES, Q.PROVIDER_KNOWS: A.NO},
            Outcome(stop=StopReason.PROVIDER_UNAWARE),
            id="provider_unaware_stop",
        ),
        pytest.param(
            {Q.OPIOIDS: A.NO, Q.ALLERGY: A.NO, Q.CAUTION: A.YES, Q.PROVIDER_KNOWS: A.YES},
            Outcome(),
            id="provider_knows_continue",
        ),
    ],
)
def test_screening_outcome(answers: dict[Question, Answer], expected: Outcome) -> None:
    outcome = screening_outcome(answers)
    assert outcome == expected
    assert outcome.passed is (expected.next_question is None and expected.stop is None)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("I take Tramadol for my back", "tramadol"),
        ("codeine cough syrup", "codeine"),
        ("my oxycodone dose", "oxycodone"),
        ("ibuprofen and paracetamol", None),
        ("decoded", None),
    ],
)
def test_mentioned_opioid(text: str, found: str | None) -> None:
    assert mentioned_opioid(text) == found
