"""The pacer: an exact overall rate, replies before scheduled messages, and pauses after a 429.

The slot arithmetic is tested as the pure thing it is; the async pacer runs on a virtual clock
(``VirtualTime``), so nothing here waits for wall-clock time.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import random
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.pacing import BULK, SCHEDULED, ChatPace, Pacer, SlotGrid

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def most_in_one_second(times: list[float]) -> int:
    ordered = sorted(times)
    most, start = 0, 0
    for end, at in enumerate(ordered):
        while ordered[start] <= at - 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


# SlotGrid and ChatAllowance (pure) -------------------------------------------------------------


def test_late_wake_ups_do_not_slow_the_rate() -> None:
    grid, now, sent = SlotGrid(1 / 28.5), 0.0, []
    lateness = random.Random(4)
    for _ in range(10_000):
        now += grid.wait(now) + lateness.uniform(0, 0.9 * grid.interval)
        grid.take(now)
        sent.append(now)
    assert sent[-1] - sent[0] <= 9_999 / 28.5 + grid.interval  # 351 s, not aiolimiter's 362
    assert most_in_one_second(sent) <= 30


def test_after_an_idle_spell_the_grid_restarts_instead_of_bursting() -> None:
    grid = SlotGrid(0.1)
    grid.take(0.0)
    assert grid.wait(10.0) == 0.0
    grid.take(10.0)
    assert grid.wait(10.0) == pytest.approx(0.1)


def test_a_pause_holds_every_slot_then_the_pace_resumes_from_its_end() -> None:
    grid = SlotGrid(0.1)
    grid.take(0.0)
    grid.pause(0.05, 1.1)
    assert grid.wait(0.1) == pytest.approx(1.05)
    grid.take(1.15)
    assert grid.wait(1.15) == pytest.approx(0.1)  # one at a time after the pause, no burst


# The pacer on a virtual clock -----------------------------------------------------------------


class VirtualTime:
    """A clock that moves only when every task is waiting on it."""

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        wake = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + seconds, next(self._order), wake))
        await wake

    async def run(self, *work: Awaitable[Any]) -> list[Any]:
        """Run ``work`` to the end, moving the clock to each next wake-up when all are idle."""
        tasks = [asyncio.ensure_future(item) for item in work]
        while not all(task.done() for task in tasks):
            for _ in range(50):
                await asyncio.sleep(0)
            if self._sleepers and not all(task.done() for task in tasks):
                at, _, wake = heapq.heappop(self._sleepers)
                self.now = max(self.now, at)
                wake.set_result(None)
        return [task.result() for task in tasks]


Log = list[tuple[str, float]]


def pacer_on(clock: VirtualTime, per_second: float = 10.0, **kwargs: Any) -> Pacer:
    return Pacer(per_second, time=clock.time, sleep=clock.sleep, **kwargs)


def send(
    pacer: Pacer,
    clock: VirtualTime,
    log: Log,
    name: str,
    *,
    chat: int | None = 1,
    scheduled: bool = False,
    fail: Callable[[], None] = lambda: None,
) -> Awaitable[Any]:
    async def callback(*_args: Any, **_kwargs: Any) -> bool:
        log.append((name, clock.now))
        fail()
        return True

    data: dict[str, Any] = {} if chat is None else {"chat_id": chat}
    return pacer.process_request(
        callback, (), {}, "sendMessage", data, SCHEDULED if scheduled else None
    )


async def test_a_reply_overtakes_the_scheduled_messages_waiting() -> None:
    clock, log = VirtualTime(), Log()
    pacer = pacer_on(clock)
    reminders = [send(pacer, clock, log, f"r{n}", chat=n, scheduled=True) for n in range(20)]

    async def press_later() -> None:
        await clock.sleep(0.25)
        await send(pacer, clock, log, "reply", chat=99)

    await clock.run(*reminders, press_later())
    order = [name for name, _ in log]
    assert order.index("reply") <= 4  # its slot is the next one open, not the 21st
    times = [at for _, at in log]
    assert times == sorted(times)
    assert all(b - a == pytest.approx(0.1) for a, b in itertools.pairwise(times))
    await pacer.shutdown()


def fail_first(*errors: Exception) -> Callable[[], None]:
    remaining = iter(errors)

    def fail() -> None:
        error = next(remaining, None)
        if error is not None:
            raise error

    return fail


async def test_a_429_for_one_chat_pauses_that_chat_only() -> None:
    clock, log = VirtualTime(), Log()
    pacer = pacer_on(clock)
    first = send(pacer, clock, log, "first", chat=1, fail=fail_first(RetryAfter(2)))
    others = [send(pacer, clock, log, f"o{n}", chat=10 + n) for n in range(3)]
    answer = send(pacer, clock, log, "answer", chat=None)
    await clock.run(first, *others, answer)
    at = [(name, round(t, 3)) for name, t in log]
    assert at[0] == ("first", 0.0)
    assert ("answer", 0.1) in at or ("answer", 0.0) in at  # no chat: never held by the pause
    others_at = [t for name, t in at if name.startswith("o")]
    assert others_at == pytest.approx([0.1, 0.2, 0.3])  # the other chats' pace goes on
    retried = [t for name, t in at if name == "first"][1:]
    assert retried == [pytest.approx(2.1)]  # retry_after + margin, then tried again
    await pacer.shutdown()


async def test_429s_for_two_chats_pause_everything_then_the_pace_resumes() -> None:
    clock, log = VirtualTime(), Log()
    pacer = pacer_on(clock)
    first = send(pacer, clock, log, "first", chat=1, fail=fail_first(RetryAfter(2)))
    second = send(pacer, clock, log, "second", chat=2, fail=fail_first(RetryAfter(2)))
    others = [send(pacer, clock, log, f"o{n}", chat=10 + n) for n in range(3)]
    answer = send(pacer, clock, log, "answer", chat=None)
    await clock.run(first, second, *others, answer)
    at = [(name, round(t, 3)) for name, t in log if name != "answer"]
    assert at[:2] == [("first", 0.0), ("second", 0.1)]
    held = [t for _, t in at][2:]
    assert held[0] == pytest.approx(2.2)  # the overall limit, most likely: everyone waits
    assert [name for name, _ in log].count("first") == 2
    assert all(b - a == pytest.approx(0.1) for a, b in itertools.pairwise(held))  # no burst
    await pacer.shutdown()


async def test_one_chat_gets_a_burst_then_one_message_a_second_others_meanwhile() -> None:
    clock, log = VirtualTime(), Log()
    pacer = pacer_on(clock, per_chat=1.0, per_chat_burst=3)
    flood = [send(pacer, clock, log, f"f{n}", chat=1) for n in range(6)]
    others = [send(pacer, clock, log, f"o{n}", chat=10 + n) for n in range(5)]
    await clock.run(*flood, *others)
    flooded = [t for name, t in log if name.startswith("f")]
    assert flooded == pytest.approx([0.0, 0.1, 0.2, 1.0, 2.0, 3.0])
    assert most_in_one_second(flooded) <= 3
    other_times = [t for name, t in log if name.startswith("o")]
    assert max(other_times) <= 0.8 + 1e-9  # never held back behind the busy chat
    await pacer.shutdown()


def test_chats_sent_to_long_ago_are_forgotten() -> None:
    chats = ChatPace(1.0, 3)
    for n in range(10_000):
        chats.reserve(n, n * 0.01)
    assert len(chats) < 300  # only those of the last second or so, not 10,000


async def test_the_retry_after_is_raised_once_retries_are_used_up() -> None:
    clock, log = VirtualTime(), Log()
    pacer = pacer_on(clock, max_retries=2)

    def always() -> None:
        raise RetryAfter(1)

    with pytest.raises(RetryAfter):
        await clock.run(send(pacer, clock, log, "x", fail=always))
    assert len(log) == 3
    await pacer.shutdown()


async def test_a_cancelled_waiter_gives_its_slot_up() -> None:
    clock, log = VirtualTime(), Log()
    pacer = pacer_on(clock)
    waiting = [asyncio.ensure_future(send(pacer, clock, log, f"m{n}", chat=n)) for n in range(4)]
    for _ in range(10):
        await asyncio.sleep(0)
    waiting[1].cancel()
    await clock.run(*(w for n, w in enumerate(waiting) if n != 1))
    assert [(name, round(t, 3)) for name, t in log] == [("m0", 0.0), ("m2", 0.1), ("m3", 0.2)]
    await pacer.shutdown()


async def test_a_flood_of_replies_still_lets_every_fifth_slot_go_to_a_reminder() -> None:
    clock, log = VirtualTime(), Log()
    pacer = pacer_on(clock)
    reminders = [send(pacer, clock, log, f"r{n}", chat=n, scheduled=True) for n in range(3)]
    replies = [send(pacer, clock, log, f"p{n}", chat=100 + n) for n in range(12)]
    await clock.run(*reminders, *replies)
    order = "".join(name[0] for name, _ in log)
    assert order.startswith("r")  # the first one found the slot open
    assert order[1:] == "pppprpppprpppp"
    await pacer.shutdown()


async def test_a_reminder_overtakes_the_caregivers_summaries_waiting() -> None:
    """Summaries are bulk: a bedtime reminder due among them takes the next slot."""
    clock, log = VirtualTime(), Log()
    pacer = pacer_on(clock)

    def summary(n: int) -> Awaitable[Any]:
        async def callback(*_args: Any, **_kwargs: Any) -> bool:
            log.append((f"s{n}", clock.now))
            return True

        return pacer.process_request(callback, (), {}, "sendPhoto", {"chat_id": n}, BULK)

    async def reminder_later() -> None:
        await clock.sleep(0.25)
        await send(pacer, clock, log, "reminder", chat=99, scheduled=True)

    await clock.run(*[summary(n) for n in range(20)], reminder_later())
    order = [name for name, _ in log]
    assert order.index("reminder") <= 4 and len(order) == 21
    times = [at for _, at in log]
    assert all(b - a == pytest.approx(0.1) for a, b in itertools.pairwise(times))
    await pacer.shutdown()


def test_a_start_later_than_its_slot_pushes_the_next_slot_back() -> None:
    grid = SlotGrid(0.1)
    grid.take(0.0)
    grid.started(0.0005, 0.09)  # the usual hand-over: the grid keeps its pace
    assert grid.wait(0.05) == pytest.approx(0.05)
    grid.take(0.1)
    grid.started(0.18, 0.09)  # held up 80 ms after its turn
    assert grid.wait(0.18) == pytest.approx(0.09)  # not 0.02: no two starts bunched


def test_a_slower_pace_for_bulk_holds_despite_late_wake_ups() -> None:
    grid, now, sent = SlotGrid(1 / 28.5), 0.0, []
    lateness = random.Random(5)
    for _ in range(2_500):
        now += grid.wait(now) + lateness.uniform(0, 0.001)  # the wake-up, a little late
        grid.take(now)
        grid.started(now, 1 / 26, 1 / 25)
        sent.append(now)
    assert sent[-1] - sent[0] <= 2_499 / 25 + 0.04  # 100 s: 25/s, not 24 (counted from starts)
    assert min(b - a for a, b in itertools.pairwise(sent)) >= 1 / 26 - 1e-9


async def test_a_hiccup_after_a_turn_cannot_bunch_the_requests() -> None:
    """The CPU goes elsewhere for 80 ms just as a turn is handed out: the request starts late,
    and the next one still starts at least 1 / (rate + 1) after it (counted from the starts)."""
    clock, log = VirtualTime(), Log()
    pacer = pacer_on(clock)
    messages = [send(pacer, clock, log, f"m{n}", chat=n, scheduled=True) for n in range(6)]

    async def hiccup() -> None:
        await clock.sleep(0.0999)
        clock.now += 0.08  # nothing runs meanwhile: the loop (or the process) is held

    await clock.run(*messages, hiccup())
    starts = [at for _, at in log]
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 1 / 11 - 1e-9
    await pacer.shutdown()


async def test_bulk_goes_at_its_own_slower_pace_and_others_at_theirs() -> None:
    clock, log = VirtualTime(), Log()
    pacer = pacer_on(clock, bulk_per_second=5.0)

    def summary(n: int) -> Awaitable[Any]:
        async def callback(*_args: Any, **_kwargs: Any) -> bool:
            log.append((f"s{n}", clock.now))
            return True

        return pacer.process_request(callback, (), {}, "sendPhoto", {"chat_id": n}, BULK)

    await clock.run(*[summary(n) for n in range(5)])
    bulk = [at for _, at in log]
    assert all(b - a == pytest.approx(0.2) for a, b in itertools.pairwise(bulk))
    log.clear()
    await clock.run(*[send(pacer, clock, log, f"r{n}", chat=100 + n) for n in range(5)])
    replies = [at for _, at in log]
    assert all(b - a == pytest.approx(0.1) for a, b in itertools.pairwise(replies))
    await pacer.shutdown()
