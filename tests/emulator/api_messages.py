"""Message API methods: send, edit and delete messages, answer button presses."""

from __future__ import annotations

from typing import Any

from tests.emulator.errors import bad_request
from tests.emulator.formatting import (
    check_caption,
    check_reply_markup,
    check_text,
    render,
)
from tests.emulator.objects import SentMessage
from tests.emulator.params import Files, Handler, Params, UploadedFile
from tests.emulator.state import EmulatorState, UserChat

MAX_CALLBACK_ANSWER = 200
DELETE_WINDOW_SECONDS = 48 * 3600
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def _reply_to(chat: UserChat, state: EmulatorState, params: Params) -> int | None:
    """The replied-to message id (reply_parameters or legacy reply_to_message_id)."""
    reply = params.get("reply_parameters")
    if isinstance(reply, dict):
        message_id, lenient = reply.get("message_id"), reply.get("allow_sending_without_reply")
    else:
        message_id = params.get("reply_to_message_id")
        lenient = params.get("allow_sending_without_reply")
    if message_id is None:
        return None
    if message_id in chat.user_messages or state.find_message(chat.user_id, message_id):
        return int(message_id)
    if lenient:
        return None
    raise bad_request("message to be replied not found")


def _remember_keyboard(chat: UserChat, markup: dict[str, Any] | None) -> None:
    if markup and "keyboard" in markup:
        chat.keyboard = markup
    elif markup and markup.get("remove_keyboard"):
        chat.keyboard = None


async def send_message(state: EmulatorState, params: Params, files: Files) -> Any:
    chat = state.writable_chat(params)
    text, entities = render(params.get("text"), params.get("parse_mode"), params.get("entities"))
    check_text(text)
    markup = params.get("reply_markup")
    check_reply_markup(markup)
    msg = state.add_message(
        chat,
        text=text,
        entities=entities,
        reply_markup=markup,
        reply_to_message_id=_reply_to(chat, state, params),
        params=params,
    )
    _remember_keyboard(chat, markup)
    return state.message_json(msg)


def _file(
    state: EmulatorState, kind: str, params: Params, files: Files
) -> tuple[str, bytes | None, str | None]:
    """Resolve an upload, attach:// reference, known file_id or URL to (file_id, bytes, name)."""
    source: Any = files.get(kind, params.get(kind))
    if isinstance(source, str) and source.startswith("attach://"):
        source = files.get(source.removeprefix("attach://"))
    if isinstance(source, UploadedFile):
        if not source.data:
            raise bad_request("file must be non-empty")
        file_id = state.new_id(f"{kind}-")
        state.files[file_id] = (source.data, source.filename)
        return file_id, source.data, source.filename
    if isinstance(source, str) and source in state.files:
        return (source, *state.files[source])
    if isinstance(source, str) and source.startswith(("http://", "https://")):
        return state.new_id(f"{kind}-"), None, source.rsplit("/", 1)[-1]
    if source:
        raise bad_request("wrong file identifier/HTTP URL specified")
    raise bad_request(f"there is no {kind} in the request")


async def _send_media(kind: str, state: EmulatorState, params: Params, files: Files) -> Any:
    chat = state.writable_chat(params)
    file_id, data, filename = _file(state, kind, params, files)
    caption, entities = render(
        params.get("caption"), params.get("parse_mode"), params.get("caption_entities")
    )
    check_caption(caption)
    markup = params.get("reply_markup")
    check_reply_markup(markup)
    msg = state.add_message(
        chat,
        caption=caption or None,
        entities=entities,
        reply_markup=markup,
        reply_to_message_id=_reply_to(chat, state, params),
        media=kind,
        file_id=file_id,
        filename=filename if kind == "document" else None,
        photo=data if kind == "photo" else None,
        document=data if kind == "document" else None,
        params=params,
    )
    _remember_keyboard(chat, markup)
    return state.message_json(msg)


async def send_photo(state: EmulatorState, params: Params, files: Files) -> Any:
    return await _send_media("photo", state, params, files)


async def send_document(state: EmulatorState, params: Params, files: Files) -> Any:
    return await _send_media("document", state, params, files)


