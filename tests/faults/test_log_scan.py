"""Row 33: after the whole fault suite, no captured log line — in-process records of every fault
test and the stderr of every bot subprocess (SIGKILL rounds, boot failures) — holds the bot token
or health data from the fixtures. Runs last (see conftest)."""

from __future__ import annotations

import logging

import pytest

from tests.faults.fanout import ROUNDS
from tests.faults.logscan import SINK, LogSink

pytestmark = pytest.mark.faults


def test_the_scanner_catches_a_planted_leak() -> None:
    sink = LogSink()
    sink.emit(logging.makeLogRecord({"msg": "GET /bot123456789:TEST-emulator-token/getMe"}))
    sink.add_external("bot.log", "INFO x: 🌙 Time for tonight's LDN: 0.5 mg\nINFO y: fine\n")
    assert len(sink.leaks()) == 2


def test_no_token_or_health_data_in_any_fault_suite_log() -> None:
    if not SINK.lines:
        pytest.skip("no other fault test ran in this session")
    if ROUNDS:  # the SIGKILL rounds ran: their bots' stderr must be in the scan
        assert len(SINK.external) >= 2 * len(ROUNDS)
        assert any("Application started" in text for text in SINK.external.values())
    assert SINK.leaks() == []
