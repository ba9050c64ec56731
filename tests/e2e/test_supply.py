"""/supply end to end (issue 12 item 7): a count set and kindly validated, counted down on Taken
and back on Undo, exactly one "about 7 days left" notice per supply (a refill re-arms it), the
last of it, a liquid in ml, German, forged presses, tracking off, and the patient's export.

Ana onboards on Saturday 28 Nov 2026 in Berlin, bedtime 22:00, on the usual plan (0.5 mg, +0.5
every 14 days): capsules are counted one per dose.
"""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest

from bot.callbacks import SupplyButton
from care.supply import SupplyAction
from tests.e2e.harness import HANDLER_FLOW, BotHarness, BotOptions, onboard

pytestmark = pytest.mark.e2e
ANA, BEN = 1001, 1002
BERLIN = "Europe/Berlin"
REORDER = "time to reorder"


@pytest.fixture
def bot_options() -> BotOptions:
    return HANDLER_FLOW


def on_hand(bot: BotHarness, user: int = ANA) -> Decimal | None:
    rows = bot.db(
        "SELECT s.on_hand FROM supplies s JOIN patients p ON p.id = s.patient_id "
        "WHERE p.telegram_id = ?",
        [user],
    )
    return Decimal(rows[0][0]) if rows else None


async def take_tonight(bot: BotHarness, user: int = ANA) -> None:
    await bot.advance_to_local(BERLIN, "22:00")
    await bot.tap(user, "Taken", expect="taken at")


async def start_counting(bot: BotHarness, typed: str, user: int = ANA) -> str:
    await bot.say(user, "/supply", expect="not counting it yet")
    await bot.tap(user, "Start counting", expect="How many")
    return (await bot.say(user, typed, expect="Saved.")).body


async def test_counted_down_one_reorder_notice_undo_gives_back_a_refill_rearms(
    bot: BotHarness,
) -> None:
    await onboard(bot, ANA)
    shown = await bot.say(ANA, "/supply", expect="not counting it yet")
    assert "about 7 days are left" in shown.body
    await bot.tap(ANA, "Start counting", expect="How many capsules do you have now?")
    # Bad amounts are answered kindly and the question stays open.
    await bot.say(ANA, "-3", expect="can't be below zero")
    await bot.say(ANA, "lots", expect="Please type just the number")
    await bot.say(ANA, "2.5", expect="whole capsules")
    await bot.say(ANA, "50000", expect="check the number")
    assert on_hand(bot) is None
    saved = await bot.say(ANA, "9", expect="Saved.")
    assert "9 capsules" in saved.body and "about 9 days" in saved.body
    assert "one capsule a day" in saved.body and REORDER not in saved.body
    assert on_hand(bot) == 9
    await take_tonight(bot)  # Saturday: 8 left
    await take_tonight(bot)  # Sunday: 7 left -> the one notice
    assert on_hand(bot) == 7
    [notice] = bot.sent_as(ANA, REORDER)
    assert "About 7 days of LDN left (7 capsules)" in notice
    # Delivered right after the answer to the reminder, not in the night.
    assert "taken at" in bot.emu.messages(ANA)[-2].body
    await take_tonight(bot)  # Monday: 6 left, no second notice
    assert on_hand(bot) == 6 and len(bot.sent_as(ANA, REORDER)) == 1
    await bot.tap(ANA, "Undo", expect="open again")
    assert on_hand(bot) == 7  # the capsule is back
    await bot.tap(ANA, "Taken", expect="taken at")
    assert on_hand(bot) == 6 and len(bot.sent_as(ANA, REORDER)) == 1
    await bot.advance_to_local(BERLIN, "22:00")  # Tuesday: no answer, the night is missed
    await bot.advance_to_local(BERLIN, "09:00")
    assert on_hand(bot) == 6  # a missed night takes nothing
    # A refill re-arms the notice.
    await bot.say(ANA, "/supply", expect="6 capsules")
    await bot.tap(ANA, "I got a new pack", expect="How many capsules are in the new pack?")
    await bot.say(ANA, "0", expect="adds nothing")
    refilled = await bot.say(ANA, "3", expect="Saved.")
    assert "9 capsules" in refilled.body and "about 9 days" in refilled.body
    await take_tonight(bot)  # Wednesday: 8
    await take_tonight(bot)  # Thursday: 7 -> the notice of this supply
    assert len(bot.sent_as(ANA, REORDER)) == 2
    assert bot.db("SELECT action FROM audit_log WHERE action LIKE 'supply.%' ORDER BY id") == [
        ("supply.counted",),
        ("supply.refilled",),
    ]
    # The audit holds no amount.
    assert bot.db("SELECT detail FROM audit_log WHERE action LIKE 'supply.%'") == [("",), ("",)]


