"""Edits are not new answers: an edited message never answers a question other than the one
its original answered, and never repeats a warning already given for it.

The rule: typed answers, commands and locations are taken from new messages only; an edit gets
no reply, except that an edit newly mentioning an urgent sign gets that sign's urgent answer,
once per message and sign (a medical bot does not stay silent about an opioid)."""

from __future__ import annotations

import pytest

from tests.e2e.harness import HANDLER_FLOW, BotHarness, BotOptions, onboard

pytestmark = pytest.mark.e2e
ANA = 1001
OPIOID_WARNING = "must not be combined with opioids"
ALLERGY_WARNING = "can be an allergic reaction"


@pytest.fixture
def bot_options() -> BotOptions:
    return HANDLER_FLOW


async def edit(bot: BotHarness, user: int, message_id: int, text: str) -> int:
    """The user edits message ``message_id``; the bot's message count before, once handled."""
    before = bot.count(user)
    update = bot.emu.edit_text(user, message_id, text)
    await bot.handled(update["update_id"])
    return before


async def test_editing_an_old_message_does_not_resend_warning_or_help(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    sent = bot.emu.send_text(ANA, "I took tramadol yesterday")
    await bot.handled(sent["update_id"])
    assert len(bot.sent_as(ANA, OPIOID_WARNING)) == 1
    message_id = sent["message"]["message_id"]

    before = await edit(bot, ANA, message_id, "I took tramadol yesterday, and codeine")
    assert bot.emu.messages(ANA)[before:] == []
    assert len(bot.sent_as(ANA, OPIOID_WARNING)) == 1


async def test_an_edit_newly_naming_an_urgent_sign_gets_its_answer_once(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    sent = bot.emu.send_text(ANA, "hello")
    await bot.handled(sent["update_id"])
    message_id = sent["message"]["message_id"]

    await edit(bot, ANA, message_id, "hello, I took tramadol")
    assert len(bot.sent_as(ANA, OPIOID_WARNING)) == 1
    await edit(bot, ANA, message_id, "hello, I took tramadol and oxycodone")
    assert len(bot.sent_as(ANA, OPIOID_WARNING)) == 1
    await edit(bot, ANA, message_id, "tramadol, and now a rash and swelling")
    assert len(bot.sent_as(ANA, ALLERGY_WARNING)) == 1
    assert len(bot.sent_as(ANA, OPIOID_WARNING)) == 1


async def test_an_edit_does_not_answer_the_open_question(bot: BotHarness) -> None:
    await bot.say(ANA, "/start", expect="Is it OK to store")
    await bot.tap(ANA, "Yes, I agree", expect="opioid")
    await bot.tap(ANA, "No", expect="allergic")
    await bot.tap(ANA, "No", expect="liver disease")
    old = bot.emu.send_text(ANA, "what is this")
    await bot.handled(old["update_id"])
    step = bot.db("SELECT onboarding_step FROM patients WHERE telegram_id = ?", [ANA])
    while True:  # through to the zone question, the first that takes typed answers
        if step == [("zone",)]:
            break
        await bot.tap(ANA, "No")
        step = bot.db("SELECT onboarding_step FROM patients WHERE telegram_id = ?", [ANA])

    before = await edit(bot, ANA, old["message"]["message_id"], "Berlin")
    assert bot.emu.messages(ANA)[before:] == []
    after = bot.db("SELECT onboarding_step, zone FROM patients WHERE telegram_id = ?", [ANA])
    assert after[0][0] == "zone"


async def test_an_edited_command_is_not_run_again(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    sent = bot.emu.send_text(ANA, "/help")
    await bot.handled(sent["update_id"])
    before = await edit(bot, ANA, sent["message"]["message_id"], "/help")
    assert bot.emu.messages(ANA)[before:] == []
