"""Child processes of the benchmark: start them, read their JSON events, send them commands.

Each child runs ``python -m benchmarks.<module>`` from the repository root with its standard
error in a log file; its standard output carries only JSON lines (see ``benchmarks.stdio``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]


class ChildFailed(RuntimeError):
    """A child process exited or went quiet; the message ends with its log's tail."""


class Child:
    """One ``python -m benchmarks.<module>`` process."""

    def __init__(self, process: asyncio.subprocess.Process, log: Path, spawned: float) -> None:
        self.process = process
        self.log = log
        self.spawned = spawned  # time.monotonic() just before the exec

    @classmethod
    async def start(cls, module: str, args: list[str], log: Path) -> Child:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("wb") as errors:
            spawned = time.monotonic()
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                f"benchmarks.{module}",
                *args,
                cwd=REPO,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=errors,
                limit=2**24,
            )
        return cls(process, log, spawned)

    def tail(self, chars: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    async def event(self, name: str, timeout: float = 60.0) -> dict[str, Any]:  # noqa: ASYNC109
        """The next JSON event, which must be ``name``."""
        assert self.process.stdout is not None
        try:
            line = await asyncio.wait_for(self.process.stdout.readline(), timeout)
        except TimeoutError:
            raise ChildFailed(f"no {name!r} within {timeout}s\n{self.tail()}") from None
        if not line:
            code = await self.process.wait()
            raise ChildFailed(f"exited ({code}) before {name!r}\n{self.tail()}")
        found: dict[str, Any] = json.loads(line)
        if found.get("event") != name:
            raise ChildFailed(f"expected {name!r}, got {found}\n{self.tail()}")
        return found

    async def command(self, line: str, reply: str, timeout: float = 60.0) -> dict[str, Any]:  # noqa: ASYNC109
        assert self.process.stdin is not None
        self.process.stdin.write(line.encode() + b"\n")
        await self.process.stdin.drain()
        return await self.event(reply, timeout)

    async def finish(self, timeout: float = 30.0) -> int:  # noqa: ASYNC109
        """Close its standard input (the signal to stop) and wait; kill it if it hangs."""
        if self.process.stdin is not None and not self.process.stdin.is_closing():
            self.process.stdin.close()
        try:
            return await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            self.process.kill()
            return await self.process.wait()

    async def __aenter__(self) -> Child:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.finish()


class Emulator:
    """The emulator process and a client for its control API."""

    def __init__(self, child: Child, info: dict[str, Any]) -> None:
        self.child = child
        self.base_url: str = info["base_url"]
        self.token: str = info["token"]
        self.control_url: str = info["control_url"]
        self._http = httpx.AsyncClient(base_url=self.control_url, timeout=None)

    @classmethod
    async def start(cls, log: Path) -> Emulator:
        child = await Child.start("emulator_server", [], log)
        return cls(child, await child.event("ready", timeout=30))

    async def stop(self) -> None:
        with contextlib.suppress(httpx.HTTPError):
            await self._http.post("/shutdown")
        await self._http.aclose()
        await self.child.finish()

    async def __aenter__(self) -> Emulator:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def _get(self, path: str, **params: Any) -> dict[str, Any]:
        response = await self._http.get(path, params=params)
        response.raise_for_status()
        found: dict[str, Any] = response.json()
        return found

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await self._http.post(path, json=body)
        response.raise_for_status()
        found: dict[str, Any] = response.json()
        return found

    async def stats(self) -> dict[str, Any]:
        return await self._get("/stats")

    async def configure(
        self,
        *,
        latency: float | None = None,
        enforce_limits: bool | None = None,
        care_from: int | None = None,
    ) -> None:
        body: dict[str, Any] = {}
        if care_from is not None:
            body["care_from"] = care_from
        if latency is not None:
            body["latency"] = latency
        if enforce_limits is not None:
            body["enforce_limits"] = enforce_limits
        await self._post("/config", body)

    async def start_chats(self, users: list[int]) -> None:
        await self._post("/chats", {"users": users})

    async def wait_sent(self, count: int, timeout: float) -> dict[str, Any]:  # noqa: ASYNC109
        return await self._get("/wait_sent", n=count, timeout=timeout)

    async def press(self, users: list[int], rate: float, timeout: float) -> dict[str, Any]:  # noqa: ASYNC109
        """Press [Taken] for each user at ``rate`` a second; the report once all are answered."""
        await self._post("/press", {"users": users, "rate": rate})
        return await self._get("/press_wait", timeout=timeout)

    async def flood(self, body: dict[str, Any]) -> dict[str, Any]:
        """One chat floods while others ask and press (``benchmarks.emulated_people.Flood``)."""
        return await self._post("/flood", body)

    async def feed(self, users: list[int], round_no: int) -> int:
        """Queue one soak round: an update from each of ``users``."""
        return int((await self._post("/feed", {"users": users, "round": round_no}))["queued"])

    async def everyone_says(self, users: list[int], text: str) -> None:
        await self._post("/feed", {"users": users, "text": text})
