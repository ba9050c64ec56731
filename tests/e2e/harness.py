"""Runs the real application against the Bot API emulator, with a real SQLite file and a fake clock.

``BotHarness`` starts and stops the bot the way ``ldn-bot run`` does (initialize, post_init,
polling), can restart it on the same database, and moves time: ``advance`` moves the clock and
lets the real wake-up job fire everything that fell due.

``transport="http"`` (the default) talks to the emulator's server through the bot's own
``AiohttpRequest``; ``transport="inprocess"`` hands every call (getUpdates long polls included)
straight to the emulator without sockets, for tests about what the bot says and stores rather
than about the HTTP stack.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, TypedDict
from zoneinfo import ZoneInfo

from telegram import Update

from bot.app import MESSAGES_PER_SECOND, BotApp, build_application, services_of
from bot.config import Settings
from bot.logs import quiet_libraries
from bot.pacing import Pacer
from bot.updates import PerChatUpdateProcessor
from storage.db import Store
from tests.clock import FakeClock
from tests.emulator import BotApiEmulator, SentMessage
from tests.emulator.inprocess import BASE_URL, InProcessRequest
from tests.seeding import onboarded_patient

# A Saturday, 12:00 UTC: evening bedtimes in Europe and the Americas are still ahead.
START = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)

Transport = Literal["http", "inprocess"]


class BotOptions(TypedDict, total=False):
    """Keyword options of ``BotHarness`` (what the ``bot`` fixture's ``bot_options`` gives)."""

    rate_limit: bool
    read_timeout: float
    default_timezone: str
    transport: Transport
    admin_ids: frozenset[int]
    per_chat_pace: bool
    watch_every: float


# For tests of what the bot asks, says and stores (onboarding, settings, check-ins, input,
# titration): calls go to the emulator in-process and messages are not paced. Pacing sleeps
# in real time (up to 1/28.5 s a message) and was most of these tests' run time; it is tested
# with the HTTP stack in test_telegram_faults, tests/faults and the unit tests.
HANDLER_FLOW = BotOptions(transport="inprocess", rate_limit=False)


def overall_pace_only() -> Pacer:
    """Telegram's overall pace without its per-chat one (about 1 a second, in real time): most
    tests talk to one chat and would otherwise wait a second a message. The per-chat pace is
    the production one in the tests marked ``per_chat_pace`` (the flood tests) and the unit
    tests of ``bot.pacing``."""
    return Pacer(MESSAGES_PER_SECOND, max_retries=3, per_chat=MESSAGES_PER_SECOND)


class BotHarness:
    """One bot process (as far as the bot can tell) over the emulator."""

    def __init__(
        self,
        emu: BotApiEmulator,
        db_path: Path,
        *,
        clock: FakeClock | None = None,
        rate_limit: bool = True,
        read_timeout: float = 10.0,
        default_timezone: str = "Europe/Berlin",
        transport: Transport = "http",
        admin_ids: frozenset[int] = frozenset(),
        per_chat_pace: bool = False,
        watch_every: float | None = None,
    ) -> None:
        self.emu = emu
        self.transport = transport
        self.db_path = db_path
        self.clock = clock or FakeClock(START)
        self.rate_limit = rate_limit
        self.per_chat_pace = per_chat_pace
        self.read_timeout = read_timeout
        # Seconds between the wake-up's looks for another process's writes (None: production's).
        self.watch_every = watch_every
        self.settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            telegram_bot_token=emu.token,  # type: ignore[arg-type]
            telegram_api_base_url=emu.base_url if transport == "http" else BASE_URL,
            database_path=db_path,
            default_timezone=default_timezone,
            admin_ids=admin_ids,
        )
        self.store: Store | None = None
        self.app: BotApp | None = None
        self.processed: set[int] = set()

    async def start(self) -> None:
        quiet_libraries("DEBUG")  # as ldn-bot run does, at the most talkative level
        self.store = Store(self.db_path)
        request: InProcessRequest | None = None
        get_updates_request: InProcessRequest | None = None
        if self.transport == "inprocess":
            # The same read timeouts as the bot's own requests (build_application).
            request = InProcessRequest(self.emu, read_timeout=self.read_timeout)
            get_updates_request = InProcessRequest(self.emu, read_timeout=40)
        self.app = build_application(
            self.settings,
            self.store,
            self.clock,
            rate_limit=self.rate_limit,
            read_timeout=self.read_timeout,
            request=request,
            get_updates_request=get_updates_request,
            pace=None if self.per_chat_pace else overall_pace_only(),
        )
        processor = self.app.update_processor
        assert isinstance(processor, PerChatUpdateProcessor)
        processor.on_done = self._processed
        if self.watch_every is not None:
            services_of(self.app).wakeup.watch_every = self.watch_every
        await self.app.initialize()
        assert self.app.post_init is not None
        await self.app.post_init(self.app)
        await self.app.start()
        assert self.app.updater is not None
        await self.app.updater.start_polling(
            poll_interval=0.0, timeout=5, allowed_updates=Update.ALL_TYPES
        )

    async def stop(self) -> None:
        app, store = self.app, self.store
        self.app = self.store = None
        if app is not None:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
            if app.post_stop is not None:
                await app.post_stop(app)
            await app.shutdown()
        if store is not None:
            store.close()

    def _processed(self, update: object) -> None:
        if isinstance(update, Update):
            self.processed.add(update.update_id)
            self.emu.notify()

    async def handled(self, update_id: int | None = None) -> None:
        """Wait until the bot has finished handling an update (by default the newest one)."""
        wanted = self.emu.last_update_id if update_id is None else update_id
        await self.emu.wait_for(lambda: wanted in self.processed, what=f"update {wanted} handled")

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    # Time ------------------------------------------------------------------------------------

    async def settle(self) -> None:
        """Let the wake-up job fire whatever is due at the clock's now, and every send finish."""
        assert self.app is not None
        await services_of(self.app).wakeup.settle()

    async def advance(self, delta: timedelta) -> None:
        self.clock.advance(delta)
        await self.settle()

    async def advance_to(self, instant: datetime) -> None:
        await self.advance(instant - self.clock.now())

    async def advance_to_local(self, zone: str, hhmm: str, *, days: int = 0) -> None:
        """Move to the next local ``hh:mm`` in ``zone`` (plus ``days``), firing what falls due."""
        local_now = self.clock.now().astimezone(ZoneInfo(zone))
        hour, minute = (int(part) for part in hhmm.split(":"))
        target = local_now.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if target <= local_now:
            target += timedelta(days=1)
        await self.advance_to((target + timedelta(days=days)).astimezone(UTC))

    # People ----------------------------------------------------------------------------------

    def count(self, user: int) -> int:
        return len(self.emu.messages(user))

    def reply_after(
        self, user: int, before: int, expect: str | None, *, edited: int | None = None
    ) -> SentMessage:
        """The first bot message after index ``before`` (or the edit of message ``edited``)
        whose text contains ``expect``; fails if there is none."""
        messages = self.emu.messages(user)
        candidates = messages[before:] + [m for m in messages if m.message_id == edited]
        found = [m for m in candidates if expect is None or expect in m.body]
        assert found, f"no reply to {user} containing {expect!r}\n{self.emu.describe()}"
        return found[0]

    async def say(self, user: int, text: str, *, expect: str | None = None) -> SentMessage:
        """The user types ``text``; once handled, the bot's first new message with ``expect``."""
        before = self.count(user)
        update = self.emu.send_text(user, text)
        await self.handled(update["update_id"])
        return self.reply_after(user, before, expect)

    async def tap(self, user: int, button: str, *, expect: str | None = None) -> SentMessage:
        """The user taps the newest button whose text contains ``button``; once handled, the
        new message (or the tapped message's edit) that contains ``expect``."""
        pressed = self.message_with_button(user, button)
        before = self.count(user)
        self.emu.press_button(user, button)
        await self.handled()
        return self.reply_after(user, before, expect, edited=pressed.message_id)

    async def forge(self, user: int, message_id: int, data: str) -> int:
        """A forged or replayed press; returns the message count before it, once handled."""
        before = self.count(user)
        self.emu.forge_callback(user, message_id, data)
        await self.handled()
        return before

    def message_with_button(self, user: int, button: str) -> SentMessage:
        for message in reversed(self.emu.messages(user)):
            if any(button in b.get("text", "") for b in message.buttons()):
                return message
        raise AssertionError(f"no button containing {button!r} for {user}")

    def sent_as(self, user: int, contains: str) -> list[str]:
        """Bot messages to ``user`` whose first-sent text (before edits) contains ``contains``."""
        originals = [m.edits[0] if m.edits else m.body for m in self.emu.messages(user)]
        return [text for text in originals if contains in text]

    def seed_patient(self, telegram_id: int, *, zone: str, bedtime: str) -> None:
        """An onboarded patient on the usual plan, written straight to the database (fast)."""
        assert self.store is not None
        self.emu.start_chat(telegram_id)
        now = self.clock.now()
        self.store.run_sync(onboarded_patient, telegram_id, zone=zone, bedtime=bedtime, now=now)

    def db(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        assert self.store is not None
        store = self.store
        return store.run_sync(lambda db: db.execute(sql, params or []).fetchall())


async def onboard(
    h: BotHarness,
    user: int,
    *,
    zone: str = "Berlin",
    bedtime: str = "22:00",
) -> SentMessage:
    """Walk a patient through onboarding with the usual plan; returns the "All set" message."""
    await h.say(user, "/start", expect="Is it OK to store")
    await h.tap(user, "Yes, I agree", expect="opioid")
    await h.tap(user, "No", expect="allergic")
    await h.tap(user, "No", expect="liver disease")
    await h.tap(user, "No", expect="time zone")
    await h.say(user, zone, expect="What time do you usually go to bed")
    await h.say(user, bedtime, expect="dose plan")
    await h.tap(user, "The usual plan", expect="Shall I start?")
    return await h.tap(user, "Start", expect="All set")
