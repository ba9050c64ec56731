"""Which updates are certainly new: above every update id seen so far (Telegram numbers updates
in increasing order), so their button presses can be answered before the database is asked."""

from __future__ import annotations

from bot.updates import Watermark


def test_only_an_id_above_every_one_seen_is_certainly_new() -> None:
    mark = Watermark(highest=100)  # the highest recorded before a restart
    assert not mark.first_sight(100)  # redelivered after the restart
    assert not mark.first_sight(99)
    assert mark.first_sight(101)
    assert not mark.first_sight(101)  # the same update a second time
    assert mark.first_sight(105)
    assert not mark.first_sight(103)  # handled out of order: only the database can tell


def test_with_nothing_recorded_the_first_update_is_new() -> None:
    mark = Watermark()
    assert mark.first_sight(1)
    assert not mark.first_sight(1)
