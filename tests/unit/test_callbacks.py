"""Callback data: strict schema, 64-byte limit."""

import pytest

from bot.callbacks import Callback, parse


def test_round_trip() -> None:
    data = Callback("dose", "taken", "123").pack()
    assert data == "v1:dose:taken:123"
    assert parse(data) == Callback("dose", "taken", "123")
    assert Callback("dose", "taken", "123").arg_int == 123


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "v2:dose:taken:1",
        "v1:dose:taken:1;DROP TABLE",
        "v1:DOSE:taken:1",
        "v1:dose:taken:" + "1" * 60,
        "v1:dose",
    ],
)
def test_rejects_off_schema(data: str | None) -> None:
    assert parse(data) is None


def test_pack_refuses_oversized() -> None:
    with pytest.raises(ValueError, match="schema"):
        Callback("zone", "pick", "A" * 60).pack()


def test_non_numeric_id_is_none() -> None:
    assert Callback("dose", "taken", "abc").arg_int is None
