"""The "/" menu of one chat, by the roles its person holds: caregivers get their own commands
(setMyCommands for that chat's scope, in their language); someone who is both a patient and a
caregiver gets both lists; a chat with no caregiver role falls back to the patients' menu."""

from __future__ import annotations

import logging

from telegram import BotCommand, BotCommandScopeChat

from bot import i18n, texts
from bot.handlers.common import Context, call
from care.links import roles

log = logging.getLogger(__name__)


async def set_chat_menu(context: Context, chat_id: int, *, drop: bool = True) -> None:
    """Set the chat's own menu after its person's roles or language changed, or (``drop``) drop
    it when they hold no caregiver role. A convenience: a failure is logged and never stops what
    the person asked for."""
    held = await call(context, roles, chat_id)
    scope = BotCommandScopeChat(chat_id)
    try:
        if not held.caregiver:
            if drop:
                await context.bot.delete_my_commands(scope=scope)
            return
        previous = i18n.current()
        i18n.use(held.language)
        try:
            menu = [
                BotCommand(c.name, i18n._(c.description))
                for c in texts.commands_for(held.patient, held.caregiver)
            ]
        finally:
            i18n.use(previous)
        await context.bot.set_my_commands(menu, scope=scope)
    except Exception as error:  # the menu is a convenience
        log.warning("could not set the menu of chat %s: %s", chat_id, type(error).__name__)
