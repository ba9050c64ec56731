"""The "/" menus, by the roles a person holds.

Everyone's menu (set at start-up, in each language) lists the patients' commands. A chat whose
person is a caregiver or an admin gets its own menu (that chat's scope): the commands of every
role they hold — a caregiver's, the clinic's for an admin, and a patient's when they are one too —
in the language they chose. Nobody else's menu ever lists the clinic's commands, and each command
still checks the role when it is used: the menu is a convenience, and a failure to set it is
logged and never stops what the person asked for.
"""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot import clinic_texts, i18n, texts
from bot.handlers.common import Context, call
from care.links import Roles, roles

log = logging.getLogger(__name__)


def commands_for(held: Roles) -> tuple[texts.Command, ...]:
    """The commands of someone with these roles, each once."""
    shown = texts.commands_for(held.patient or not held.caregiver, held.caregiver)
    if held.admin:
        clinic = (*texts.ADMIN_COMMANDS, *clinic_texts.ADMIN_COMMANDS)
        names = {c.name for c in shown}
        shown = (*shown, *(c for c in clinic if c.name not in names))
    return shown


def _in(language: str, commands: tuple[texts.Command, ...]) -> list[BotCommand]:
    previous = i18n.current()
    i18n.use(language)
    try:
        return [BotCommand(c.name, i18n._(c.description)) for c in commands]
    finally:
        i18n.use(previous)


def _codes() -> list[str | None]:
    """Telegram's language codes of the menus we set (None: every other language)."""
    return [None if language == i18n.DEFAULT else language for language in i18n.LANGUAGES]


async def set_everyones(bot: Bot) -> None:
    """The menu of everyone without one of their own, in each language."""
    for language, code in zip(i18n.LANGUAGES, _codes(), strict=True):
        try:
            await bot.set_my_commands(_in(language, texts.COMMANDS), language_code=code)
        except TelegramError as error:  # never block start-up on it
            log.warning("could not set the %s command menu: %s", language, type(error).__name__)


async def apply(bot: Bot, chat_id: int, held: Roles, *, drop: bool = True) -> None:
    """Set the chat's own menu for ``held`` — the same list, in their language, whatever
    language their Telegram app uses — or (``drop``) remove it when they need none."""
    scope = BotCommandScopeChat(chat_id)
    own = held.caregiver or held.admin
    if not own and not drop:
        return
    menu = _in(held.language, commands_for(held)) if own else []
    for code in _codes():
        try:
            if own:
                await bot.set_my_commands(menu, scope=scope, language_code=code)
            else:
                await bot.delete_my_commands(scope=scope, language_code=code)
        except TelegramError as error:  # e.g. they never opened a chat with the bot
            log.info("the menu of chat %s not set: %s", chat_id, type(error).__name__)


async def set_chat_menu(context: Context, chat_id: int, *, drop: bool = True) -> None:
    """The chat's own menu after its person's roles or language changed."""
    await apply(context.bot, chat_id, await call(context, roles, chat_id), drop=drop)
