"""Tests of the Bot API emulator, driven by the real python-telegram-bot client."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable
from typing import Any

import aiohttp
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)
from telegram.request import HTTPXRequest

from tests.emulator import BotApiEmulator, SentMessage

USER = 42
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
# PTB's RetryAfter warns about its int retry_after while building the exception.
ALLOW_RETRY_AFTER_INT = pytest.mark.filterwarnings(
    "ignore:.*retry_after:telegram.warnings.PTBDeprecationWarning"
)


class FakeClock:
    """An injectable time_fn that only moves when the test says so."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as emulator:
        yield emulator


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[Bot]:
    async with Bot(emu.token, base_url=emu.base_url) as client:
        yield client


@pytest.fixture
async def http(emu: BotApiEmulator) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def keyboard(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data)] for text, data in buttons]
    )


async def expect_error(
    emu: BotApiEmulator,
    call: Awaitable[object],
    error: type[TelegramError],
    status: int,
    description: str,
) -> None:
    """The call raises ``error`` in PTB and the emulator answered Telegram's exact body."""
    with pytest.raises(error):
        await call
    last = emu.calls[-1]
    assert last.status == status
    assert last.response is not None
    assert last.response["description"] == description


# Routing and request decoding ---------------------------------------------------------------


async def test_get_me_describes_the_bot_from_its_token(emu: BotApiEmulator, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username, me.first_name) == (
        123456789,
        True,
        "ldn_test_bot",
        "LDN Test",
    )
    assert [call.method for call in emu.calls] == ["getMe", "getMe"]  # initialize + ours
    assert emu.base_url.startswith("http://127.0.0.1:")


async def test_wrong_token_is_unauthorized(emu: BotApiEmulator) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("123456789:wrong", base_url=emu.base_url):  # initialize calls getMe
            pass
    assert emu.calls[-1].response == {
        "ok": False,
        "error_code": 401,
        "description": "Unauthorized",
    }


async def test_methods_are_case_insensitive_and_unknown_ones_404(
    emu: BotApiEmulator, http: aiohttp.ClientSession
) -> None:
    async with http.post(f"{emu.base_url}{emu.token}/GETME") as response:
        assert response.status == 200
        assert (await response.json())["result"]["username"] == "ldn_test_bot"
    async with http.post(f"{emu.base_url}{emu.token}/sendTelepathy") as response:
        assert response.status == 404
        assert await response.json() == {
            "ok": False,
            "error_code": 404,
            "description": "Not Found: method not found",
        }
    assert [call.method for call in emu.calls] == ["getMe", "sendTelepathy"]


async def test_form_and_json_bodies_decode_alike(
    emu: BotApiEmulator, http: aiohttp.ClientSession
) -> None:
    emu.send_text(USER, "/start")
    markup = {"inline_keyboard": [[{"text": "OK", "callback_data": "ok"}]]}
    form = {"chat_id": str(USER), "text": "123", "reply_markup": json.dumps(markup)}
    async with http.post(f"{emu.base_url}{emu.token}/sendMessage", data=form) as response:
        assert response.status == 200
    body = {"chat_id": USER, "text": "true", "reply_markup": markup, "disable_notification": True}
    async with http.post(f"{emu.base_url}{emu.token}/sendMessage", json=body) as response:
        assert response.status == 200
    first, second = emu.messages(USER)
    assert first.text == "123"  # text fields are never JSON-decoded
    assert second.text == "true"
    assert first.reply_markup == second.reply_markup == markup
    assert emu.calls[0].params["chat_id"] == USER
    assert emu.calls[1].params["disable_notification"] is True


# getUpdates, webhook, commands ------------------------------------------------------------


async def test_get_updates_offset_limit_and_update_ids(emu: BotApiEmulator, bot: Bot) -> None:
    for text in ("one", "two", "three"):
        emu.send_text(USER, text)
    first = await bot.get_updates(limit=2)
    assert [u.message.text for u in first if u.message] == ["one", "two"]
    assert first[0].update_id < first[1].update_id
    rest = await bot.get_updates(offset=first[-1].update_id + 1)
    assert [u.message.text for u in rest if u.message] == ["three"]
    assert emu.pending_updates() == 1  # confirmed only by the next offset
    await bot.get_updates(offset=rest[-1].update_id + 1)
    assert emu.pending_updates() == 0
    # An update re-sent with an already confirmed id is dropped, like Telegram would.
    emu.send_update({"update_id": rest[-1].update_id, "message": rest[-1].to_dict()["message"]})
    assert await bot.get_updates(offset=rest[-1].update_id + 1) == ()


