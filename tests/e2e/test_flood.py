"""One chat floods the bot (issue 16, item 1): everyone else is still answered at once.

Ana sends 3,000 messages in one go. Her backlog is bounded (``bot.updates.BACKLOG`` accepted,
the rest dropped with one "slow down"), her replies are paced to Telegram's one message a second
per chat, so the emulator enforcing Telegram's limits sends no 429, and Bob's reply and button
press, the reminders falling due and a 429 for one chat hold nobody else back. Orders and bounds
are asserted from the emulator's record of calls, not from wall-clock timings.
"""

from __future__ import annotations

import pytest

from bot.updates import BACKLOG
from tests.e2e.harness import BotHarness
from tests.emulator import BotApiEmulator

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.per_chat_pace,
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]

ANA, BOB, CARA = 1001, 1002, 1003
FLOOD = 3000
SLOW_DOWN = "That's a lot of messages at once"
REMINDER = "tonight's LDN"


def flood(emu: BotApiEmulator, user: int, count: int = FLOOD) -> list[int]:
    return [emu.send_text(user, f"hi {n}")["update_id"] for n in range(count)]


def sent_to(emu: BotApiEmulator, user: int) -> list[int]:
    """Indexes in the call record of every message sent (or edited) in ``user``'s chat."""
    return [
        n
        for n, call in enumerate(emu.calls)
        if call.method in ("sendMessage", "editMessageText")
        and call.params.get("chat_id") == user
        and call.status == 200
    ]


def accepted_from(bot: BotHarness, first: int, last: int) -> int:
    """Updates in [first, last] that reached the gate (each is recorded there)."""
    rows = bot.db(
        "SELECT COUNT(*) FROM processed_updates WHERE update_id BETWEEN ? AND ?", [first, last]
    )
    return int(rows[0][0])


async def evening(bot: BotHarness, *users: int) -> None:
    for user in users:
        bot.seed_patient(user, zone="Europe/Berlin", bedtime="22:00")
    await bot.advance_to_local("Europe/Berlin", "22:00")
    bot.emu.enforce_limits = True  # Telegram's limits: 30/s overall, about 1/s per chat


async def test_another_person_is_answered_at_once_and_the_flood_stays_bounded(
    bot: BotHarness,
) -> None:
    emu = bot.emu
    await evening(bot, ANA, BOB)
    ana_before = len(sent_to(emu, ANA))
    ids = flood(emu, ANA)
    ana_press = emu.press_button(ANA, "Taken")  # pressed while her backlog is full
    bob_help = emu.send_text(BOB, "/help")["update_id"]
    bob_press = emu.press_button(BOB, "Taken")

    await emu.wait_for(lambda: bob_press in emu.callback_answers, what="Bob's press answered")
    await emu.wait_for(lambda: {bob_help, *ids} <= bot.processed, 15, what="Bob and the flood")
    await bot.handled()
    bob = sent_to(emu, BOB)
    help_reply = bot.reply_after(BOB, 1, "/today")
    assert "taken" in emu.messages(BOB)[0].body  # the reminder, edited by his press

    # Ana's press is answered at once (a short notice), not left to expire.
    assert ana_press in emu.callback_answers
    # Her backlog is bounded: the rest was never handled, and she was told once. (A few of her
    # first answers may be done while the flood is still being fetched, each making room.)
    accepted = accepted_from(bot, ids[0], ids[-1])
    assert accepted < 2 * BACKLOG
    await emu.wait_for(lambda: len(bot.sent_as(ANA, SLOW_DOWN)) == 1, 15, what="slow down")
    await bot.settle()
    ana = sent_to(emu, ANA)[ana_before:]
    assert len(bot.sent_as(ANA, SLOW_DOWN)) == 1
    assert len(ana) <= accepted + 2  # an answer per accepted message or press, one "slow down"
    # Bob's answers came before the end of Ana's backlog, and nothing drew a 429.
    assert max(bob) < max(ana)
    assert help_reply.body
    assert emu.count_429 == 0


async def test_reminders_due_during_a_flood_are_sent_at_once_without_a_429(
    bot: BotHarness,
) -> None:
    emu = bot.emu
    for user in (ANA, BOB, CARA):
        bot.seed_patient(user, zone="Europe/Berlin", bedtime="22:00")
    emu.enforce_limits = True
    await bot.advance_to_local("Europe/Berlin", "21:59")
    ids = flood(emu, ANA)
    await emu.wait_for(lambda: ids[-1] in bot.processed, 15, what="the flood taken in")
    await bot.advance_to_local("Europe/Berlin", "22:00")  # settles: every reminder sent

    for user in (ANA, BOB, CARA):
        assert len(bot.sent_as(user, REMINDER)) == 1
    reminder_calls = [
        n for n, c in enumerate(emu.calls) if REMINDER in str(c.params.get("text", ""))
    ]
    tonight = "SELECT state FROM due_tasks WHERE kind = 'reminder' AND dose_day = '2026-11-28'"
    assert bot.db(tonight) == [("sent",)] * 3
    await emu.wait_for(
        lambda: accepted_from(bot, ids[0], ids[-1]) == len(bot.sent_as(ANA, "/today")),
        20,
        what="Ana's backlog answered",
    )
    # Bob's and Cara's reminders did not wait for Ana's backlog to be answered.
    assert max(reminder_calls) < max(sent_to(emu, ANA))
    assert accepted_from(bot, ids[0], ids[-1]) < 2 * BACKLOG
    assert emu.count_429 == 0  # Ana answered no faster than Telegram's 1/s per chat


async def test_a_429_for_one_chat_does_not_hold_back_another(bot: BotHarness) -> None:
    emu = bot.emu
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    bot.seed_patient(BOB, zone="Europe/Berlin", bedtime="22:00")
    # Telegram stricter per chat than our pacing: Ana's second answer draws a 429 of seconds.
    emu.enforce_limits = True
    emu.per_chat_burst = 1
    emu.per_chat_limit = 0.3
    emu.send_text(ANA, "/help")
    emu.send_text(ANA, "/help")
    await emu.wait_for(lambda: emu.count_429 == 1, 10, what="Ana's 429")
    retries_before = len(sent_to(emu, ANA))

    bob = emu.send_text(BOB, "/help")["update_id"]
    await bot.handled(bob)
    assert bot.reply_after(BOB, 0, "/today")
    # Bob was answered while Ana still waits out her retry_after: he was not paused with her.
    assert len(sent_to(emu, ANA)) == retries_before
    await emu.wait_for(lambda: len(sent_to(emu, ANA)) == 2, 10, what="Ana's retry")
    assert min(sent_to(emu, BOB)) < max(sent_to(emu, ANA))
