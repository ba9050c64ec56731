"""Starting and stopping the real bot the way ``ldn-bot run`` does, with phase timestamps.

Same wiring as production (``bot.app.build_application``, the same logging set-up, long polling
with the same options); only the clock is a ``ShiftedClock`` and the Bot API is the emulator.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from telegram import Update

from benchmarks.measure import ShiftedClock
from bot.app import BotApp, build_application, services_of
from bot.config import Settings
from bot.logs import configure_logging
from storage.db import Store


@dataclass
class RunningBot:
    app: BotApp
    store: Store
    clock: ShiftedClock
    stamps: dict[str, float] = field(default_factory=dict)  # phase -> time.monotonic()


def settings_for(db: Path, base_url: str, token: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=token,  # type: ignore[arg-type]
        telegram_api_base_url=base_url,
        database_path=db,
        log_level="INFO",
    )


async def start_bot(
    db: Path, base_url: str, token: str, *, rate_limit: bool, now: datetime
) -> RunningBot:
    """Open the store, build the app, initialise, arm the wake-up and start polling."""
    stamps = {"begin": time.monotonic()}
    settings = settings_for(db, base_url, token)
    configure_logging(settings)
    clock = ShiftedClock(now)
    store = Store(settings.database_path)
    stamps["store_opened"] = time.monotonic()
    app = build_application(settings, store, clock, rate_limit=rate_limit, whole_process=True)
    stamps["app_built"] = time.monotonic()
    await app.initialize()
    stamps["initialized"] = time.monotonic()
    assert app.post_init is not None
    await app.post_init(app)  # set_my_commands, dispatcher workers, wake-up armed
    stamps["wakeup_armed"] = time.monotonic()
    await app.start()
    assert app.updater is not None
    # As ldn-bot run: Application.run_polling's defaults, pending updates kept.
    await app.updater.start_polling(
        poll_interval=0.0, timeout=10, allowed_updates=Update.ALL_TYPES, drop_pending_updates=False
    )
    stamps["polling"] = time.monotonic()
    return RunningBot(app, store, clock, stamps)


async def stop_bot(bot: RunningBot) -> None:
    app = bot.app
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    if app.post_stop is not None:
        await app.post_stop(app)
    await app.shutdown()
    bot.store.close()


def poke_wakeup(bot: RunningBot) -> None:
    """Re-arm the wake-up job (after the clock was moved)."""
    services_of(bot.app).wakeup.poke()