async def test_negative_offset_keeps_only_the_last_updates(emu: BotApiEmulator, bot: Bot) -> None:
    for text in ("a", "b", "c"):
        emu.send_text(USER, text)
    updates = await bot.get_updates(offset=-1)
    assert [u.message.text for u in updates if u.message] == ["c"]
    assert emu.pending_updates() == 1


async def test_long_poll_wakes_as_soon_as_an_update_arrives(emu: BotApiEmulator, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await emu.wait_for(lambda: emu.open_polls == 1)
    emu.send_text(USER, "hello")
    updates = await asyncio.wait_for(poll, 2)
    assert [u.message.text for u in updates if u.message] == ["hello"]
    assert emu.open_polls == 0


async def test_stopping_the_emulator_releases_a_long_poll(emu: BotApiEmulator, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await emu.wait_for(lambda: emu.open_polls == 1)
    await emu.stop()
    assert await asyncio.wait_for(poll, 2) == ()


async def test_allowed_updates_filters_later_updates(emu: BotApiEmulator, bot: Bot) -> None:
    await bot.get_updates(allowed_updates=["callback_query"])
    emu.send_text(USER, "ignored")
    assert emu.pending_updates() == 0
    await bot.send_message(USER, "Pick", reply_markup=keyboard(("A", "a")))
    emu.press_button(USER, "A")
    updates = await bot.get_updates()
    assert [u.callback_query.data for u in updates if u.callback_query] == ["a"]


async def test_webhook_is_recorded_and_blocks_polling(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "pending")
    assert await bot.set_webhook("https://example.org/hook", secret_token="s3cret")
    assert (emu.webhook_url, emu.webhook_secret_token) == ("https://example.org/hook", "s3cret")
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == ("https://example.org/hook", 1)
    with pytest.raises(Conflict):
        await bot.get_updates()
    await expect_error(
        emu,
        bot.set_webhook("http://insecure.example.org"),
        BadRequest,
        400,
        "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
    )
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert emu.webhook_url == ""
    assert emu.pending_updates() == 0
    assert await bot.get_updates() == ()


async def test_commands_are_kept_per_scope(emu: BotApiEmulator, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("start", "Begin"), BotCommand("dose", "Log a dose")])
    chat_scope = BotCommandScopeChat(USER)
    await bot.set_my_commands([BotCommand("stop", "Pause reminders")], scope=chat_scope)
    assert [c.command for c in await bot.get_my_commands()] == ["start", "dose"]
    assert [c.command for c in await bot.get_my_commands(scope=chat_scope)] == ["stop"]
    assert emu.commands({"type": "chat", "chat_id": USER}) == [
        {"command": "stop", "description": "Pause reminders"}
    ]
    assert await bot.delete_my_commands(scope=chat_scope)
    assert await bot.get_my_commands(scope=chat_scope) == ()
    await expect_error(
        emu,
        bot.set_my_commands([BotCommand("Start!", "bad")]),
        BadRequest,
        400,
        "Bad Request: BOT_COMMAND_INVALID",
    )


async def test_log_out_close_and_chats(emu: BotApiEmulator, bot: Bot) -> None:
    assert await bot.log_out()
    assert await bot.close()
    emu.send_text(USER, "/start", first_name="Maria")
    chat = await bot.get_chat(USER)
    assert (chat.id, chat.type, chat.first_name) == (USER, "private", "Maria")
    assert await bot.leave_chat(USER)
    await expect_error(emu, bot.get_chat(777), BadRequest, 400, "Bad Request: chat not found")


# Sending ----------------------------------------------------------------------------------


async def test_send_message_keyboards_and_replies(emu: BotApiEmulator, bot: Bot) -> None:
    start = emu.send_text(USER, "/start")["message"]
    reply_keyboard = ReplyKeyboardMarkup([[KeyboardButton("Yes"), KeyboardButton("No")]])
    sent = await bot.send_message(
        USER, "Ready?", reply_markup=reply_keyboard, reply_to_message_id=start["message_id"]
    )
    assert sent.reply_to_message is not None
    assert sent.reply_to_message.text == "/start"
    assert sent.reply_markup is None  # Telegram echoes only inline keyboards
    assert emu.keyboard(USER) == [["Yes", "No"]]
    await bot.send_message(USER, "Done", reply_markup=ReplyKeyboardRemove())
    assert emu.keyboard(USER) is None
    assert [m.text for m in emu.messages(USER)] == ["Ready?", "Done"]
    assert emu.last_message(USER).reply_markup == {"remove_keyboard": True}
    await expect_error(
        emu,
        bot.send_message(USER, "x", reply_to_message_id=999),
        BadRequest,
        400,
        "Bad Request: message to be replied not found",
    )


async def test_html_is_parsed_into_entities(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "/start")
    sent = await bot.send_message(
        USER, '<b>Dose</b> &lt;4.5 mg&gt; <a href="https://ldn.example">info</a>', parse_mode="HTML"
    )
    assert sent.text == "Dose <4.5 mg> info"
    assert sent.text_html == '<b>Dose</b> &lt;4.5 mg&gt; <a href="https://ldn.example">info</a>'
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 0, 4),
        ("text_link", 14, 4),
    ]


