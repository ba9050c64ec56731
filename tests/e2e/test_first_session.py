"""Friction from a first session (issue 12 item 8): what a new patient reads in the first days."""

from __future__ import annotations

import pytest

from tests.e2e.harness import HANDLER_FLOW, BotHarness, BotOptions, onboard

pytestmark = pytest.mark.e2e
ANA = 1001


@pytest.fixture
def bot_options() -> BotOptions:
    return HANDLER_FLOW


async def test_start_while_active_does_not_say_on_again(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    back = await bot.say(ANA, "/start", expect="Your reminders are on. Next one")
    assert "again" not in back.body


async def test_cancel_in_settings_does_not_send_to_start(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.say(ANA, "/settings", expect="What would you like")
    await bot.tap(ANA, "Bedtime", expect="What time")
    stopped = await bot.say(ANA, "/cancel", expect="your settings stay as they were")
    assert "/start" not in stopped.body


async def test_cancel_in_settings_in_german(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.say(ANA, "/settings", expect="What would you like")
    await bot.tap(ANA, "Language", expect="Which language")
    await bot.tap(ANA, "Deutsch", expect="")
    await bot.say(ANA, "/settings", expect="")
    await bot.tap(ANA, "Schlafenszeit", expect="")
    stopped = await bot.say(ANA, "/cancel", expect="Einstellungen bleiben")
    assert "/start" not in stopped.body


async def test_today_after_bedtime_passed_calls_the_reminder_tomorrows(bot: BotHarness) -> None:
    # Onboarded on Saturday after 22:00 Berlin: the first reminder is on Sunday.
    await bot.advance_to_local("Europe/Berlin", "23:00")
    await onboard(bot, ANA)
    shown = await bot.say(ANA, "/today", expect="Next reminder")
    assert "Tonight" not in shown.body
    assert "Sun 29 Nov at 22:00" in shown.body


async def test_today_before_bedtime_says_tonight(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.say(ANA, "/today", expect="Tonight: 0.5 mg, reminder Sat 28 Nov at 22:00")


async def test_plan_dates_stay_put_once_tonight_is_taken(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    before = await bot.say(ANA, "/plan", expect="1.0 mg from about")
    assert "1.0 mg from about Sat 12 Dec" in before.body
    await bot.advance_to_local("Europe/Berlin", "22:01")
    await bot.tap(ANA, "Taken", expect="taken at")
    after = await bot.say(ANA, "/plan", expect="1.0 mg from about")
    assert "1.0 mg from about Sat 12 Dec" in after.body  # not Fri 11 Dec
    assert "1.5 mg from about Sat 26 Dec" in after.body


def weekly_offers(bot: BotHarness) -> int:
    return len([m for m in bot.emu.messages(ANA) if "weekly check" in m.body])


async def test_checkin_before_the_first_dose_has_nothing_to_report(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    bot.db("DELETE FROM benefit_ratings")  # no baseline offered (as for a clinic enrolment)
    told = await bot.say(ANA, "/checkin", expect="Nothing to report yet")
    assert told.buttons() == []
    assert bot.db("SELECT COUNT(*) FROM checkins") == [(0,)]
    await bot.say(ANA, "/checkin", expect="Nothing to report yet")
    assert weekly_offers(bot) == 0


async def test_checkin_before_the_first_dose_in_german(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.say(ANA, "/settings", expect="What would you like")
    await bot.tap(ANA, "Language", expect="Which language")
    await bot.tap(ANA, "Deutsch")
    await bot.say(ANA, "/checkin", expect="Noch nichts zu berichten")


async def test_weekly_rating_is_offered_once_after_the_first_dose(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    bot.db("DELETE FROM benefit_ratings")
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await bot.tap(ANA, "Taken", expect="taken at")
    for _ in range(2):  # two check-ins the same morning: one offer
        await bot.say(ANA, "/checkin", expect="Good morning")
        await bot.tap(ANA, "None of these", expect="Glad to hear it")
    assert weekly_offers(bot) == 1
