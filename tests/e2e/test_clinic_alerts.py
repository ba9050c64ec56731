"""Alerts to clinic staff (RELIABILITY S18), end to end: an urgent sign, words of a crisis, an
opioid taken now and a severe check-in each reach every admin at once, in the admin's language,
once a day, with the patient's alias and a button to their page, never the patient's words; a
blocked admin costs the patient nothing."""

from __future__ import annotations

import pytest

from tests.e2e.harness import HANDLER_FLOW, BotHarness, BotOptions, onboard

pytestmark = pytest.mark.e2e
BOSS, NURSE = 500, 501  # both in ADMIN_IDS
ANA = 1001


@pytest.fixture
def bot_options() -> BotOptions:
    return BotOptions(**HANDLER_FLOW, admin_ids=frozenset({BOSS, NURSE}))


@pytest.fixture(autouse=True)
def admins_have_opened_the_bot(bot: BotHarness) -> None:
    bot.emu.start_chat(BOSS)
    bot.emu.start_chat(NURSE)


def alerts_to(bot: BotHarness, admin: int) -> list[str]:
    return [m.body for m in bot.emu.messages(admin) if "P-0001" in m.body]


async def test_an_urgent_sign_reaches_every_admin_once_a_day_without_the_words(
    bot: BotHarness,
) -> None:
    bot.emu.send_text(NURSE, "/admin", language_code="de")  # the nurse's app is in German
    await bot.handled()
    await onboard(bot, ANA)
    await bot.say(ANA, "my lips are swollen", expect="medical care now")
    [boss] = alerts_to(bot, BOSS)
    assert "allergic reaction" in boss and "lips" not in boss
    [nurse] = alerts_to(bot, NURSE)
    assert "allergischen Reaktion" in nurse
    await bot.say(ANA, "my lips are still swollen", expect="medical care now")
    assert len(alerts_to(bot, BOSS)) == 1  # once a day
    assert bot.db("SELECT detail FROM audit_log WHERE action = 'clinic.alerted'") == [("allergy",)]
    await bot.tap(BOSS, "Open their page", expect="P-0001")
    await bot.advance_to_local("Europe/Berlin", "12:00", days=1)
    await bot.say(ANA, "hives all over", expect="medical care now")
    assert len(alerts_to(bot, BOSS)) == 2  # a new day


async def test_a_crisis_is_told_to_the_clinic_and_the_patient_sees_only_the_crisis_answer(
    bot: BotHarness,
) -> None:
    await onboard(bot, ANA)
    before = bot.count(ANA)
    await bot.say(ANA, "I want to die", expect="")
    assert len(bot.emu.messages(ANA)[before:]) == 1
    [alert] = alerts_to(bot, BOSS)
    assert alert.startswith("🆘") and "suicide or self-harm" in alert and "die" not in alert


async def test_an_opioid_taken_now_and_a_severe_checkin_are_told(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.tap(ANA, "Later", expect="ask in a week")
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await bot.tap(ANA, "Taken", expect="taken at")
    await bot.advance_to_local("Europe/Berlin", "09:00")
    await bot.tap(ANA, "Headache", expect="Good morning")
    await bot.tap(ANA, "Done", expect="how bad")
    await bot.tap(ANA, "Severe", expect="contact your prescriber today")
    [severe] = alerts_to(bot, BOSS)
    assert "rated a side effect severe" in severe and "headache" in severe
    await bot.say(ANA, "I was given tramadol", expect="Are you taking it now?")
    assert len(alerts_to(bot, BOSS)) == 1  # named is not taken: only once they say so
    await bot.tap(ANA, "Yes", expect="")
    assert "taking an opioid now" in alerts_to(bot, BOSS)[-1]


async def test_a_blocked_admin_costs_the_patient_nothing(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    bot.emu.block(BOSS)
    await bot.say(ANA, "my skin and eyes look yellow", expect="medical care now")
    assert len(alerts_to(bot, NURSE)) == 1