@pytest.mark.parametrize(
    ("html", "detail"),
    [
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<p>para</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("dose < 5 mg", 'Unsupported start tag "" at byte offset 5'),
        ("I <3 LDN", 'Unsupported start tag "3" at byte offset 2'),
        ("tail <b", "Unclosed start tag at byte offset 5"),
    ],
)
async def test_bad_html_is_rejected(emu: BotApiEmulator, bot: Bot, html: str, detail: str) -> None:
    emu.send_text(USER, "/start")
    await expect_error(
        emu,
        bot.send_message(USER, html, parse_mode="HTML"),
        BadRequest,
        400,
        f"Bad Request: can't parse entities: {detail}",
    )
    assert emu.messages(USER) == []


async def test_text_length_limits(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "/start")
    await expect_error(
        emu, bot.send_message(USER, " \n"), BadRequest, 400, "Bad Request: message text is empty"
    )
    await bot.send_message(USER, "a" * 4096)
    # 4096 characters once the tags are parsed away are still allowed.
    await bot.send_message(USER, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    await expect_error(
        emu, bot.send_message(USER, "a" * 4097), BadRequest, 400, "Bad Request: message is too long"
    )
    await expect_error(
        emu,
        bot.send_photo(USER, b"img", caption="c" * 1025),
        BadRequest,
        400,
        "Bad Request: message caption is too long",
    )
    assert len(emu.messages(USER)) == 2


@pytest.mark.parametrize("data", ["x" * 65, "é" * 33, ""])
async def test_invalid_callback_data_is_rejected(emu: BotApiEmulator, bot: Bot, data: str) -> None:
    emu.send_text(USER, "/start")
    await bot.send_message(USER, "fits", reply_markup=keyboard(("ok", "é" * 32)))  # 64 bytes
    await expect_error(
        emu,
        bot.send_message(USER, "Pick", reply_markup=keyboard(("bad", data))),
        BadRequest,
        400,
        "Bad Request: BUTTON_DATA_INVALID",
    )
    assert [m.text for m in emu.messages(USER)] == ["fits"]


async def test_uploads_are_stored_and_file_ids_reusable(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "/start")
    sent = await bot.send_document(USER, b"date,dose\n", filename="doses.csv", caption="Export")
    assert sent.document is not None
    assert sent.document.file_name == "doses.csv"
    photo = await bot.send_photo(USER, b"\x89PNG-bytes")
    again = await bot.send_photo(USER, photo.photo[-1].file_id)
    document, first_photo, second_photo = emu.messages(USER)
    assert (document.document, document.filename, document.caption) == (
        b"date,dose\n",
        "doses.csv",
        "Export",
    )
    assert first_photo.photo == second_photo.photo == b"\x89PNG-bytes"
    assert again.photo[-1].file_id == photo.photo[-1].file_id
    await expect_error(
        emu,
        bot.send_photo(USER, "no-such-file-id"),
        BadRequest,
        400,
        "Bad Request: wrong file identifier/HTTP URL specified",
    )


async def test_chat_actions(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "/start")
    assert await bot.send_chat_action(USER, "typing")
    await expect_error(
        emu,
        bot.send_chat_action(USER, "dancing"),
        BadRequest,
        400,
        "Bad Request: wrong parameter action in request",
    )
    assert [c.params.get("action") for c in emu.calls_to("sendChatAction")] == ["typing", "dancing"]


async def test_who_the_bot_may_write_to(emu: BotApiEmulator, bot: Bot) -> None:
    await expect_error(
        emu,
        bot.send_message(99, "hi"),
        Forbidden,
        403,
        "Forbidden: bot can't initiate conversation with a user",
    )
    await expect_error(
        emu, bot.send_message(-1001, "hi"), BadRequest, 400, "Bad Request: chat not found"
    )
    emu.send_text(USER, "/start")
    await bot.get_updates()
    emu.block(USER)
    await expect_error(
        emu, bot.send_message(USER, "hi"), Forbidden, 403, "Forbidden: bot was blocked by the user"
    )
    emu.unblock(USER)
    await bot.send_message(USER, "welcome back")
    updates = await bot.get_updates(offset=-2)
    statuses = [
        (u.my_chat_member.old_chat_member.status, u.my_chat_member.new_chat_member.status)
        for u in updates
        if u.my_chat_member
    ]
    assert statuses == [("member", "kicked"), ("kicked", "member")]
    emu.deactivate(USER)
    await expect_error(
        emu, bot.send_message(USER, "hi"), Forbidden, 403, "Forbidden: user is deactivated"
    )
    assert [m.text for m in emu.messages(USER)] == ["welcome back"]


# Editing, deleting, buttons ------------------------------------------------------------------


async def test_edit_message_text(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "/start")
    sent = await bot.send_message(USER, "Take 1.5 mg?", reply_markup=keyboard(("Yes", "y")))
    edited = await bot.edit_message_text("Taken", USER, sent.message_id)
    assert isinstance(edited, type(sent))
    msg = emu.last_message(USER)
    assert (msg.text, msg.edits, msg.reply_markup) == ("Taken", ["Take 1.5 mg?"], None)
    assert msg.edit_date is not None
    await expect_error(
        emu, bot.edit_message_text("Taken", USER, sent.message_id), BadRequest, 400, NOT_MODIFIED
    )
    await expect_error(
        emu,
        bot.edit_message_text("x", USER, 999),
        BadRequest,
        400,
        "Bad Request: message to edit not found",
    )


async def test_edit_message_media(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "/start")
    text = await bot.send_message(USER, "no photo here")
    sent = await bot.send_photo(
        USER, b"\x89PNG-one", caption="<b>30</b> days", parse_mode="HTML",
        reply_markup=keyboard(("90 days", "q")),
    )  # fmt: skip
    media = InputMediaPhoto(b"\x89PNG-two", caption="<b>90</b> days", parse_mode="HTML")
    await bot.edit_message_media(media, USER, sent.message_id, reply_markup=keyboard(("30", "m")))
    msg = emu.last_message(USER)
    assert (msg.photo, msg.caption, msg.edits) == (b"\x89PNG-two", "90 days", ["30 days"])
    assert [b["text"] for b in msg.buttons()] == ["30"] and msg.edit_date is not None
    await expect_error(
        emu,
        bot.edit_message_media(InputMediaPhoto(b"x"), USER, text.message_id),
        BadRequest,
        400,
        "Bad Request: there is no media in the message to edit",
    )


async def test_edit_reply_markup(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "/start")
    markup = keyboard(("Yes", "y"))
    sent = await bot.send_message(USER, "Take?", reply_markup=markup)
    await expect_error(
        emu,
        bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=markup),
        BadRequest,
        400,
        NOT_MODIFIED,
    )
    await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=keyboard(("No", "n")))
    assert [b["callback_data"] for b in emu.last_message(USER).buttons()] == ["n"]
    await bot.edit_message_reply_markup(USER, sent.message_id)
    assert emu.last_message(USER).reply_markup is None
    assert emu.last_message(USER).edits == []  # the text never changed


