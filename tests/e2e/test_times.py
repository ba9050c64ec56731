"""Times typed at the bedtime question (onboarding and /settings): a bare hour asks "10 pm or
10 am?" with buttons instead of saving 10:00; clear ways of saying a time are read; the chosen
bedtime is echoed back. English and German."""

from __future__ import annotations

import pytest

from tests.e2e.harness import HANDLER_FLOW, BotHarness, BotOptions, onboard

pytestmark = pytest.mark.e2e
ANA = 1001


@pytest.fixture
def bot_options() -> BotOptions:
    return HANDLER_FLOW


def bedtime(bot: BotHarness) -> str | None:
    found = bot.db("SELECT bedtime FROM patients WHERE telegram_id = ?", [ANA])[0][0]
    return str(found) if found is not None else None


async def to_bedtime_question(bot: BotHarness) -> None:
    await bot.say(ANA, "/start", expect="Is it OK to store")
    await bot.tap(ANA, "Yes, I agree", expect="opioid")
    await bot.tap(ANA, "No", expect="allergic")
    await bot.tap(ANA, "No", expect="liver disease")
    await bot.tap(ANA, "No", expect="time zone")
    await bot.say(ANA, "Berlin", expect="What time do you usually go to bed")


async def test_a_bare_hour_at_bedtime_asks_am_or_pm(bot: BotHarness) -> None:
    await to_bedtime_question(bot)
    asked = await bot.say(ANA, "10", expect="Did you mean")
    assert "10 pm (22:00)" in asked.body and "10 am (10:00)" in asked.body
    assert [b["text"] for b in asked.buttons()] == ["10 pm (22:00)", "10 am (10:00)"]
    assert bedtime(bot) is None  # nothing saved before the choice
    echoed = await bot.tap(ANA, "10 pm", expect="Bedtime: 22:00")
    assert echoed is not None
    bot.reply_after(ANA, 0, "dose plan")
    assert bedtime(bot) == "22:00"


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("half past ten pm", "22:30"),
        ("10:30pm", "22:30"),
        ("22h30", "22:30"),
        ("midnight", "00:00"),
    ],
)
async def test_clear_times_are_saved_and_echoed(bot: BotHarness, typed: str, saved: str) -> None:
    await to_bedtime_question(bot)
    await bot.say(ANA, typed, expect=f"Bedtime: {saved}")
    assert bedtime(bot) == saved


async def test_german_halb_elf_is_ten_thirty(bot: BotHarness) -> None:
    update = bot.emu.send_text(ANA, "/start", language_code="de")
    await bot.handled(update["update_id"])
    await bot.tap(ANA, "Ja, einverstanden", expect="Opioid")
    await bot.tap(ANA, "Nein", expect="allergische Reaktion")
    await bot.tap(ANA, "Nein", expect="Lebererkrankung")
    await bot.tap(ANA, "Nein", expect="In welcher Zeitzone")
    await bot.say(ANA, "Berlin", expect="Wann gehst du normalerweise schlafen?")
    asked = await bot.say(ANA, "halb elf", expect="Meinst du")
    labels = ["10:30 Uhr abends (22:30)", "10:30 Uhr morgens (10:30)"]
    assert [b["text"] for b in asked.buttons()] == labels
    await bot.tap(ANA, "abends", expect="Schlafenszeit: 22:30")
    assert bedtime(bot) == "22:30"


async def test_settings_bedtime_bare_hour_asks_and_german_uhr_is_read(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.say(ANA, "/settings", expect="What would you like")
    await bot.tap(ANA, "Bedtime", expect="What time")
    await bot.say(ANA, "11", expect="11 pm (23:00) or 11 am (11:00)")
    assert bedtime(bot) == "22:00"
    await bot.tap(ANA, "11 pm", expect="Saved")
    bot.reply_after(ANA, 0, "Bedtime: 23:00")
    assert bedtime(bot) == "23:00"
    await bot.say(ANA, "/settings", expect="What would you like")
    await bot.tap(ANA, "Bedtime", expect="What time")
    await bot.say(ANA, "22 Uhr", expect="Saved")
    assert bedtime(bot) == "22:00"
