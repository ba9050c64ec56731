"""Safety signs in free text, end to end: an opioid taken now pauses reminders until the
patient confirms on /resume; a crisis gets the crisis answer alone; a double dose gets what to
do. English and German."""

from __future__ import annotations

import pytest

from tests.e2e.harness import HANDLER_FLOW, BotHarness, BotOptions, onboard

pytestmark = pytest.mark.e2e
ANA = 1001
BEN = 1002
OPIOID_WARNING = "must not be combined with opioids"


@pytest.fixture
def bot_options() -> BotOptions:
    return HANDLER_FLOW


def status(bot: BotHarness, user: int) -> str:
    return str(bot.db("SELECT status FROM patients WHERE telegram_id = ?", [user])[0][0])


async def test_opioid_taken_now_pauses_reminders_and_resume_asks_first(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    before = bot.count(ANA)
    warning = await bot.say(ANA, "my GP gave me Tramal for my back", expect=OPIOID_WARNING)
    assert "Are you taking it now?" in warning.body
    assert [b["text"] for b in warning.buttons()] == ["Yes", "No, just asking"]
    assert bot.emu.messages(ANA)[before:] == [warning]  # no /help list after it

    paused = await bot.tap(ANA, "Yes", expect="paused your LDN reminders")
    assert "talk to your" in paused.body and "prescriber before your next dose" in paused.body
    assert "/resume" in paused.body
    assert status(bot, ANA) == "paused"
    events = bot.db("SELECT kind, substance, resolved_at FROM safety_events")
    assert events == [("opioid_taken", "tramadol", None)]
    assert bot.db("SELECT COUNT(*) FROM due_tasks WHERE state = 'pending'") == [(0,)]
    # No reminder while paused.
    before = bot.count(ANA)
    await bot.advance_to_local("Europe/Berlin", "22:30")
    assert [m for m in bot.emu.messages(ANA)[before:] if "Time for tonight" in m.body] == []

    asked = await bot.say(ANA, "/resume", expect="you told me you were taking an opioid")
    assert status(bot, ANA) == "paused"  # not before the patient confirms
    assert [b["text"] for b in asked.buttons()] == ["Yes, go on", "Not yet"]
    await bot.tap(ANA, "Not yet", expect="stay paused")
    assert status(bot, ANA) == "paused"

    await bot.say(ANA, "/resume", expect="you told me you were taking an opioid")
    await bot.tap(ANA, "Yes, go on", expect="Reminders are back on")
    assert status(bot, ANA) == "active"
    assert bot.db("SELECT resolved_at IS NOT NULL FROM safety_events") == [(1,)]
    # A later /pause and /resume is the plain one again.
    await bot.say(ANA, "/pause", expect="Paused")
    await bot.say(ANA, "/resume", expect="Reminders are back on")


async def test_just_asking_changes_nothing(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.say(ANA, "can I take co-codamol with LDN?", expect=OPIOID_WARNING)
    await bot.tap(ANA, "No, just asking", expect="nothing changes")
    assert status(bot, ANA) == "active"
    assert bot.db("SELECT COUNT(*) FROM safety_events") == [(0,)]


async def test_someone_not_started_yet_is_told_not_to_start(bot: BotHarness) -> None:
    await bot.say(BEN, "I take Suboxone", expect=OPIOID_WARNING)
    await bot.tap(BEN, "Yes", expect="don't take LDN while you take it")


async def test_a_forged_resume_confirmation_from_a_stranger_is_refused(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.say(ANA, "Suboxone", expect=OPIOID_WARNING)
    await bot.tap(ANA, "Yes", expect="paused")
    asked = await bot.say(ANA, "/resume", expect="you told me")
    bot.emu.start_chat(BEN)
    before = await bot.forge(BEN, asked.message_id, "v1:safe:resume")
    bot.reply_after(BEN, before, "/start")
    assert status(bot, ANA) == "paused"


async def test_crisis_gets_the_crisis_answer_alone(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    before = bot.count(ANA)
    await bot.say(ANA, "I don't want to live anymore", expect="112")
    new = bot.emu.messages(ANA)[before:]
    assert len(new) == 1, bot.emu.describe()  # nothing else: no /help list, no other answer
    body = new[0].body
    for number in ("999", "911", "0800 111 0 111", "116 123", "988"):
        assert number in body
    assert new[0].buttons() == []


async def test_crisis_comes_first_even_in_an_open_question(bot: BotHarness) -> None:
    await bot.say(ANA, "/start", expect="Is it OK to store")
    await bot.tap(ANA, "Yes, I agree", expect="opioid")
    before = bot.count(ANA)
    await bot.say(ANA, "ich will nicht mehr leben", expect="112")
    assert len(bot.emu.messages(ANA)[before:]) == 1


async def test_german_crisis_answer(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    bot.db("UPDATE patients SET language = 'de'")
    answer = await bot.say(ANA, "Ich denke an Selbstmord", expect="0800 111 0 111")
    assert "TelefonSeelsorge" in answer.body and "Notruf" in answer.body


async def test_double_dose_gets_what_to_do(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    answer = await bot.say(ANA, "oops I took it twice", expect="Don't take any more today")
    assert "usual time" in answer.body
    assert "take less" not in answer.body


async def test_german_opioid_yes_pauses(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    bot.db("UPDATE patients SET language = 'de'")
    warning = await bot.say(ANA, "Ich nehme seit gestern Tilidin", expect="Opioid")
    assert [b["text"] for b in warning.buttons()] == ["Ja", "Nein, ich frage nur"]
    await bot.tap(ANA, "Ja", expect="pausiert")
    assert status(bot, ANA) == "paused"
    await bot.say(ANA, "/resume", expect="Opioid")
    await bot.tap(ANA, "Ja, weiter", expect="wieder an")
    assert status(bot, ANA) == "active"