async def test_delete_message(emu: BotApiEmulator, bot: Bot) -> None:
    clock = FakeClock()
    emu.time_fn = clock
    emu.send_text(USER, "/start")
    first = await bot.send_message(USER, "old")
    second = await bot.send_message(USER, "new")
    assert emu.messages(USER)[0].date == int(clock.now)
    assert await bot.delete_message(USER, second.message_id)
    assert emu.messages(USER)[1].deleted
    assert emu.last_message(USER).text == "old"
    await expect_error(
        emu,
        bot.delete_message(USER, second.message_id),
        BadRequest,
        400,
        "Bad Request: message to delete not found",
    )
    clock.advance(48 * 3600)
    await expect_error(
        emu,
        bot.delete_message(USER, first.message_id),
        BadRequest,
        400,
        "Bad Request: message can't be deleted",
    )


async def test_answer_callback_query_rules(emu: BotApiEmulator, bot: Bot) -> None:
    clock = FakeClock()
    emu.time_fn = clock
    emu.send_text(USER, "/start")
    sent = await bot.send_message(USER, "Pick", reply_markup=keyboard(("A", "a"), ("B", "b")))
    query = emu.press(USER, sent.message_id, "a")
    await expect_error(
        emu,
        bot.answer_callback_query(query, text="x" * 201),
        BadRequest,
        400,
        "Bad Request: MESSAGE_TOO_LONG",
    )
    assert await bot.answer_callback_query(query, text="Saved")
    assert (await emu.wait_for_answer(query))["text"] == "Saved"
    await expect_error(emu, bot.answer_callback_query(query), BadRequest, 400, QUERY_TOO_OLD)
    await expect_error(emu, bot.answer_callback_query("nope"), BadRequest, 400, QUERY_TOO_OLD)
    late = emu.press_button(USER, "B")
    clock.advance(15.5)
    await expect_error(emu, bot.answer_callback_query(late), BadRequest, 400, QUERY_TOO_OLD)
    assert list(emu.callback_answers) == [query]


