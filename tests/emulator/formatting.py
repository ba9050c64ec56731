"""Telegram's text rules: HTML parse mode, length limits and inline keyboard checks.

The HTML parser follows tdlib's algorithm closely enough to reject what Telegram rejects with
the same messages: a tag name runs until whitespace or ``>``, so a bare ``<`` in text is an
"Unsupported start tag" error. Entity offsets and lengths are in UTF-16 code units, as in the
Bot API.
"""

from __future__ import annotations

import html
import re
from typing import Any

from tests.emulator.errors import ApiError, bad_request

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64

_TAG_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
}
_ATTRIBUTE = re.compile(r"""([a-zA-Z-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""")
_CHAR_REF = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Bot API entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def _cant_parse(detail: str) -> ApiError:
    return bad_request(f"can't parse entities: {detail}")


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Return (plain text, entities) for an HTML-formatted text, or raise a 400."""
    parts: list[str] = []
    offset = 0  # UTF-16 length of the plain text so far
    open_tags: list[tuple[str, int, dict[str, str]]] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < len(source):
        if source[i] == "<" and source.startswith("</", i):
            at = _bytes(source, i)
            name, i = _end_tag(source, i)
            if not open_tags:
                raise _cant_parse(f"Unexpected end tag at byte offset {at}")
            expected, start, attributes = open_tags.pop()
            if name != expected:
                raise _cant_parse(
                    f"Unmatched end tag at byte offset {at}, "
                    f'expected "</{expected}>", found "</{name}>"'
                )
            if offset > start:
                entities.append(_entity(expected, start, offset - start, attributes))
        elif source[i] == "<":
            name, attributes, i = _start_tag(source, i)
            open_tags.append((name, offset, attributes))
        else:
            ref = _CHAR_REF.match(source, i) if source[i] == "&" else None
            chunk = html.unescape(ref.group(0)) if ref else source[i]
            i = ref.end() if ref else i + 1
            parts.append(chunk)
            offset += utf16_len(chunk)
    if open_tags:
        raise _cant_parse(f'Can\'t find end tag corresponding to start tag "{open_tags[-1][0]}"')
    return "".join(parts), sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def _bytes(source: str, index: int) -> int:
    """tdlib reports positions as UTF-8 byte offsets."""
    return len(source[:index].encode())


def _start_tag(source: str, i: int) -> tuple[str, dict[str, str], int]:
    """Parse the start tag at source[i]; return (name, attributes, index after it)."""
    name_end = i + 1
    while name_end < len(source) and not source[name_end].isspace() and source[name_end] != ">":
        name_end += 1
    if name_end == len(source):
        raise _cant_parse(f"Unclosed start tag at byte offset {_bytes(source, i)}")
    name = source[i + 1 : name_end].lower()
    if name not in _TAG_TYPES:
        raise _cant_parse(f'Unsupported start tag "{name}" at byte offset {_bytes(source, i)}')
    close = source.find(">", name_end)
    if close < 0:
        raise _cant_parse(f"Unclosed start tag at byte offset {_bytes(source, i)}")
    attributes = {
        key.lower(): html.unescape(value.strip("\"'"))
        for key, value in _ATTRIBUTE.findall(source[name_end:close])
    }
    return name, attributes, close + 1


def _end_tag(source: str, i: int) -> tuple[str, int]:
    """Parse the end tag at source[i]; return (name, index after it)."""
    close = source.find(">", i)
    if close < 0:
        raise _cant_parse(f"Unclosed end tag at byte offset {_bytes(source, i)}")
    return source[i + 2 : close].strip().lower(), close + 1


def _entity(tag: str, offset: int, length: int, attributes: dict[str, str]) -> dict[str, Any]:
    entity: dict[str, Any] = {"type": _TAG_TYPES[tag], "offset": offset, "length": length}
    if tag == "a":
        entity["url"] = attributes.get("href", "")
    if tag == "pre" and "class" in attributes:
        entity["language"] = attributes["class"].removeprefix("language-")
    return entity


def render(
    text: str | None, parse_mode: str | None, entities: list[dict[str, Any]] | None
) -> tuple[str, list[dict[str, Any]]]:
    """Apply parse_mode (only HTML is parsed; Markdown text is kept verbatim)."""
    text = text or ""
    if parse_mode is None or parse_mode == "":
        return text, list(entities or [])
    if parse_mode.lower() == "html":
        return parse_html(text)
    if parse_mode.lower() in ("markdown", "markdownv2"):
        return text, []
    raise bad_request(f"unsupported parse_mode {parse_mode!r}")


def check_text(text: str) -> None:
    """Telegram's limits on a message text after entity parsing."""
    if not text.strip():
        raise bad_request("message text is empty")
    if len(text) > MAX_TEXT:
        raise bad_request("message is too long")


def check_caption(caption: str) -> None:
    """Telegram's limit on a media caption after entity parsing."""
    if len(caption) > MAX_CAPTION:
        raise bad_request("message caption is too long")


def check_reply_markup(markup: Any) -> None:
    """Reject malformed markup and inline buttons Telegram would refuse."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if "callback_data" in button:
                data = button["callback_data"]
                if not data or len(str(data).encode()) > MAX_CALLBACK_DATA_BYTES:
                    raise bad_request("BUTTON_DATA_INVALID")
            elif len(button) <= 1:
                raise bad_request(
                    "can't parse inline keyboard button: "
                    "Text buttons are unallowed in the inline keyboard"
                )
