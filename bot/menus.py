"""The "/" menus: everyone's, in each language, and an admin's own (their chat scope), which adds
the clinic's commands. Nobody else's menu ever lists them. An admin who is also a patient keeps
every patient command. The menu is a convenience: each command still checks the role.
"""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot import i18n, texts

log = logging.getLogger(__name__)


def _commands(*, admin: bool) -> dict[str | None, list[BotCommand]]:
    """The menu in each language (None: the menu for every other language)."""
    shown = texts.COMMANDS + (texts.ADMIN_COMMANDS if admin else ())
    menus: dict[str | None, list[BotCommand]] = {}
    previous = i18n.current()
    try:
        for language in i18n.LANGUAGES:
            i18n.use(language)
            code = None if language == i18n.DEFAULT else language
            menus[code] = [BotCommand(c.name, i18n._(c.description)) for c in shown]
    finally:
        i18n.use(previous)
    return menus


async def set_everyones(bot: Bot) -> None:
    for code, commands in _commands(admin=False).items():
        try:
            await bot.set_my_commands(commands, language_code=code)
        except TelegramError as error:  # never block start-up on it
            log.warning("could not set the %s command menu: %s", code, type(error).__name__)


async def set_admin(bot: Bot, telegram_id: int) -> None:
    """The admin's own menu (their private chat's scope), in each language."""
    scope = BotCommandScopeChat(telegram_id)
    for code, commands in _commands(admin=True).items():
        try:
            await bot.set_my_commands(commands, scope=scope, language_code=code)
        except TelegramError as error:  # e.g. they never opened a chat with the bot
            log.info("no admin menu for %s: %s", telegram_id, type(error).__name__)


async def clear_admin(bot: Bot, telegram_id: int) -> None:
    """Back to everyone's menu (the chat scope's own lists deleted)."""
    scope = BotCommandScopeChat(telegram_id)
    for code in _commands(admin=False):
        try:
            await bot.delete_my_commands(scope=scope, language_code=code)
        except TelegramError as error:
            log.info("admin menu of %s not cleared: %s", telegram_id, type(error).__name__)