async def test_press_only_offers_buttons_the_message_shows(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "/start")
    sent = await bot.send_message(USER, "Pick", reply_markup=keyboard(("A", "a")))
    with pytest.raises(AssertionError, match="no button 'z'"):
        emu.press(USER, sent.message_id, "z")
    with pytest.raises(AssertionError, match="no button containing"):
        emu.press_button(USER, "Missing")
    emu.forge_callback(USER, sent.message_id, "z")
    emu.forge_callback(USER, 999, "a")
    updates = await bot.get_updates()
    queries = [u.callback_query for u in updates if u.callback_query]
    assert [q.data for q in queries] == ["z", "a"]
    assert queries[0].message is not None
    assert queries[0].message.is_accessible
    assert queries[1].message is not None
    assert not queries[1].message.is_accessible  # date 0: Telegram's InaccessibleMessage


# Flood limits ------------------------------------------------------------------------------


async def test_limits_are_off_by_default(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "/start")
    for i in range(40):
        await bot.send_message(USER, f"m{i}")
    assert len(emu.messages(USER)) == 40
    assert emu.count_429 == 0


@ALLOW_RETRY_AFTER_INT
async def test_per_chat_limit_with_burst(emu: BotApiEmulator, bot: Bot) -> None:
    clock = FakeClock()
    emu.time_fn, emu.enforce_limits = clock, True
    emu.send_text(USER, "/start")
    for i in range(3):  # the default burst
        await bot.send_message(USER, f"m{i}")
    with pytest.raises(RetryAfter):
        await bot.send_message(USER, "too fast")
    assert emu.calls[-1].response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    clock.advance(1.0)
    await bot.edit_message_text("edited", USER, emu.last_message(USER).message_id)
    emu.per_chat_limit = 0.25  # one message per 4 s
    with pytest.raises(RetryAfter):
        await bot.send_message(USER, "still too fast")
    assert emu.calls[-1].response is not None
    assert emu.calls[-1].response["parameters"] == {"retry_after": 4}
    assert emu.count_429 == 2
    assert await bot.send_chat_action(USER, "typing")  # chat actions are not messages


@ALLOW_RETRY_AFTER_INT
async def test_global_limit_over_a_sliding_second(emu: BotApiEmulator, bot: Bot) -> None:
    clock = FakeClock()
    emu.time_fn, emu.enforce_limits = clock, True
    users = range(1, 12)
    for user in users:
        emu.send_text(user, "/start")
    for i in range(30):
        await bot.send_message(users[i % len(users)], "hi")
        clock.advance(0.01)
    with pytest.raises(RetryAfter):
        await bot.send_message(11, "one too many")
    clock.advance(0.71)  # the first message leaves the window
    await bot.send_message(11, "fits again")
    assert emu.count_429 == 1
    assert sum(len(emu.messages(user)) for user in users) == 31


async def test_latency_delays_every_answer(emu: BotApiEmulator, bot: Bot) -> None:
    emu.latency = 0.05
    loop = asyncio.get_running_loop()
    started = loop.time()
    await bot.get_me()
    assert loop.time() - started >= 0.05


# Faults ------------------------------------------------------------------------------------


async def test_fault_with_status_and_description(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "/start")
    emu.fail_next("SENDMESSAGE", status=400, description="Bad Request: custom", times=2)
    for _ in range(2):
        await expect_error(emu, bot.send_message(USER, "x"), BadRequest, 400, "Bad Request: custom")
    await bot.send_message(USER, "third time lucky")
    assert [m.text for m in emu.messages(USER)] == ["third time lucky"]


