"""Correcting a tap end to end: [Undo] under tonight's answer until the night closes, and a night
corrected afterwards from /today and /history, with adherence, the step-up count and the audit
following the correction."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.callbacks import FixButton, FixStep, UndoButton
from care.corrections import NightChoice
from tests.e2e.harness import HANDLER_FLOW, BotHarness, BotOptions, onboard

pytestmark = pytest.mark.e2e
ANA = 1001
BEN = 1002
BERLIN = "Europe/Berlin"


@pytest.fixture
def bot_options() -> BotOptions:
    return HANDLER_FLOW


async def bedtime(bot: BotHarness) -> None:
    """Tonight's 22:00 Berlin reminder, five minutes on."""
    await bot.advance_to_local(BERLIN, "22:00")
    await bot.advance(timedelta(minutes=5))


def buttons(bot: BotHarness, user: int, message_id: int) -> list[str]:
    message = next(m for m in bot.emu.messages(user) if m.message_id == message_id)
    return [b["text"] for b in message.buttons()]


def statuses(bot: BotHarness, user: int) -> list[tuple[str, str, str | None]]:
    return bot.db(
        "SELECT e.dose_day, e.status, e.corrected_from FROM dose_events e "
        "JOIN patients p ON p.id = e.patient_id WHERE p.telegram_id = ? ORDER BY e.dose_day",
        [user],
    )


