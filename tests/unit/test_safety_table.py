"""The safety classifier measured on its table: recall 100 % on the positives, false positives
at most 2 % of the messages that must not trigger (``pytest -s`` prints the figures)."""

from __future__ import annotations

import pytest

from tests.unit.safety_table import ROWS
from titration.urgent import Urgency, read

CODES = {
    "C": Urgency.CRISIS,
    "A": Urgency.ALLERGY,
    "L": Urgency.LIVER,
    "O": Urgency.OPIOID,
    "D": Urgency.DOUBLE_DOSE,
}


def expected(codes: str) -> set[Urgency]:
    return {CODES[code] for code in codes}


def test_the_table_is_big_enough_and_covers_every_sign() -> None:
    assert len(ROWS) >= 200
    assert len({text for text, _ in ROWS}) == len(ROWS), "a row is in the table twice"
    for sign in Urgency:
        assert sum(1 for _, codes in ROWS if sign in expected(codes)) >= 15, sign
    assert sum(1 for _, codes in ROWS if not codes) >= 60


def test_recall_and_false_positive_rate() -> None:
    missed: list[str] = []
    extra: list[str] = []
    wanted = found = 0
    negatives = false_positives = 0
    for text, codes in ROWS:
        want = expected(codes)
        got = set(read(text).signs)
        if want:
            wanted += len(want)
            found += len(want & got)
            missed += [f"{text!r} missed {sorted(want - got)}"] if want - got else []
            extra += [f"{text!r} also {sorted(got - want)}"] if got - want else []
        else:
            negatives += 1
            if got:
                false_positives += 1
                extra.append(f"{text!r} → {sorted(got)}")
    recall = found / wanted
    fp_rate = false_positives / negatives
    print(
        f"\nsafety table: {len(ROWS)} phrasings, {wanted} signs expected; recall {recall:.1%}"
        f" ({found}/{wanted}); false positives {fp_rate:.1%}"
        f" ({false_positives}/{negatives} messages that must not trigger)"
    )
    for line in extra:
        print("  extra:", line)
    assert missed == []
    assert recall == 1.0
    assert fp_rate <= 0.02
    assert len(extra) <= 2  # a sign not in the row, on positives or negatives alike


@pytest.mark.parametrize("text", ["tramadol", "Tramal", "Ultram", "tramadoll"])
def test_the_opioid_is_named_by_its_generic(text: str) -> None:
    assert read(text).opioid == "tramadol"


def test_a_long_message_is_read_up_to_its_limit() -> None:
    assert read("fine " * 390 + "tramadol").signs == (Urgency.OPIOID,)
    assert read("fine " * 500 + "tramadol").signs == ()