async def test_a_correction_counts_and_gives_back_and_the_supply_never_goes_below_zero(
    bot: BotHarness,
) -> None:
    await onboard(bot, ANA)
    await start_counting(bot, "1")
    await bot.advance_to_local(BERLIN, "22:00")  # Saturday: not answered, missed by morning
    await bot.advance_to_local(BERLIN, "09:00")
    await bot.say(ANA, "/today", expect="0 of 14 nights taken")
    await bot.tap(ANA, "Correct a dose", expect="Which dose")
    await bot.tap(ANA, "Sat 28 Nov", expect="recorded as missed")
    await bot.tap(ANA, "I took it", expect="now recorded as taken")
    last = bot.emu.messages(ANA)[-1].body
    assert "the last of your supply" in last
    assert on_hand(bot) == 0
    await take_tonight(bot)  # Sunday: nothing on hand; never below zero
    assert on_hand(bot) == 0
    assert "you may want to check your supply" in bot.emu.messages(ANA)[-1].body
    await bot.tap(ANA, "Undo", expect="open again")
    assert on_hand(bot) == 0  # that dose took nothing, so nothing comes back
    await bot.advance(timedelta(hours=1))
    await bot.tap(ANA, "Correct a dose", expect="Which dose")
    await bot.tap(ANA, "Sat 28 Nov", expect="recorded as taken")
    await bot.tap(ANA, "I didn't take it", expect="now recorded as not taken")
    assert on_hand(bot) == 1  # Saturday's capsule is back
    shown = await bot.say(ANA, "/supply", expect="1 capsule")
    assert "about 1 day" in shown.body and "Time to reorder" in shown.body


async def test_a_liquid_is_counted_in_ml_and_the_step_up_is_counted_in_german(
    bot: BotHarness,
) -> None:
    await onboard(bot, ANA)
    await bot.say(ANA, "/settings", expect="What would you like to change?")
    await bot.tap(ANA, "Capsule or liquid", expect="What form is your LDN?")
    await bot.tap(ANA, "Liquid", expect="How strong is your liquid")
    await bot.say(ANA, "1 mg/ml", expect="Saved: a liquid of 1 mg/ml.")
    await bot.say(ANA, "/settings", expect="What would you like to change?")
    await bot.tap(ANA, "Language", expect="Which language")
    await bot.tap(ANA, "Deutsch", expect="auf Deutsch")
    await bot.say(ANA, "/supply", expect="ich zähle ihn noch nicht")
    await bot.tap(ANA, "Mit dem Zählen beginnen", expect="Wie viele ml")
    await bot.say(ANA, "viel", expect="nur die Zahl")
    saved = await bot.say(ANA, "10,5", expect="Gespeichert.")
    # 14 days at 0.5 ml (7 ml), then 1 ml a day from the step-up: 3 more days.
    assert "10,5 ml" in saved.body and "etwa 17 Tage" in saved.body
    assert "0,5 ml pro Tag" in saved.body and "Schätzung" in saved.body
    assert on_hand(bot) == Decimal("10.5")
    await bot.advance_to_local(BERLIN, "22:00")
    await bot.tap(ANA, "Genommen", expect="genommen")
    assert on_hand(bot) == 10
    shown = await bot.say(ANA, "/supply", expect="10 ml")
    assert "etwa 16 Tage" in shown.body


