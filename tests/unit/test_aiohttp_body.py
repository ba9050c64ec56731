"""The request body the aiohttp transport builds: a photo's multipart form as one buffer."""

from __future__ import annotations

import re

import aiohttp
from telegram import InputFile
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.aiohttp_request import _body

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


async def test_a_photo_and_its_caption_go_as_one_multipart_buffer() -> None:
    data = RequestData(
        [
            RequestParameter.from_input("chat_id", 42),
            RequestParameter.from_input("caption", "Ana's week: 6 of 7 taken"),
            RequestParameter.from_input("photo", InputFile(PNG, filename="summary.png")),
        ]
    )
    body = await _body(data)
    assert isinstance(body, aiohttp.BytesPayload)  # written in one write, not four a field
    raw = await body.as_bytes()
    assert body.content_type.startswith("multipart/form-data; boundary=")
    fields = _fields(raw, body.content_type.split("boundary=")[1].strip('"').encode())
    assert fields["chat_id"] == b"42"
    assert fields["caption"].decode() == "Ana's week: 6 of 7 taken"
    assert fields["photo"] == PNG


def _fields(raw: bytes, boundary: bytes) -> dict[str, bytes]:
    """Each part's name and content (a multipart body read by hand, as a server would)."""
    parts = raw.split(b"--" + boundary)
    assert parts[0] == b"" and parts[-1] == b"--\r\n"
    fields = {}
    for part in parts[1:-1]:
        head, content = part[2:-2].split(b"\r\n\r\n", 1)  # between CRLFs
        name = re.search(rb'name="([^"]+)"', head)
        assert name is not None
        fields[name.group(1).decode()] = content
    return fields
