"""Messages nobody asked for, end to end: a side effect written in words opens today's check-in
with it ticked (stored only once answered), a dose question goes to the prescriber, a missed dose
gets "don't double up", thanks and hello get a short answer — never the whole command list."""

from __future__ import annotations

import pytest

from tests.e2e.harness import HANDLER_FLOW, BotHarness, BotOptions, onboard

pytestmark = pytest.mark.e2e
ANA = 1001


@pytest.fixture
def bot_options() -> BotOptions:
    return HANDLER_FLOW


async def first_night(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.tap(ANA, "Later", expect="ask in a week")
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await bot.tap(ANA, "Taken", expect="taken at")
    await bot.advance_to_local("Europe/Berlin", "08:00")


async def test_a_side_effect_in_words_opens_the_checkin_with_it_ticked(bot: BotHarness) -> None:
    await first_night(bot)
    asked = await bot.say(ANA, "had nightmares and now a headache", expect="I've ticked")
    assert "vivid dreams and headache" in asked.body
    labels = [b["text"] for b in asked.buttons()]
    assert "✓ 😴 Vivid dreams" in labels and "✓ 🤕 Headache" in labels and "✅ Done" in labels
    assert bot.db("SELECT effects FROM checkins") == [("{}",)]  # nothing stored yet
    await bot.tap(ANA, "Done", expect="how bad")
    await bot.tap(ANA, "Mild", expect="how bad")
    await bot.tap(ANA, "Moderate")
    assert bot.db("SELECT effects, status FROM checkins") == [
        ('{"dreams": 1, "headache": 2}', "answered")
    ]


async def test_before_the_first_dose_a_side_effect_is_thanked_not_recorded(
    bot: BotHarness,
) -> None:
    await onboard(bot, ANA)
    told = await bot.say(ANA, "I feel sick", expect="Thank you for telling me")
    assert "prescriber" in told.body and not told.buttons()
    assert bot.db("SELECT COUNT(*) FROM checkins") == [(0,)]


async def test_dose_questions_missed_doses_thanks_and_hello(bot: BotHarness) -> None:
    await first_night(bot)
    rows = (
        bot.db("SELECT COUNT(*), MAX(status) FROM dose_events"),
        bot.db("SELECT COUNT(*) FROM checkins"),
    )
    asked = await bot.say(ANA, "can I increase my dose to 1 mg?", expect="Only your prescriber")
    assert "I never do" in asked.body
    missed = await bot.say(ANA, "I forgot it last night", expect="don't take an extra dose")
    assert [b["text"] for b in missed.buttons()] == ["✏️ Correct a dose"]
    await bot.say(ANA, "thanks!", expect="You're welcome")
    hello = await bot.say(ANA, "hello", expect="Hello!")
    assert "Here's what I can do" not in hello.body
    assert (
        bot.db("SELECT COUNT(*), MAX(status) FROM dose_events"),
        bot.db("SELECT COUNT(*) FROM checkins"),
    ) == rows


async def test_in_german(bot: BotHarness) -> None:
    await first_night(bot)
    await bot.say(ANA, "/settings", expect="What would you like")
    await bot.tap(ANA, "Language", expect="Which language")
    await bot.tap(ANA, "Deutsch", expect="")
    asked = await bot.say(ANA, "Ich habe Kopfschmerzen", expect="angekreuzt")
    assert "<b>Kopfschmerzen</b>" in asked.body or "Kopfschmerzen" in asked.body
    assert "✓ 🤕 Kopfschmerzen" in [b["text"] for b in asked.buttons()]
    await bot.say(ANA, "keine Albträume", expect="nicht verstanden")
    await bot.say(ANA, "Kann ich die Dosis erhöhen?", expect="Ärztin oder dein Arzt ändern")


async def test_an_urgent_sign_gets_only_its_urgent_answer(bot: BotHarness) -> None:
    await first_night(bot)
    before = bot.count(ANA)
    await bot.say(ANA, "my lips are swollen and I have a headache", expect="medical care now")
    bodies = [m.body for m in bot.emu.messages(ANA)[before:]]
    assert len(bodies) == 1 and "ticked" not in bodies[0]


async def test_took_it_in_words_while_the_reminder_waits_logs_it_with_one_tap(
    bot: BotHarness,
) -> None:
    await onboard(bot, ANA)
    await bot.tap(ANA, "Later", expect="ask in a week")
    await bot.advance_to_local("Europe/Berlin", "22:00")
    assert bot.db("SELECT status FROM dose_events") == [("pending",)]
    told = await bot.say(ANA, "I took it", expect="Tap below to log tonight's 0.5 mg")
    assert [b["text"] for b in told.buttons()] == ["✅ Taken"]
    assert bot.db("SELECT status FROM dose_events") == [("pending",)]  # a tap logs it, not words
    await bot.tap(ANA, "Taken", expect="taken at")
    assert bot.db("SELECT status FROM dose_events") == [("taken",)]
    # Logged: words now point to the reminder and to corrections, nothing is logged twice.
    again = await bot.say(ANA, "took it", expect="To log a dose")
    assert [b["text"] for b in again.buttons()] == ["✏️ Correct a dose"]
    await bot.tap(ANA, "Taken", expect="already")  # the reminder's own button: no second dose
    assert bot.db("SELECT COUNT(*), MAX(status) FROM dose_events") == [(1, "taken")]


async def test_took_it_before_the_reminder_came_points_to_it(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.say(ANA, "ich habe sie genommen", expect="To log a dose")
    assert bot.db("SELECT status FROM dose_events") in ([], [("pending",)])
