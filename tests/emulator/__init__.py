"""A local Telegram Bot API emulator for end-to-end tests of the bot.

It is an aiohttp server on 127.0.0.1 speaking the Bot API well enough for the real
python-telegram-bot ``Application`` to poll it unchanged. It enforces Telegram's limits and
error strings, can inject faults (errors, HTML 502 pages, timeouts, dropped connections), and
lets tests play the users: type text, tap buttons, block the bot. Waiting is event-driven.

Typical use::

    async with BotApiEmulator() as emu:
        app = ApplicationBuilder().token(emu.token).base_url(emu.base_url).build()
        emu.send_text(42, "/start")
        msg = await emu.wait_for_message(42, contains="Welcome")
"""

from tests.emulator.emulator import BotApiEmulator
from tests.emulator.faults import Fault
from tests.emulator.objects import RecordedCall, SentMessage

__all__ = ["BotApiEmulator", "Fault", "RecordedCall", "SentMessage"]
