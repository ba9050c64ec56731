"""Friction from a first session (issue 12 item 8): what a new patient reads in the first days."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.e2e.harness import HANDLER_FLOW, BotHarness, BotOptions, onboard
from tests.e2e.test_onboarding import to_plan
from tests.emulator import SentMessage

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


def every_button(bot: BotHarness) -> list[tuple[int, str]]:
    """(message id, callback data) of every inline button ever sent to ANA, edits included."""
    found: list[tuple[int, str]] = []
    for call in bot.emu.calls_to("sendMessage") + bot.emu.calls_to("editMessageText"):
        markup = call.params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        sent = call.method.lower() == "sendmessage"
        message_id: int = (
            ((call.response or {}).get("result") or {})["message_id"]
            if sent
            else call.params["message_id"]
        )
        for row in markup.get("inline_keyboard", []):
            found += [(int(message_id), button["callback_data"]) for button in row]
    return found


async def test_old_buttons_after_forget_say_the_data_was_deleted(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    for command in ("/settings", "/invite", "/export"):
        await bot.say(ANA, command)
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await bot.say(ANA, "/forget", expect="can't be undone")
    buttons = every_button(bot)
    await bot.tap(ANA, "Delete everything", expect="everything is deleted")
    # Screening, bedtime, plan, confirm, rating, settings, invite and dose buttons: none says
    # "isn't for you" or "send /start first" as if to a stranger. Left out: consent (it starts
    # a new record on purpose), /forget's own and /export's ("I don't have any data about you").
    areas = set()
    for message_id, data in buttons:
        area = data.split(":")[1]
        if area in ("forget", "exp") or data.startswith("v1:ob:consent"):
            continue
        before = await bot.forge(ANA, message_id, data)
        said = [m.body for m in bot.emu.messages(ANA)[before:]]
        assert said == ["Your data has been deleted; send /start to begin again."], data
        areas.add(area)
    assert {"scr", "bed", "plan", "ob", "ben", "set", "inv", "dose"} <= areas, areas
    assert bot.db("SELECT COUNT(*) FROM patients") == [(0,)]


async def test_a_stranger_sharing_a_location_is_told_to_start(bot: BotHarness) -> None:
    update = bot.emu.send_location(ANA, 35.6895, 139.6917)
    await bot.handled(update["update_id"])
    assert [m.body for m in bot.emu.messages(ANA)] == [
        "Please send /start first so we can set things up."
    ]


async def take_tonight(bot: BotHarness) -> None:
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await bot.advance(timedelta(minutes=5))
    await bot.tap(ANA, "Taken", expect="taken at")


async def test_a_held_step_says_it_is_held_and_why(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    for _ in range(14):
        await take_tonight(bot)
    assert "Night 14 of 14 at this dose." in bot.sent_as(ANA, "Time for tonight")[-1]
    # The step-up question is left open: night 15 says what it waits for.
    await take_tonight(bot)
    fifteenth = bot.sent_as(ANA, "Time for tonight")[-1]
    assert "Night 15 at this dose." in fifteenth and "of 14" not in fifteenth
    assert "waits for your answer to the step-up question" in fifteenth
    await bot.tap(ANA, "Stay at 0.5 mg", expect="I'll ask again")
    await take_tonight(bot)
    sixteenth = bot.sent_as(ANA, "Time for tonight")[-1]
    assert "Night 16 at this dose." in sixteenth and "a little longer, as agreed" in sixteenth


async def test_a_held_step_in_german(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.say(ANA, "/settings", expect="What would you like")
    await bot.tap(ANA, "Language", expect="Which language")
    await bot.tap(ANA, "Deutsch")
    bot.db("UPDATE plans SET interval_days = 2")
    for _ in range(2):
        await bot.advance_to_local("Europe/Berlin", "22:00")
        await bot.advance(timedelta(minutes=5))
        await bot.tap(ANA, "Genommen")
    await bot.advance_to_local("Europe/Berlin", "22:00")
    third = bot.emu.messages(ANA)[-1].body
    assert "Nacht 3 mit dieser Dosis." in third and "von 2" not in third


async def custom_plan(bot: BotHarness, start: str, target: str) -> SentMessage:
    """Onboarding up to the summary with a typed plan; the summary."""
    await to_plan(bot)
    await bot.tap(ANA, "Different numbers", expect="Your starting dose")
    await bot.say(ANA, start, expect="How much does each step go up")
    await bot.tap(ANA, "0.5 mg", expect="How many days")
    await bot.say(ANA, "7", expect="Your target dose")
    return await bot.say(ANA, target)


async def test_start_at_target_is_maintenance_from_night_one(bot: BotHarness) -> None:
    summary = await custom_plan(bot, "3", "3")
    assert "Plan: 3.0 mg every night from the first — your target dose, no step-ups" in (
        summary.body
    )
    assert "every 7 days" not in summary.body


async def test_start_above_target_is_refused(bot: BotHarness) -> None:
    refused = await custom_plan(bot, "3", "2")
    assert "start dose is above the target dose" in refused.body
    assert bot.db("SELECT COUNT(*) FROM plans") == [(0,)]


async def test_yes_typed_under_the_summary_starts(bot: BotHarness) -> None:
    await custom_plan(bot, "1", "3")
    await bot.say(ANA, "Yes", expect="All set! Your first reminder comes Sat 28 Nov at 22:00.")
    assert bot.db("SELECT status, onboarding_step FROM patients") == [("active", None)]


async def test_ja_typed_under_the_summary_starts_in_german(bot: BotHarness) -> None:
    update = bot.emu.send_text(ANA, "/start", language_code="de")
    await bot.handled(update["update_id"])
    await bot.tap(ANA, "Ja, einverstanden", expect="Opioid")
    for _ in range(3):
        await bot.tap(ANA, "Nein")
    await bot.say(ANA, "Berlin")
    await bot.say(ANA, "22:00")
    await bot.tap(ANA, "Der übliche Plan", expect="Soll ich loslegen?")
    await bot.say(ANA, "ja", expect="Alles bereit")
    assert bot.db("SELECT status FROM patients") == [("active",)]