async def test_forged_and_stale_presses_are_refused_and_tracking_can_be_switched_off(
    bot: BotHarness,
) -> None:
    await onboard(bot, ANA)
    await onboard(bot, BEN)
    await start_counting(bot, "30")
    await start_counting(bot, "20", BEN)
    [(ana_supply,)] = bot.db(
        "SELECT s.id FROM supplies s JOIN patients p ON p.id = s.patient_id "
        "WHERE p.telegram_id = ?",
        [ANA],
    )
    bens = await bot.say(BEN, "/supply", expect="20 capsules")
    for action in (SupplyAction.STOP, SupplyAction.COUNT, SupplyAction.REFILL):
        data = SupplyButton(action, ana_supply).pack()
        before = await bot.forge(BEN, bens.message_id, data)
        bot.reply_after(BEN, before, "isn't for you")
    before = await bot.forge(BEN, bens.message_id, "v1:supply:stop:-1")
    bot.reply_after(BEN, before, "isn't valid any more")
    assert (on_hand(bot, ANA), on_hand(bot, BEN)) == (Decimal(30), Decimal(20))
    # Ana switches tracking off: nothing is counted or noticed any more; an old button is stale.
    anas = await bot.say(ANA, "/supply", expect="30 capsules")
    await bot.tap(ANA, "Stop counting", expect="stopped counting")
    assert on_hand(bot, ANA) is None
    before = await bot.forge(
        ANA, anas.message_id, SupplyButton(SupplyAction.STOP, ana_supply).pack()
    )
    bot.reply_after(ANA, before, "isn't valid any more")
    await take_tonight(bot)
    await bot.tap(BEN, "Taken", expect="taken at")
    assert bot.db("SELECT COUNT(*) FROM supply_uses") == [(1,)]  # Ben's only
    assert on_hand(bot, BEN) == 19
    # /cancel closes an open amount question.
    await bot.say(BEN, "/supply", expect="19 capsules")
    await bot.tap(BEN, "Correct the count", expect="How many capsules")
    await bot.say(BEN, "/cancel", expect="Nothing is lost")
    await bot.say(BEN, "25", expect="/help")
    assert on_hand(bot, BEN) == 19


async def test_the_supply_is_in_the_patients_export_and_forgotten_with_them(
    bot: BotHarness,
) -> None:
    await onboard(bot, ANA)
    await start_counting(bot, "30")
    await take_tonight(bot)
    await bot.say(ANA, "/export", expect="take to your doctor")
    await bot.tap(ANA, "All my data (JSON)", expect="Send it now?")
    await bot.tap(ANA, "Send", expect="Sent to this chat")
    [document] = [m for m in bot.emu.messages(ANA) if m.document is not None]
    assert document.document is not None
    data = json.loads(document.document)
    [row] = data["supplies"]
    assert (row["unit"], row["on_hand"]) == ("capsule", "29")
    assert [use["amount"] for use in data["supply_uses"]] == ["1"]
    await bot.say(ANA, "/forget", expect="can't be undone")
    await bot.tap(ANA, "Delete everything", expect="everything is deleted")
    assert bot.db("SELECT COUNT(*) FROM supplies") == [(0,)]
    assert bot.db("SELECT COUNT(*) FROM supply_uses") == [(0,)]


async def test_a_low_count_says_reorder_at_once_and_a_new_form_stops_the_countdown(
    bot: BotHarness,
) -> None:
    await onboard(bot, ANA)
    saved = await start_counting(bot, "5")
    assert "about 5 days" in saved and "Time to reorder" in saved
    await take_tonight(bot)
    assert on_hand(bot) == 4 and bot.sent_as(ANA, REORDER) == []  # said once, when set
    # Now a liquid: the capsule count stops; /supply asks for the amount in ml.
    await bot.say(ANA, "/settings", expect="What would you like to change?")
    await bot.tap(ANA, "Capsule or liquid", expect="What form is your LDN?")
    await bot.tap(ANA, "Liquid", expect="How strong is your liquid")
    await bot.say(ANA, "2", expect="Saved: a liquid of 2 mg/ml.")
    shown = await bot.say(ANA, "/supply", expect="form has changed")
    assert [b["text"] for b in shown.buttons()] == ["✏️ Correct the count", "Stop counting"]
    await take_tonight(bot)
    assert on_hand(bot) == 4  # not counted in the wrong unit
    await bot.tap(ANA, "Correct the count", expect="How many ml of your liquid")
    saved_ml = await bot.say(ANA, "30", expect="Saved.")
    assert "30 ml" in saved_ml.body and "0.25 ml a day" in saved_ml.body
    assert bot.db("SELECT unit, on_hand FROM supplies") == [("ml", "30")]
