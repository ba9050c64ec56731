"""Time zones typed at onboarding and in /settings: a city in any spelling, a country, an
abbreviation or a UTC offset. What is clear is saved and echoed with the local time there now;
what is not is offered as buttons, and nothing the person did not choose is saved."""

from __future__ import annotations

import pytest

from tests.e2e.harness import HANDLER_FLOW, BotHarness, BotOptions, onboard

pytestmark = pytest.mark.e2e
ANA = 1001
# The harness starts on Saturday 28 Nov 2026, 12:00 UTC: 13:00 in Berlin.


@pytest.fixture
def bot_options() -> BotOptions:
    return HANDLER_FLOW


def zone(bot: BotHarness) -> str | None:
    found = bot.db("SELECT zone FROM patients WHERE telegram_id = ?", [ANA])[0][0]
    return str(found) if found is not None else None


async def to_zone_question(bot: BotHarness, language: str = "en") -> None:
    update = bot.emu.send_text(ANA, "/start", language_code=language)
    await bot.handled(update["update_id"])
    yes, no = ("Ja, einverstanden", "Nein") if language == "de" else ("Yes, I agree", "No")
    await bot.tap(ANA, yes)
    for _ in range(3):
        await bot.tap(ANA, no)


async def test_muenchen_is_berlin_time_echoed_with_the_local_time(bot: BotHarness) -> None:
    await to_zone_question(bot)
    saved = await bot.say(ANA, "München", expect="Time zone:")
    assert "Europe/Berlin (UTC+1) — it's 13:00 there now." in saved.body
    assert zone(bot) == "Europe/Berlin"
    bot.reply_after(ANA, 0, "What time do you usually go to bed")


async def test_german_koeln_echo_in_german(bot: BotHarness) -> None:
    await to_zone_question(bot, "de")
    saved = await bot.say(ANA, "Koeln", expect="Zeitzone:")
    assert "Europe/Berlin (UTC+1) – dort ist es jetzt 13:00 Uhr." in saved.body
    assert zone(bot) == "Europe/Berlin"


async def test_utc_plus_2_offers_places_on_it_now_and_the_fixed_offset(bot: BotHarness) -> None:
    await to_zone_question(bot)
    offered = await bot.say(ANA, "UTC+2", expect="fixed offset")
    assert "doesn't change when clocks go forward or back" in offered.body
    labels = [b["text"] for b in offered.buttons()]
    assert "Cairo · 14:00" in labels and "UTC+2 · 14:00" in labels
    assert zone(bot) is None  # nothing saved before a tap
    saved = await bot.tap(ANA, "Cairo", expect="Time zone:")
    assert "Africa/Cairo (UTC+2) — it's 14:00 there now." in saved.body
    assert zone(bot) == "Africa/Cairo"


async def test_the_fixed_offset_can_be_kept(bot: BotHarness) -> None:
    await to_zone_question(bot)
    await bot.say(ANA, "GMT-5", expect="fixed offset")
    saved = await bot.tap(ANA, "UTC-5", expect="Time zone:")
    assert "UTC-5 — it's 07:00 there now." in saved.body
    assert zone(bot) == "Etc/GMT+5"  # Etc/ signs are inverted: this is UTC−5


@pytest.mark.parametrize(
    ("typed", "note", "button", "saved"),
    [
        ("CET", "CET can mean more than one", "Paris", "Europe/Paris"),
        ("IST", "IST can mean more than one", "Kolkata", "Asia/Kolkata"),
        ("USA", "more than one time zone", "Chicago", "America/Chicago"),
        ("Frankfrut", "Did you mean", "Frankfurt am Main", "Europe/Berlin"),
    ],
)
async def test_unclear_answers_are_asked(
    bot: BotHarness, typed: str, note: str, button: str, saved: str
) -> None:
    await to_zone_question(bot)
    await bot.say(ANA, typed, expect=note)
    assert zone(bot) is None
    await bot.tap(ANA, button, expect="there now")
    assert zone(bot) == saved


@pytest.mark.parametrize(
    ("typed", "saved"),
    [("PST", "America/Los_Angeles"), ("Germany", "Europe/Berlin"), ("India", "Asia/Kolkata")],
)
async def test_clear_answers_are_saved_and_echoed(bot: BotHarness, typed: str, saved: str) -> None:
    await to_zone_question(bot)
    await bot.say(ANA, typed, expect="there now")
    assert zone(bot) == saved


async def test_settings_zone_typed_as_a_city_and_as_an_offset(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.say(ANA, "/settings", expect="What would you like")
    await bot.tap(ANA, "Time zone", expect="Which time zone")
    await bot.say(ANA, "UTC-5", expect="fixed offset")
    assert zone(bot) == "Europe/Berlin"
    await bot.tap(ANA, "New York", expect="it's 07:00 there now")
    assert zone(bot) == "America/New_York"
    await bot.say(ANA, "/settings", expect="What would you like")
    await bot.tap(ANA, "Time zone", expect="Which time zone")
    await bot.say(ANA, "Peking", expect="Asia/Shanghai (UTC+8) — it's 20:00 there now.")
    assert zone(bot) == "Asia/Shanghai"
