"""Bot-level API methods: identity, getUpdates long polling, webhook, commands, chats."""

from __future__ import annotations

import re
from typing import Any

from tests.emulator.errors import ApiError, bad_request, forbidden
from tests.emulator.objects import bot_user_json
from tests.emulator.params import Files, Handler, Params
from tests.emulator.state import EmulatorState

_COMMAND = re.compile(r"[a-z0-9_]{1,32}")


async def get_me(state: EmulatorState, params: Params, files: Files) -> Any:
    return bot_user_json(state.bot_id) | {
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


async def get_updates(state: EmulatorState, params: Params, files: Files) -> Any:
    if state.webhook.url:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    state.confirm(int(params.get("offset") or 0))
    if isinstance(params.get("allowed_updates"), list):
        state.allowed_updates = params["allowed_updates"]
    limit = min(max(int(params.get("limit") or 100), 1), 100)
    timeout = float(params.get("timeout") or 0)
    if not state.updates and timeout > 0:
        state.open_polls += 1
        state.changed.notify()
        try:
            await state.changed.wait_for(lambda: state.closing or bool(state.updates), timeout)
        finally:
            state.open_polls -= 1
    return state.updates[:limit]


async def set_webhook(state: EmulatorState, params: Params, files: Files) -> Any:
    url = str(params.get("url") or "")
    if url and not url.startswith("https://"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    state.webhook.url = url
    state.webhook.secret_token = params.get("secret_token")
    state.webhook.params = params
    if params.get("drop_pending_updates"):
        state.updates.clear()
    return True


async def delete_webhook(state: EmulatorState, params: Params, files: Files) -> Any:
    state.webhook.url = ""
    state.webhook.secret_token = None
    if params.get("drop_pending_updates"):
        state.updates.clear()
    return True


async def get_webhook_info(state: EmulatorState, params: Params, files: Files) -> Any:
    info: dict[str, Any] = {
        "url": state.webhook.url,
        "has_custom_certificate": False,
        "pending_update_count": len(state.updates),
    }
    if state.webhook.url:
        for key in ("max_connections", "allowed_updates", "ip_address"):
            if key in state.webhook.params:
                info[key] = state.webhook.params[key]
    return info


async def returns_true(state: EmulatorState, params: Params, files: Files) -> Any:
    return True


async def set_my_commands(state: EmulatorState, params: Params, files: Files) -> Any:
    commands = params.get("commands")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    for command in commands:
        if not _COMMAND.fullmatch(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    state.commands[state.commands_key(params)] = commands
    return True


async def get_my_commands(state: EmulatorState, params: Params, files: Files) -> Any:
    return state.commands.get(state.commands_key(params), [])


async def delete_my_commands(state: EmulatorState, params: Params, files: Files) -> Any:
    state.commands.pop(state.commands_key(params), None)
    return True


async def get_chat(state: EmulatorState, params: Params, files: Files) -> Any:
    chat = state.known_chat(params)
    return chat.chat_json() | {
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": True,
            "limited_gifts": True,
            "unique_gifts": True,
            "premium_subscription": True,
            "gifts_from_channels": True,
        },
    }


async def leave_chat(state: EmulatorState, params: Params, files: Files) -> Any:
    chat_id = params.get("chat_id")
    group = state.groups.get(chat_id) if isinstance(chat_id, int) else None
    if group is None:
        state.known_chat(params)
        return True
    if not group.bot_is_member:
        raise forbidden("bot is not a member of the group chat")
    group.bot_is_member = False
    # Telegram tells the bot about its own departure, as it does when someone removes it.
    bot = bot_user_json(state.bot_id)
    state.enqueue(
        {
            "my_chat_member": {
                "chat": group.chat_json(),
                "from": bot,
                "date": int(state.now()),
                "old_chat_member": {"user": bot, "status": "member"},
                "new_chat_member": {"user": bot, "status": "left"},
            }
        }
    )
    return True


HANDLERS: dict[str, Handler] = {
    "getMe": get_me,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "logOut": returns_true,
    "close": returns_true,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "getChat": get_chat,
    "leaveChat": leave_chat,
}
