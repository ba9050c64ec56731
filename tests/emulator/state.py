"""Everything the emulated Telegram server remembers: chats, messages, updates, queries."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.emulator.errors import ApiError, bad_request, forbidden
from tests.emulator.objects import SentMessage, message_json, private_chat_json, user_json
from tests.emulator.waiting import ChangeSignal

# Telegram's default when allowed_updates is empty or was never set.
_NOT_DELIVERED_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


@dataclass
class UserChat:
    """A private chat between the bot and one user (chat id == user id)."""

    user_id: int
    first_name: str
    started: bool = False
    blocked: bool = False
    deactivated: bool = False
    last_message_id: int = 0
    messages: list[SentMessage] = field(default_factory=list)
    user_messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    keyboard: dict[str, Any] | None = None
    """The reply keyboard currently shown to the user, if any."""
    language_code: str = "en"
    """The language of the user's Telegram app, sent with every update they cause."""

    def next_message_id(self) -> int:
        """Message ids are shared by both sides of a chat and strictly increase."""
        self.last_message_id += 1
        return self.last_message_id

    def user_json(self) -> dict[str, Any]:
        """The user as a Bot API User."""
        return user_json(self.user_id, self.first_name, self.language_code)

    def chat_json(self) -> dict[str, Any]:
        """The chat as a Bot API Chat."""
        return private_chat_json(self.user_id, self.first_name)


@dataclass
class GroupChat:
    """A group (negative chat id) the bot was added to; leaveChat takes it out."""

    chat_id: int
    title: str
    bot_is_member: bool = True

    def chat_json(self) -> dict[str, Any]:
        """The group as a Bot API Chat."""
        return {"id": self.chat_id, "type": "group", "title": self.title}


@dataclass
class CallbackQuery:
    """A button press waiting for answerCallbackQuery."""

    query_id: str
    user_id: int
    message_id: int
    data: str
    created_at: float
    answered: bool = False


@dataclass
class Webhook:
    """The webhook settings recorded by setWebhook."""

    url: str = ""
    secret_token: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


class EmulatorState:
    """The server-side data; every mutation is followed by ``changed.notify()``."""

    def __init__(self, bot_id: int, time_fn: Callable[[], float]) -> None:
        self.bot_id = bot_id
        self.time_fn = time_fn
        self.callback_answer_timeout = 15.0
        self.chats: dict[int, UserChat] = {}
        self.groups: dict[int, GroupChat] = {}  # groups the bot was added to, by chat id
        self.updates: list[dict[str, Any]] = []  # delivered or not, but not yet confirmed
        self.allowed_updates: list[str] = []
        self.callback_queries: dict[str, CallbackQuery] = {}
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.webhook = Webhook()
        self.files: dict[str, tuple[bytes | None, str | None]] = {}
        self.changed = ChangeSignal()
        self.closing = False
        self.open_polls = 0  # getUpdates requests currently held open
        self._next_update_id = 1
        self._ids = itertools.count(1)  # for query and file ids

    @property
    def last_update_id(self) -> int:
        return self._next_update_id - 1

    def now(self) -> float:
        """The emulator's clock (injectable for tests)."""
        return self.time_fn()

    def new_id(self, prefix: str) -> str:
        """A fresh opaque id for callback queries and files."""
        return f"{prefix}{next(self._ids)}"

    async def pause(self, seconds: float) -> None:
        """Wait ``seconds`` of real time, but return at once when the emulator stops."""
        await self.changed.wait_for(lambda: self.closing, seconds)

    # Updates -------------------------------------------------------------------------------

    def enqueue(self, update: dict[str, Any]) -> dict[str, Any]:
        """Add an update (assigning update_id unless given) and wake long polls."""
        update = dict(update)
        if "update_id" in update:
            self._next_update_id = max(self._next_update_id, int(update["update_id"]) + 1)
        else:
            update = {"update_id": self._next_update_id, **update}
            self._next_update_id += 1
        kind = next(key for key in update if key != "update_id")
        if self._allowed(kind):
            self.updates.append(update)
        self.changed.notify()
        return update

    def _allowed(self, kind: str) -> bool:
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in _NOT_DELIVERED_BY_DEFAULT

    def confirm(self, offset: int) -> None:
        """getUpdates' offset: forget updates below it; a negative offset keeps the last -N."""
        if offset < 0:
            self.updates = self.updates[offset:]
        elif offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]

    # Chats and messages --------------------------------------------------------------------

    def chat(self, user_id: int, first_name: str | None = None) -> UserChat:
        """The chat with ``user_id``, created on first use."""
        chat = self.chats.get(user_id)
        if chat is None:
            chat = self.chats[user_id] = UserChat(user_id, first_name or "Ana")
        elif first_name is not None:
            chat.first_name = first_name
        return chat

    def writable_chat(self, params: dict[str, Any]) -> UserChat:
        """The chat a send/edit call targets, or Telegram's error for why the bot can't."""
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        chat = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None or not chat.started:
            if isinstance(chat_id, int) and chat_id > 0:
                raise forbidden("bot can't initiate conversation with a user")
            raise bad_request("chat not found")
        if chat.deactivated:
            raise forbidden("user is deactivated")
        if chat.blocked:
            raise forbidden("bot was blocked by the user")
        return chat

    def known_chat(self, params: dict[str, Any]) -> UserChat:
        """The chat named by chat_id, as long as the user ever talked to the bot."""
        chat_id = params.get("chat_id")
        chat = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None or not chat.started:
            raise bad_request("chat not found")
        return chat

    def add_message(self, chat: UserChat, **fields: Any) -> SentMessage:
        """Record a new bot message in ``chat``."""
        msg = SentMessage(
            message_id=chat.next_message_id(),
            chat_id=chat.user_id,
            date=int(self.now()),
            **fields,
        )
        chat.messages.append(msg)
        return msg

    def find_message(self, chat_id: int, message_id: Any) -> SentMessage | None:
        """A bot message that still exists in the chat."""
        chat = self.chats.get(chat_id)
        for msg in chat.messages if chat else []:
            if msg.message_id == message_id and not msg.deleted:
                return msg
        return None

    def messages(self, chat_id: int) -> list[SentMessage]:
        """All bot messages ever sent to the chat, in order, deleted ones included."""
        chat = self.chats.get(chat_id)
        return list(chat.messages) if chat else []

    def message_json(self, msg: SentMessage) -> dict[str, Any]:
        """A bot message as a Bot API Message, including the message it replies to."""
        chat = self.chats[msg.chat_id]
        data = message_json(msg, self.bot_id, chat.first_name)
        if msg.reply_to_message_id is not None:
            replied = chat.user_messages.get(msg.reply_to_message_id)
            original = self.find_message(msg.chat_id, msg.reply_to_message_id)
            if replied is None and original is not None:
                replied = message_json(original, self.bot_id, chat.first_name)
            if replied is not None:
                data["reply_to_message"] = replied
        return data

    # Callback queries and commands -----------------------------------------------------------

    def callback_query(self, query_id: str) -> CallbackQuery:
        """A query that may still be answered, or Telegram's "query is too old" error."""
        query = self.callback_queries.get(query_id)
        if (
            query is None
            or query.answered
            or self.now() - query.created_at > self.callback_answer_timeout
        ):
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        return query

    @staticmethod
    def commands_key(params: dict[str, Any]) -> tuple[str, str]:
        """setMyCommands stores one list per (scope, language_code)."""
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict):
            raise ApiError(400, "Bad Request: can't parse BotCommandScope JSON object")
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")