async def test_undo_brings_the_buttons_back_until_the_night_closes(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bedtime(bot)
    taken = await bot.tap(ANA, "Taken", expect="taken at")
    assert buttons(bot, ANA, taken.message_id) == ["↩️ Undo"]
    back = await bot.tap(ANA, "Undo", expect="open again")
    assert back.message_id == taken.message_id  # the reminder itself, its buttons back
    assert buttons(bot, ANA, back.message_id) == ["✅ Taken", "⏰ Snooze 30 min", "Skip tonight"]
    assert [s for _, s, _ in statuses(bot, ANA)] == ["pending"]
    await bot.tap(ANA, "Skip tonight", expect="Skipped tonight's 0.5 mg")
    await bot.tap(ANA, "Undo", expect="open again")
    await bot.tap(ANA, "Taken", expect="taken at")
    assert [s for _, s, _ in statuses(bot, ANA)] == ["taken"]  # within 30 min: on time
    assert bot.db(
        "SELECT action, before, after FROM audit_log WHERE action LIKE 'dose.%' ORDER BY id"
    ) == [("dose.undone", "taken", "pending"), ("dose.undone", "skipped", "pending")]
    # The night closes at 08:00: Undo then answers kindly and changes nothing.
    await bot.advance_to_local(BERLIN, "08:30")
    refused = await bot.tap(ANA, "Undo", expect="can't be undone here")
    assert "/today" in refused.body and "/history" in refused.body
    assert [s for _, s, _ in statuses(bot, ANA)] == ["taken"]


async def test_an_undone_night_is_nudged_and_closes_as_unanswered(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bedtime(bot)
    await bot.tap(ANA, "Taken", expect="taken at")
    await bot.advance(timedelta(minutes=5))
    await bot.tap(ANA, "Undo", expect="open again")
    await bot.advance_to_local(BERLIN, "00:05")
    assert len(bot.sent_as(ANA, "Gentle nudge")) == 1
    await bot.advance_to_local(BERLIN, "08:30")
    assert [s for _, s, _ in statuses(bot, ANA)] == ["missed"]


async def test_undo_after_the_nudge_fell_due_brings_the_nudge_back(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bedtime(bot)
    await bot.tap(ANA, "Taken", expect="taken at")
    await bot.advance_to_local(BERLIN, "00:30")  # the nudge fell due and went unsent
    assert bot.sent_as(ANA, "Gentle nudge") == []
    await bot.tap(ANA, "Undo", expect="open again")
    await bot.advance(timedelta(minutes=59))
    assert bot.sent_as(ANA, "Gentle nudge") == []  # not at once: the usual gap first
    await bot.advance(timedelta(minutes=2))
    assert len(bot.sent_as(ANA, "Gentle nudge")) == 1


async def test_a_missed_night_corrected_from_today_completes_the_step(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    for night in range(14):  # night 11 goes unanswered (3 days before the morning below)
        await bedtime(bot)
        if night != 11:
            await bot.tap(ANA, "Taken", expect="taken at")
    await bot.advance_to_local(BERLIN, "09:30")
    assert "Go ahead?" not in bot.emu.messages(ANA)[-1].body
    assert [s for _, s, _ in statuses(bot, ANA)].count("missed") == 1
    before = await bot.say(ANA, "/history", expect="Your last 30 days")
    assert "13 of 14 nights taken (93%)" in bot.sent_as(ANA, "nights taken")[-1]

    today = await bot.say(ANA, "/today", expect="13 of 14 nights taken at this dose")
    assert buttons(bot, ANA, today.message_id) == ["✏️ Correct a dose"]
    listed = await bot.tap(ANA, "Correct a dose", expect="Which dose")
    nights = buttons(bot, ANA, listed.message_id)
    assert len(nights) == 7  # Sat 5 Dec (today - 7) … yesterday: tonight has not come yet
    assert nights[0] == "Fri 11 Dec · taken" and nights[2] == "Wed 9 Dec · missed"
    asked = await bot.tap(ANA, "Wed 9 Dec · missed", expect="recorded as missed")
    assert buttons(bot, ANA, asked.message_id) == ["✅ I took it", "I didn't take it"]
    await bot.tap(ANA, "I took it", expect="now recorded as taken")
    offer = bot.emu.messages(ANA)[-1]
    assert "You've taken 0.5 mg for 14 nights" in offer.body and "Go ahead?" in offer.body
    assert "Step up to 1.0 mg" in [b["text"] for b in offer.buttons()]
    assert ("2026-12-09", "late", "missed") in statuses(bot, ANA)
    assert bot.db(
        "SELECT action, before, after, detail FROM audit_log WHERE action LIKE 'dose.%'"
    ) == [("dose.corrected", "missed", "late", "")]
    # /history follows: all 14 taken, the corrected one not on time.
    await bot.say(ANA, "/history", expect="Your last 30 days")
    assert "14 of 14 nights taken (100%), 1 of them late" in bot.sent_as(ANA, "nights taken")[-1]
    await bot.say(ANA, "/today", expect="14 of 14 nights taken at this dose")
    await bot.tap(ANA, "Step up to 1.0 mg", expect="your dose is")
    assert before.message_id  # the /history text carried the same button


async def test_correcting_to_not_taken_and_back(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bedtime(bot)
    await bot.tap(ANA, "Taken", expect="taken at")
    await bot.advance_to_local(BERLIN, "09:30")
    await bot.say(ANA, "/history", expect="Your last 30 days")
    await bot.tap(ANA, "Correct a dose", expect="Which dose")
    await bot.tap(ANA, "Sat 28 Nov · taken", expect="recorded as taken")
    await bot.tap(ANA, "I didn't take it", expect="now recorded as not taken")
    assert statuses(bot, ANA) == [("2026-11-28", "skipped", "taken")]
    await bot.say(ANA, "/today", expect="0 of 14 nights taken")
    await bot.tap(ANA, "Correct a dose", expect="Which dose")
    await bot.tap(ANA, "(corrected)", expect="recorded as not taken")
    await bot.tap(ANA, "I didn't take it", expect="already recorded as not taken")
    await bot.tap(ANA, "Correct a dose", expect="Which dose")
    await bot.tap(ANA, "(corrected)", expect="recorded as not taken")
    await bot.tap(ANA, "I took it", expect="now recorded as taken")
    assert statuses(bot, ANA) == [("2026-11-28", "late", "taken")]  # the first before is kept


async def test_old_future_and_foreign_nights_are_refused(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await onboard(bot, BEN)
    for _ in range(9):
        await bedtime(bot)
    await bot.advance_to_local(BERLIN, "09:30")  # Mon 7 Dec: nine nights missed, all closed
    ids = dict(
        bot.db(
            "SELECT e.dose_day, e.id FROM dose_events e JOIN patients p ON p.id = e.patient_id "
            "WHERE p.telegram_id = ?",
            [ANA],
        )
    )
    today = await bot.say(ANA, "/today", expect="0 of 14 nights taken")
    listed = await bot.tap(ANA, "Correct a dose", expect="Which dose")
    assert len(buttons(bot, ANA, listed.message_id)) == 7  # 30 Nov … 6 Dec (today has none yet)
    assert not any("29 Nov" in text for text in buttons(bot, ANA, listed.message_id))
    # Eight days ago (Sun 29 Nov): refused, even with a forged button.
    old = FixButton(FixStep.SET, ids["2026-11-29"], NightChoice.TAKEN).pack()
    before = await bot.forge(ANA, today.message_id, old)
    bot.reply_after(ANA, before, "Only the last 7 days can be corrected")
    # A night still open (tonight, once its reminder has come) is answered on the reminder.
    await bedtime(bot)
    tonight = bot.db(
        "SELECT e.id FROM dose_events e JOIN patients p ON p.id = e.patient_id "
        "WHERE p.telegram_id = ? AND e.dose_day = '2026-12-07'",
        [ANA],
    )[0][0]
    before = await bot.forge(ANA, today.message_id, FixButton(FixStep.PICK, tonight).pack())
    bot.reply_after(ANA, before, "still open")
    # Another patient's night, by a forged press: refused, nothing changes.
    ben_night = bot.db(
        "SELECT e.id FROM dose_events e JOIN patients p ON p.id = e.patient_id "
        "WHERE p.telegram_id = ? AND e.dose_day = '2026-12-06'",
        [BEN],
    )[0][0]
    for data in (
        FixButton(FixStep.SET, ben_night, NightChoice.TAKEN).pack(),
        FixButton(FixStep.PICK, ben_night).pack(),
        UndoButton(ben_night).pack(),
    ):
        before = await bot.forge(ANA, today.message_id, data)
        bot.reply_after(ANA, before, "isn't for you")
    assert ("2026-12-06", "missed", None) in statuses(bot, BEN)
    assert bot.db("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'dose.%'") == [(0,)]


async def test_in_german(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.say(ANA, "/settings", expect="What would you like to change?")
    await bot.tap(ANA, "Language", expect="Which language")
    await bot.tap(ANA, "Deutsch", expect="auf Deutsch")
    await bedtime(bot)
    taken = await bot.tap(ANA, "Genommen", expect="genommen")
    assert buttons(bot, ANA, taken.message_id) == ["↩️ Rückgängig"]
    await bot.tap(ANA, "Rückgängig", expect="wieder offen")
    await bot.tap(ANA, "Genommen", expect="genommen")
    await bot.advance_to_local(BERLIN, "09:30")
    refused = await bot.tap(ANA, "Rückgängig", expect="/today")
    assert "abgeschlossen" in refused.body
    await bot.say(ANA, "/today", expect="1 von 14 Nächten")
    await bot.tap(ANA, "Dosis korrigieren", expect="Welche Dosis")
    await bot.tap(ANA, "Sa., 28. Nov. · genommen", expect="eingetragen")
    await bot.tap(ANA, "nicht genommen", expect="nicht genommen")
    assert statuses(bot, ANA) == [("2026-11-28", "skipped", "taken")]


async def test_undoing_the_taken_that_completed_the_interval_withdraws_the_offer(
    bot: BotHarness,
) -> None:
    await onboard(bot, ANA)
    for _ in range(14):
        await bedtime(bot)
        await bot.tap(ANA, "Taken", expect="taken at")
    assert "Go ahead?" in bot.emu.messages(ANA)[-1].body
    await bot.tap(ANA, "Undo", expect="open again")  # 13 taken nights: not due any more
    assert bot.db("SELECT step_offer FROM patients") == [("none",)]
    await bot.tap(ANA, "Step up to 1.0 mg", expect="already been answered")
    assert bot.db("SELECT current_dose_mg FROM patients") == [("0.5",)]
    await bot.tap(ANA, "Taken", expect="taken at")  # taken again: the usual offer comes back
    assert "Go ahead?" in bot.emu.messages(ANA)[-1].body
    await bot.tap(ANA, "Step up to 1.0 mg", expect="your dose is 1.0 mg")
