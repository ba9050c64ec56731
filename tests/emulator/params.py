"""Decoding Bot API request parameters the way Telegram's server does.

python-telegram-bot (``telegram/request/_requestparameter.py``) sends every parameter as a
form field: ``str`` values go as-is, every other value (ints, bools, dicts, lists) is
``json.dumps``-ed. So ``chat_id=42`` arrives as ``"42"``, ``show_alert=True`` as ``"true"`` and
``reply_markup`` as a JSON string. Uploads switch the body to multipart/form-data, with the file
in a part named after the parameter (``photo``, ``document``) or, for ``attach://<name>``
references, in a part with that name. Text fields such as ``text`` must never be JSON-decoded
(a message "123" would become an int), so decoding is driven by the parameter name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.emulator.errors import bad_request
from tests.emulator.state import EmulatorState

Params = dict[str, Any]

_JSON_FIELDS = frozenset(
    {
        "allowed_updates",
        "caption_entities",
        "commands",
        "entities",
        "link_preview_options",
        "media",
        "reply_markup",
        "reply_parameters",
        "scope",
    }
)
_INT_FIELDS = frozenset(
    {
        "cache_time",
        "chat_id",
        "limit",
        "max_connections",
        "message_id",
        "message_thread_id",
        "offset",
        "reply_to_message_id",
        "timeout",
        "user_id",
    }
)
_BOOL_FIELDS = frozenset(
    {
        "allow_sending_without_reply",
        "disable_content_type_detection",
        "disable_notification",
        "disable_web_page_preview",
        "drop_pending_updates",
        "has_spoiler",
        "protect_content",
        "show_alert",
    }
)
_INT = re.compile(r"-?\d+")


@dataclass(frozen=True)
class UploadedFile:
    """One file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes


Files = dict[str, UploadedFile]
Handler = Callable[[EmulatorState, Params, Files], Awaitable[Any]]
"""An API method: gets the decoded params and uploads, returns the JSON result or raises."""


def decode_value(name: str, value: Any) -> Any:
    """Turn one raw parameter value into the Python value Telegram would see."""
    if not isinstance(value, str):
        return value
    if name in _JSON_FIELDS and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None
    if name in _INT_FIELDS and _INT.fullmatch(value):
        return int(value)
    if name in _BOOL_FIELDS and value in ("true", "false"):
        return value == "true"
    return value


async def read_request(request: web.Request) -> tuple[Params, Files]:
    """Read query string plus JSON, urlencoded or multipart body into params and files."""
    raw: dict[str, Any] = dict(request.query)
    files: Files = {}
    if request.content_type == "application/json":
        body = await request.json()
        if not isinstance(body, dict):
            raise bad_request("JSON body must be an object")
        raw.update(body)
    elif request.method == "POST":
        for name, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                files[name] = UploadedFile(value.filename, value.content_type, value.file.read())
            else:
                raw[name] = value
    return {name: decode_value(name, value) for name, value in raw.items()}, files