def _message_to_edit(state: EmulatorState, params: Params) -> SentMessage:
    if "inline_message_id" in params:
        raise bad_request("message to edit not found")  # inline mode is not emulated
    chat = state.writable_chat(params)
    msg = state.find_message(chat.user_id, params.get("message_id"))
    if msg is None:
        raise bad_request("message to edit not found")
    return msg


def _not_modified() -> Exception:
    return bad_request(
        "message is not modified: specified new message content and reply markup are exactly "
        "the same as a current content and reply markup of the message"
    )


async def edit_message_text(state: EmulatorState, params: Params, files: Files) -> Any:
    msg = _message_to_edit(state, params)
    if msg.text is None:
        raise bad_request("there is no text in the message to edit")
    text, entities = render(params.get("text"), params.get("parse_mode"), params.get("entities"))
    check_text(text)
    # Like Telegram, an edit without reply_markup removes the inline keyboard.
    markup = params.get("reply_markup")
    check_reply_markup(markup)
    if (text, entities, markup) == (msg.text, msg.entities, msg.reply_markup):
        raise _not_modified()
    msg.edits.append(msg.text)
    msg.text, msg.entities, msg.reply_markup = text, entities, markup
    msg.edit_date = int(state.now())
    return state.message_json(msg)


async def edit_message_media(state: EmulatorState, params: Params, files: Files) -> Any:
    """A photo or document message gets a new file (uploaded, attach:// or a known file_id),
    caption and keyboard; the old caption goes into ``edits``."""
    msg = _message_to_edit(state, params)
    media = params.get("media")
    if not isinstance(media, dict) or media.get("type") not in ("photo", "document"):
        raise bad_request("can't parse InputMedia: unsupported media type")
    if msg.media is None:
        raise bad_request("there is no media in the message to edit")
    kind = str(media["type"])
    file_id, data, filename = _file(state, kind, {kind: media.get("media")}, files)
    caption, entities = render(
        media.get("caption"), media.get("parse_mode"), media.get("caption_entities")
    )
    check_caption(caption)
    markup = params.get("reply_markup")
    check_reply_markup(markup)
    msg.edits.append(msg.caption or "")
    msg.media, msg.file_id, msg.caption, msg.entities = kind, file_id, caption or None, entities
    msg.photo = data if kind == "photo" else None
    msg.document = data if kind == "document" else None
    msg.filename = filename if kind == "document" else None
    msg.reply_markup = markup
    msg.edit_date = int(state.now())
    return state.message_json(msg)


async def edit_message_reply_markup(state: EmulatorState, params: Params, files: Files) -> Any:
    msg = _message_to_edit(state, params)
    markup = params.get("reply_markup")
    check_reply_markup(markup)
    if markup == msg.reply_markup:
        raise _not_modified()
    msg.reply_markup = markup
    msg.edit_date = int(state.now())
    return state.message_json(msg)


async def delete_message(state: EmulatorState, params: Params, files: Files) -> Any:
    chat = state.known_chat(params)
    message_id = params.get("message_id")
    if message_id in chat.user_messages:
        del chat.user_messages[message_id]  # bots may delete incoming messages in private chats
        return True
    msg = state.find_message(chat.user_id, message_id)
    if msg is None:
        raise bad_request("message to delete not found")
    if state.now() - msg.date >= DELETE_WINDOW_SECONDS:
        raise bad_request("message can't be deleted")
    msg.deleted = True
    return True


async def answer_callback_query(state: EmulatorState, params: Params, files: Files) -> Any:
    query = state.callback_query(str(params.get("callback_query_id", "")))
    if len(str(params.get("text") or "")) > MAX_CALLBACK_ANSWER:
        raise bad_request("MESSAGE_TOO_LONG")
    query.answered = True
    state.callback_answers[query.query_id] = params
    return True


async def send_chat_action(state: EmulatorState, params: Params, files: Files) -> Any:
    state.writable_chat(params)
    if params.get("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


HANDLERS: dict[str, Handler] = {
    "sendMessage": send_message,
    "sendPhoto": send_photo,
    "sendDocument": send_document,
    "editMessageText": edit_message_text,
    "editMessageMedia": edit_message_media,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "answerCallbackQuery": answer_callback_query,
    "sendChatAction": send_chat_action,
}
