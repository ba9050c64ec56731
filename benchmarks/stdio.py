"""Line-based talk between the benchmark and its child processes: JSON out, commands in."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any


def emit(event: str, **fields: Any) -> None:
    """One JSON line on standard output (the parent reads nothing else from it)."""
    print(json.dumps({"event": event, **fields}), flush=True)


async def stdin_reader() -> asyncio.StreamReader:
    """Standard input as an asyncio stream (no thread blocked on a read)."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    return reader
