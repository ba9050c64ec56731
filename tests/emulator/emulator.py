"""BotApiEmulator: start/stop the fake server and drive it from tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from aiohttp import web

from tests.emulator import users
from tests.emulator.faults import Fault, FaultQueue
from tests.emulator.limits import FloodLimiter
from tests.emulator.objects import RecordedCall, SentMessage
from tests.emulator.server import build_app
from tests.emulator.state import EmulatorState

DEFAULT_TOKEN = "123456789:TEST-emulator-token"


class BotApiEmulator:
    """A local Telegram Bot API server plus the controls of the users talking to the bot.

    Configuration attributes (``latency``, ``enforce_limits``, ``global_limit``,
    ``per_chat_limit``, ``per_chat_burst``, ``callback_answer_timeout``, ``time_fn``) may be
    changed at any time and apply from the next request.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        enforce_limits: bool = False,
        global_limit: int = 30,
        per_chat_limit: float = 1.0,
        per_chat_burst: int = 3,
        callback_answer_timeout: float = 15.0,
        latency: float = 0.0,
        time_fn: Callable[[], float] = time.time,
    ) -> None:
        self.token = token
        self.enforce_limits = enforce_limits
        self.global_limit = global_limit
        self.per_chat_limit = per_chat_limit
        self.per_chat_burst = per_chat_burst
        self.latency = latency
        self.state = EmulatorState(int(token.split(":", 1)[0]), time_fn)
        self.state.callback_answer_timeout = callback_answer_timeout
        self.faults = FaultQueue()
        self.limiter = FloodLimiter()
        self.calls: list[RecordedCall] = []
        self.count_429 = 0
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # Lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1."""
        self.state.closing = False
        self._runner = web.AppRunner(build_app(self), access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        """Release pending long polls and delayed answers, then close the server."""
        self.state.closing = True
        self.state.changed.notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)``; PTB appends the token."""
        if self._port is None:
            raise RuntimeError("the emulator is not started")
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def time_fn(self) -> Callable[[], float]:
        """The clock for message dates, query expiry and flood limits."""
        return self.state.time_fn

    @time_fn.setter
    def time_fn(self, value: Callable[[], float]) -> None:
        self.state.time_fn = value

    @property
    def callback_answer_timeout(self) -> float:
        """Seconds after which answerCallbackQuery says "query is too old"."""
        return self.state.callback_answer_timeout

    @callback_answer_timeout.setter
    def callback_answer_timeout(self, value: float) -> None:
        self.state.callback_answer_timeout = value

    def record(self, call: RecordedCall) -> None:
        """Called by the server for every request."""
        self.calls.append(call)
        if call.status == 429:
            self.count_429 += 1
        self.state.changed.notify()

    # Faults ----------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 500,
        description: str | None = None,
        retry_after: int | None = None,
        body: str | None = None,
        content_type: str | None = None,
        delay: float | None = None,
        times: int = 1,
        drop_connection: bool = False,
        then_succeed_late: bool = False,
        apply: bool = False,
        held_until: Callable[[], bool] | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail; see :class:`Fault`."""
        fault = Fault(
            status=status,
            description=description,
            retry_after=retry_after,
            body=body,
            content_type=content_type,
            delay=delay,
            drop_connection=drop_connection,
            then_succeed_late=then_succeed_late,
            apply=apply,
            held_until=held_until,
        )
        self.faults.add(method, fault, times)

    # The users -------------------------------------------------------------------------------

    def send_text(
        self, user_id: int, text: str, *, first_name: str = "Ana", language_code: str | None = None
    ) -> dict[str, Any]:
        """The user types ``text`` in the private chat (this also "presses Start").

        ``language_code`` sets their Telegram app's language ("en" unless set) for this and
        every later update they cause (messages, presses, locations).
        """
        chat = self.state.chat(user_id, first_name)
        if language_code is not None:
            chat.language_code = language_code
        return users.send_message(self.state, chat, users.text_content(text))

    def edit_text(self, user_id: int, message_id: int, text: str) -> dict[str, Any]:
        """The user edits their earlier message ``message_id`` to ``text`` (edited_message)."""
        return users.edit_message(self.state, self.state.chat(user_id), message_id, text)

    def start_chat(self, user_id: int) -> None:
        """The user pressed Start some time ago (no update now): the bot may message them."""
        self.state.chat(user_id).started = True

    def send_location(self, user_id: int, latitude: float, longitude: float) -> dict[str, Any]:
        """The user shares a location."""
        location = {"location": {"latitude": latitude, "longitude": longitude}}
        return users.send_message(self.state, self.state.chat(user_id), location)

    def send_photo_from_user(self, user_id: int) -> dict[str, Any]:
        """The user sends a photo (media the bot may not expect)."""
        content = users.photo_content(self.state)
        return users.send_message(self.state, self.state.chat(user_id), content)

    def send_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Enqueue any raw update; update_id is assigned unless given (an id below the
        confirmed offset is then discarded, as Telegram would)."""
        return self.state.enqueue(update)

    def press(self, user_id: int, message_id: int, callback_data: str) -> str:
        """Tap the inline button carrying ``callback_data``; returns the callback query id."""
        msg = self.state.find_message(user_id, message_id)
        if msg is None:
            raise AssertionError(f"chat {user_id} shows no bot message {message_id}")
        offered = [b.get("callback_data") for b in msg.buttons()]
        if callback_data not in offered:
            raise AssertionError(
                f"message {message_id} has no button {callback_data!r}; it offers {offered}"
            )
        return self.forge_callback(user_id, message_id, callback_data)

    def press_button(self, user_id: int, text_contains: str) -> str:
        """Tap the button whose label contains the text, on the newest message showing one."""
        for msg in reversed(self.state.messages(user_id)):
            for button in [] if msg.deleted else msg.buttons():
                if text_contains in button.get("text", "") and "callback_data" in button:
                    return self.press(user_id, msg.message_id, button["callback_data"])
        shown = [b.get("text") for m in self.state.messages(user_id) for b in m.buttons()]
        raise AssertionError(f"no button containing {text_contains!r} in chat {user_id}: {shown}")

    def forge_callback(self, user_id: int, message_id: int, data: str) -> str:
        """A callback query no real client could send (replayed or tampered data)."""
        return users.callback_query(self.state, self.state.chat(user_id), message_id, data)

    def block(self, user_id: int) -> None:
        """The user blocks the bot: sends now fail with 403; my_chat_member "kicked"."""
        chat = self.state.chat(user_id)
        chat.blocked = True
        users.member_status_change(self.state, chat, "member", "kicked")

    def unblock(self, user_id: int) -> None:
        """The user unblocks the bot; my_chat_member "member"."""
        chat = self.state.chat(user_id)
        chat.blocked = False
        users.member_status_change(self.state, chat, "kicked", "member")

    def deactivate(self, user_id: int) -> None:
        """The user deletes their account: sends fail with "user is deactivated"."""
        self.state.chat(user_id).deactivated = True
        self.state.changed.notify()

    # Observations ----------------------------------------------------------------------------

    @property
    def last_update_id(self) -> int:
        """The update_id given to the newest update (0 before the first)."""
        return self.state.last_update_id

    def notify(self) -> None:
        """Make every ``wait_for`` re-check its predicate (for state kept outside the emulator)."""
        self.state.changed.notify()

    def messages(self, chat_id: int) -> list[SentMessage]:
        """Every message the bot sent to the chat, in order (deleted ones flagged)."""
        return self.state.messages(chat_id)

    def last_message(self, chat_id: int) -> SentMessage:
        """The newest bot message still shown in the chat."""
        for msg in reversed(self.state.messages(chat_id)):
            if not msg.deleted:
                return msg
        raise AssertionError(f"the bot has no visible message in chat {chat_id}")

    def keyboard(self, chat_id: int) -> list[list[str]] | None:
        """Labels of the reply keyboard the user currently sees, if any."""
        chat = self.state.chats.get(chat_id)
        if chat is None or chat.keyboard is None:
            return None
        return [
            [b if isinstance(b, str) else b["text"] for b in row]
            for row in chat.keyboard["keyboard"]
        ]

    @property
    def callback_answers(self) -> dict[str, dict[str, Any]]:
        """Callback query id -> params of its answerCallbackQuery."""
        return self.state.callback_answers

    def calls_to(self, method: str) -> list[RecordedCall]:
        """Recorded calls of one method (any case)."""
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def pending_updates(self) -> int:
        """Updates not yet confirmed through getUpdates' offset."""
        return len(self.state.updates)

    @property
    def open_polls(self) -> int:
        """getUpdates requests currently held open waiting for an update."""
        return self.state.open_polls

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        """The command list set for a scope (default scope if None)."""
        key = self.state.commands_key({"scope": scope, "language_code": language_code})
        return self.state.commands.get(key, [])

    @property
    def webhook_url(self) -> str:
        """The URL recorded by setWebhook ("" when none)."""
        return self.state.webhook.url

    @property
    def webhook_secret_token(self) -> str | None:
        """The secret_token recorded by setWebhook."""
        return self.state.webhook.secret_token

    # Waiting ---------------------------------------------------------------------------------

    async def wait_for(
        self,
        predicate: Callable[[], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - a deadline for the predicate, not for I/O
        *,
        what: str = "condition",
    ) -> None:
        """Return once predicate() holds, re-checking after every call or state change."""
        if not await self.state.changed.wait_for(predicate, timeout):
            raise TimeoutError(f"{what} not met within {timeout}s\n{self.describe()}")

    async def wait_for_message(
        self,
        chat_id: int,
        *,
        count: int | None = None,
        contains: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> SentMessage:
        """Wait until the chat holds at least ``count`` bot messages (deleted included) and a
        visible one whose text or caption contains ``contains``; return the newest match."""
        found: list[SentMessage] = []

        def ready() -> bool:
            msgs = self.state.messages(chat_id)
            if count is not None and len(msgs) < count:
                return False
            found[:] = [m for m in msgs if not m.deleted and (contains or "") in m.body][-1:]
            return bool(found)

        what = f"message in chat {chat_id} (count={count}, contains={contains!r})"
        await self.wait_for(ready, timeout, what=what)
        return found[0]

    async def wait_for_answer(
        self,
        query_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """Wait until the callback query is answered; return the answer's params."""
        await self.wait_for(
            lambda: query_id in self.callback_answers, timeout, what=f"answer to query {query_id}"
        )
        return self.callback_answers[query_id]

    def describe(self, last: int = 6) -> str:
        """The last few bot messages and API calls, for failure messages."""
        msgs = sorted(
            (m for chat in self.state.chats.values() for m in chat.messages),
            key=lambda m: (m.date, m.message_id),
        )[-last:]
        lines = ["last bot messages:"] + [
            f"  chat {m.chat_id} #{m.message_id}{' (deleted)' if m.deleted else ''}: "
            f"{m.body!r} buttons={[b.get('text') for b in m.buttons()]}"
            for m in msgs
        ]
        lines.append("last API calls:")
        lines += [f"  {c.method} -> {c.status} {c.params}" for c in self.calls[-last:]]
        return "\n".join(lines)
