"""Collects every log line of the fault suite (in-process records and subprocess stderr) so one
test at the end can check none of them carries the bot token or health data."""

from __future__ import annotations

import logging

from tests.conftest import NEVER_LOGGED
from tests.emulator.emulator import DEFAULT_TOKEN

# Texts the fault tests make the bot send: none of them may reach a log line.
HEALTH_STRINGS = (
    *NEVER_LOGGED,
    "tonight's LDN",
    "0.5 mg",
    "Night 1 of",
    "What time do you usually go to bed",
    "couldn't save",
)
SECRETS = (DEFAULT_TOKEN, DEFAULT_TOKEN.split(":", 1)[1])


class LogSink(logging.Handler):
    """A logging handler that keeps every formatted record, plus text from other processes."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self.lines: list[str] = []
        self.external: dict[str, str] = {}

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # a record that cannot be formatted is still scanned by message
            self.lines.append(str(record.msg))

    def add_external(self, source: str, text: str) -> None:
        """Output of a subprocess (its stderr), kept under a name for the report."""
        self.external[source] = self.external.get(source, "") + text

    def leaks(self) -> list[str]:
        """Every captured line (or subprocess output line) holding a secret or health text."""
        texts = list(self.lines)
        for source, text in self.external.items():
            texts += [f"[{source}] {line}" for line in text.splitlines()]
        needles = (*SECRETS, *HEALTH_STRINGS)
        return [text for text in texts if any(needle in text for needle in needles)]


SINK = LogSink()