@ALLOW_RETRY_AFTER_INT
async def test_faults_are_consumed_in_order_per_method(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "/start")
    emu.fail_next("sendMessage", status=500)
    emu.fail_next("sendMessage", status=429, retry_after=7)
    await bot.get_me()  # other methods are unaffected
    with pytest.raises(NetworkError):
        await bot.send_message(USER, "a")
    with pytest.raises(RetryAfter):
        await bot.send_message(USER, "b")
    await bot.send_message(USER, "c")
    assert [c.status for c in emu.calls_to("sendMessage")] == [500, 429, 200]
    assert emu.calls_to("sendMessage")[1].response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }
    assert emu.count_429 == 1


async def test_html_bad_gateway_page(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "/start")
    emu.fail_next("sendMessage", status=502, body="<html><h1>502 Bad Gateway</h1></html>")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(USER, "lost")
    assert emu.messages(USER) == []
    assert emu.calls[-1].response is None


async def test_error_after_the_action_was_applied(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "/start")
    emu.fail_next("sendMessage", status=502, body="Bad Gateway", apply=True)
    with pytest.raises(NetworkError):
        await bot.send_message(USER, "delivered anyway")
    assert [m.text for m in emu.messages(USER)] == ["delivered anyway"]


async def test_late_success_times_out_the_client(emu: BotApiEmulator) -> None:
    emu.send_text(USER, "/start")
    emu.fail_next("sendMessage", delay=0.3, then_succeed_late=True)
    async with Bot(emu.token, base_url=emu.base_url, request=HTTPXRequest(read_timeout=0.1)) as b:
        with pytest.raises(TimedOut):
            await b.send_message(USER, "outcome unknown")
        msg = await emu.wait_for_message(USER, contains="outcome unknown")
        assert msg.message_id == 2
        await emu.wait_for(lambda: emu.calls[-1].method == "sendMessage")
    assert emu.calls[-1].status == 200


async def test_dropped_connection(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "/start")
    emu.fail_next("sendMessage", drop_connection=True)
    with pytest.raises(NetworkError):
        await bot.send_message(USER, "x")
    assert emu.calls[-1].status is None
    assert emu.messages(USER) == []
    await bot.send_message(USER, "reconnected")
    assert emu.last_message(USER).text == "reconnected"


# Waiting -----------------------------------------------------------------------------------


async def test_wait_for_message_count_and_timeout_report(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(USER, "/start")
    await bot.send_message(USER, "first", reply_markup=keyboard(("Go", "go")))
    sender = asyncio.create_task(bot.send_message(USER, "second"))
    msg: SentMessage = await emu.wait_for_message(USER, count=2)
    assert msg.text == "second"
    await sender
    with pytest.raises(TimeoutError) as raised:
        await emu.wait_for_message(USER, contains="never", timeout=0.05)
    report = str(raised.value)
    assert "'first' buttons=['Go']" in report
    assert "sendMessage -> 200" in report


# A real Application polling the emulator ----------------------------------------------------


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        "Welcome! Your dose is due.", reply_markup=keyboard(("Take dose", "take:1"))
    )


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Logged")
    await query.edit_message_text(f"Taken ({query.data})")


def build_application(emu: BotApiEmulator) -> Application[Any, Any, Any, Any, Any, Any]:
    app = ApplicationBuilder().token(emu.token).base_url(emu.base_url).build()
    app.add_handler(CommandHandler("start", on_start))
    app.add_handler(CallbackQueryHandler(on_button))
    return app


async def test_application_polls_handles_commands_and_buttons(emu: BotApiEmulator) -> None:
    app = build_application(emu)
    assert app.updater is not None
    async with app:
        await app.updater.start_polling(poll_interval=0.0)
        await app.start()
        start = emu.send_text(USER, "/start")
        welcome = await emu.wait_for_message(USER, contains="Welcome")
        query = emu.press_button(USER, "Take dose")
        assert (await emu.wait_for_answer(query))["text"] == "Logged"
        taken = await emu.wait_for_message(USER, contains="Taken")
        assert taken.message_id == welcome.message_id
        assert taken.edits == ["Welcome! Your dose is due."]
        # The same message delivered again (a replay) reaches the handler again.
        emu.send_update({"message": start["message"]})
        await emu.wait_for_message(USER, count=2, contains="Welcome")
        await app.updater.stop()
        await app.stop()
    assert emu.pending_updates() == 0  # PTB confirmed everything on shutdown
    assert {"getMe", "deleteWebhook", "getUpdates"} <= {c.method for c in emu.calls}
