"""Records the emulator keeps, and their Bot API JSON shapes (what PTB's de_json parses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

BOT_USERNAME = "ldn_test_bot"
BOT_FIRST_NAME = "LDN Test"


@dataclass
class SentMessage:
    """A message the bot sent, as the emulator stores and later edits it."""

    message_id: int
    chat_id: int
    date: int
    text: str | None = None
    """Plain text as the user sees it (HTML tags removed); None for media messages."""
    caption: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    reply_to_message_id: int | None = None
    edits: list[str] = field(default_factory=list)
    """Previous texts (or captions), oldest first; one entry per editMessageText."""
    edit_date: int | None = None
    deleted: bool = False
    media: str | None = None
    """"photo" or "document" for media messages."""
    photo: bytes | None = None
    document: bytes | None = None
    filename: str | None = None
    file_id: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    """The decoded parameters of the call that sent it."""

    @property
    def body(self) -> str:
        """The text or caption, whichever the message has ("" if neither)."""
        return self.text if self.text is not None else self.caption or ""

    def buttons(self) -> list[dict[str, Any]]:
        """The inline keyboard buttons, flattened in reading order."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]


@dataclass
class RecordedCall:
    """One HTTP request to the emulator; status is None when the connection was dropped."""

    method: str
    params: dict[str, Any]
    status: int | None
    time: float
    response: dict[str, Any] | None = None
    """The JSON body sent back (None for raw fault bodies and dropped connections)."""


def bot_user_json(bot_id: int) -> dict[str, Any]:
    """The bot's User object."""
    return {
        "id": bot_id,
        "is_bot": True,
        "first_name": BOT_FIRST_NAME,
        "username": BOT_USERNAME,
    }


def user_json(user_id: int, first_name: str, language_code: str = "en") -> dict[str, Any]:
    """A human user's User object (``language_code``: their Telegram app's language)."""
    return {
        "id": user_id,
        "is_bot": False,
        "first_name": first_name,
        "language_code": language_code,
    }


def private_chat_json(user_id: int, first_name: str) -> dict[str, Any]:
    """The private Chat between the bot and a user (chat id == user id)."""
    return {"id": user_id, "type": "private", "first_name": first_name}


def file_json(file_id: str, size: int) -> dict[str, Any]:
    """The fields every Bot API file object shares."""
    return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": size}


def message_json(msg: SentMessage, bot_id: int, first_name: str) -> dict[str, Any]:
    """The Message object Telegram returns for a bot message in its current state."""
    data: dict[str, Any] = {
        "message_id": msg.message_id,
        "date": msg.date,
        "chat": private_chat_json(msg.chat_id, first_name),
        "from": bot_user_json(bot_id),
    }
    if msg.text is not None:
        data["text"] = msg.text
        if msg.entities:
            data["entities"] = msg.entities
    if msg.caption is not None:
        data["caption"] = msg.caption
        if msg.entities:
            data["caption_entities"] = msg.entities
    if msg.media == "photo" and msg.file_id:
        photo = file_json(msg.file_id, len(msg.photo or b"")) | {"width": 1, "height": 1}
        data["photo"] = [photo]
    elif msg.media == "document" and msg.file_id:
        document = file_json(msg.file_id, len(msg.document or b""))
        data["document"] = document | {"file_name": msg.filename or "file"}
    # Telegram only echoes inline keyboards; reply keyboards are not part of the Message.
    if msg.reply_markup and "inline_keyboard" in msg.reply_markup:
        data["reply_markup"] = msg.reply_markup
    if msg.edit_date is not None:
        data["edit_date"] = msg.edit_date
    return data
