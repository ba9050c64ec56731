"""Baseline (b): bare ``bot.send_message`` calls, no database, no scheduler, same concurrency.

``python -m benchmarks.bare BASE_URL TOKEN USERS_FILE [--concurrency 8] [--transport T]`` sends
one reminder text (rendered once, with its buttons) to every user in the file, from
``concurrency`` workers over a bot built like the product's (same pool size, same defaults, no
rate limiter), and prints CPU and wall time. ``--transport aiohttp`` (default) is the product's
own request class, so the ratio to it is the cost of everything else; ``httpx`` is PTB's
default ``HTTPXRequest``, what a bare PTB bot would use. ``--paced`` sends through the
product's pacer (28.5/s), to show what a send costs when each one goes out on its own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from decimal import Decimal
from pathlib import Path

from telegram.constants import ParseMode
from telegram.ext import Defaults, ExtBot
from telegram.request import HTTPXRequest

from benchmarks.stdio import emit
from bot.aiohttp_request import AiohttpRequest
from bot.app import telegram_pace
from bot.sender import render
from scheduler.delivery import Outgoing
from titration.reminders import ReminderCard, TaskKind

CARD = ReminderCard(
    dose_mg=Decimal("0.5"),
    night_at_dose=1,
    interval_days=14,
    target_mg=Decimal("4.5"),
    maintenance=False,
    previous_missed=False,
    late=False,
    step_question_open=False,
)


async def main(
    base_url: str, token: str, users: list[int], concurrency: int, transport: str, paced: bool
) -> None:
    request = (
        AiohttpRequest(connection_pool_size=16, read_timeout=10.0)
        if transport == "aiohttp"
        else HTTPXRequest(connection_pool_size=16, read_timeout=10.0, write_timeout=10.0)
    )
    bot: ExtBot[None] = ExtBot(
        token,
        base_url=base_url,
        request=request,
        defaults=Defaults(parse_mode=ParseMode.HTML),
        rate_limiter=telegram_pace() if paced else None,  # type: ignore[arg-type]
    )
    await bot.initialize()
    text, buttons = render(Outgoing(TaskKind.REMINDER, users[0], 1, 1, CARD))
    queue: asyncio.Queue[int] = asyncio.Queue()
    for user in users:
        queue.put_nowait(user)

    async def worker() -> None:
        while not queue.empty():
            await bot.send_message(queue.get_nowait(), text, reply_markup=buttons)

    cpu, wall = time.process_time(), time.monotonic()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    emit("done", cpu=time.process_time() - cpu, seconds=time.monotonic() - wall, sent=len(users))
    await bot.shutdown()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("token")
    parser.add_argument("users", type=Path, help="a JSON list of chat ids")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--transport", choices=("aiohttp", "httpx"), default="aiohttp")
    parser.add_argument("--paced", action="store_true")
    args = parser.parse_args()
    chats = [int(user) for user in json.loads(args.users.read_text())]
    asyncio.run(
        main(args.base_url, args.token, chats, args.concurrency, args.transport, args.paced)
    )
