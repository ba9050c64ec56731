"""What each due task does at a given moment (the nightly loop's rules)."""

from datetime import UTC, datetime, timedelta

import pytest

from titration.reminders import Action, TaskKind, answered_status, decide

DUE = datetime(2026, 11, 28, 21, 0, tzinfo=UTC)
H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("kind", "now", "dose_open", "sent_at", "expected"),
    [
        pytest.param(TaskKind.REMINDER, DUE, True, None, Action.SEND, id="reminder_on_time"),
        pytest.param(TaskKind.REMINDER, DUE + H, True, None, Action.SEND_LATE, id="reminder_late"),
        pytest.param(TaskKind.REMINDER, DUE + 3 * H, True, None, Action.EXPIRE, id="past_grace"),
        pytest.param(TaskKind.REMINDER, DUE, False, None, Action.DROP, id="already_answered"),
        pytest.param(TaskKind.NUDGE, DUE + 2 * H, True, DUE, Action.SEND, id="nudge"),
        pytest.param(TaskKind.NUDGE, DUE + 2 * H, False, DUE, Action.DROP, id="nudge_answered"),
        pytest.param(
            TaskKind.NUDGE, DUE + 2 * H, True, DUE + 90 * H / 60, Action.DROP, id="nudge_too_soon"
        ),
        pytest.param(TaskKind.NUDGE, DUE + 2 * H, True, None, Action.DROP, id="nudge_no_reminder"),
        pytest.param(TaskKind.SNOOZE, DUE, True, DUE, Action.SEND, id="snooze"),
        pytest.param(TaskKind.CLOSE, DUE + 10 * H, True, DUE, Action.CLOSE_MISSED, id="close"),
        pytest.param(TaskKind.CLOSE, DUE + 10 * H, False, DUE, Action.DROP, id="close_answered"),
    ],
)
def test_decide(
    kind: TaskKind, now: datetime, dose_open: bool, sent_at: datetime | None, expected: Action
) -> None:
    assert decide(kind, due_at=DUE, now=now, dose_open=dose_open, reminder_sent_at=sent_at) is (
        expected
    )


def test_answered_after_the_nudge_is_late() -> None:
    assert answered_status(DUE, DUE + H) == "taken"
    assert answered_status(DUE, DUE + 3 * H) == "late"
