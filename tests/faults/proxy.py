"""A TCP proxy on 127.0.0.1 in front of the emulator that can play "API down": while down it
closes every connection at once, as a load balancer with no healthy backend does."""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlsplit

from tests.emulator import BotApiEmulator


class SwitchableProxy:
    """Forwards to the emulator while ``up``; refuses (closes) connections while down."""

    def __init__(self, emu: BotApiEmulator) -> None:
        self._emu = emu
        self._target = urlsplit(emu.base_url).port
        self.up = False
        self.refused = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/bot"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for writer in list(self._writers):
                writer.close()
            await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.up:
            self.refused += 1
            writer.close()
            self._emu.notify()  # wake anyone waiting on the emulator for this
            return
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self._target)
        self._writers |= {writer, upstream_writer}
        try:
            await asyncio.gather(_pipe(reader, upstream_writer), _pipe(upstream_reader, writer))
        finally:
            self._writers -= {writer, upstream_writer}


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError, asyncio.CancelledError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.close()
