"""The user side of Telegram: updates a human would cause by typing, tapping or blocking."""

from __future__ import annotations

from typing import Any

from tests.emulator.objects import bot_user_json, file_json
from tests.emulator.state import CallbackQuery, EmulatorState, UserChat


def send_message(state: EmulatorState, chat: UserChat, content: dict[str, Any]) -> dict[str, Any]:
    """The user sends a message; content holds its text/location/photo fields."""
    chat.started = True
    message_id = chat.next_message_id()
    message = {
        "message_id": message_id,
        "date": int(state.now()),
        "chat": chat.chat_json(),
        "from": chat.user_json(),
        **content,
    }
    chat.user_messages[message_id] = message
    return state.enqueue({"message": message})


def edit_message(
    state: EmulatorState, chat: UserChat, message_id: int, text: str
) -> dict[str, Any]:
    """The user edits their earlier text message ``message_id``: an ``edited_message`` update."""
    original = chat.user_messages.get(message_id)
    if original is None:
        raise AssertionError(f"user {chat.user_id} sent no message {message_id}")
    edited = {**original, **text_content(text), "edit_date": int(state.now())}
    if not text.startswith("/"):
        edited.pop("entities", None)
    chat.user_messages[message_id] = edited
    return state.enqueue({"edited_message": edited})


def text_content(text: str) -> dict[str, Any]:
    """A text message; a leading "/word" is marked as a bot_command like clients do."""
    content: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return content


def photo_content(state: EmulatorState) -> dict[str, Any]:
    """A photo the user sends (contents are irrelevant to the bot)."""
    file_id = state.new_id("user-photo-")
    return {"photo": [file_json(file_id, 1024) | {"width": 90, "height": 90}]}


def callback_query(state: EmulatorState, chat: UserChat, message_id: int, data: str) -> str:
    """The user taps an inline button; returns the new callback query id."""
    query_id = state.new_id("cbq-")
    state.callback_queries[query_id] = CallbackQuery(
        query_id, chat.user_id, message_id, data, state.now()
    )
    msg = state.find_message(chat.user_id, message_id)
    # An id the chat doesn't hold is delivered like Telegram's InaccessibleMessage (date 0).
    message = (
        state.message_json(msg)
        if msg
        else {"chat": chat.chat_json(), "message_id": message_id, "date": 0}
    )
    state.enqueue(
        {
            "callback_query": {
                "id": query_id,
                "from": chat.user_json(),
                "message": message,
                "chat_instance": str(chat.user_id),
                "data": data,
            }
        }
    )
    return query_id


def member_status_change(state: EmulatorState, chat: UserChat, old: str, new: str) -> None:
    """Telegram's my_chat_member update when a user blocks ("kicked") or unblocks the bot."""

    def member(status: str) -> dict[str, Any]:
        data: dict[str, Any] = {"user": bot_user_json(state.bot_id), "status": status}
        if status == "kicked":
            data["until_date"] = 0
        return data

    state.enqueue(
        {
            "my_chat_member": {
                "chat": chat.chat_json(),
                "from": chat.user_json(),
                "date": int(state.now()),
                "old_chat_member": member(old),
                "new_chat_member": member(new),
            }
        }
    )
