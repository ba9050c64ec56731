"""Morning check-ins end to end: persistence → one suggestion, step-up held and released,
severe → same-day advice, urgent words, forged presses, benefits with a baseline."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.e2e.harness import HANDLER_FLOW, BotHarness, BotOptions, onboard

pytestmark = pytest.mark.e2e
ANA, BEN = 1001, 1002


@pytest.fixture
def bot_options() -> BotOptions:
    return HANDLER_FLOW


async def night(bot: BotHarness, user: int = ANA) -> None:
    """Tonight's 22:00 reminder, taken."""
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await bot.tap(user, "Taken", expect="taken at")


async def morning(
    bot: BotHarness, effects: list[str], severity: str = "Mild", user: int = ANA
) -> None:
    """The 09:00 check-in, answered with ``effects`` (button labels) at ``severity``."""
    await bot.advance_to_local("Europe/Berlin", "09:00")
    assert bot.emu.messages(user)[-1].body.startswith("☀️ Good morning"), bot.emu.describe()
    if not effects:
        await bot.tap(user, "None of these", expect="Glad to hear it")
        return
    for label in effects:
        await bot.tap(user, label, expect="Good morning")
    await bot.tap(user, "Done", expect="how bad")
    for _ in effects:
        await bot.tap(user, severity)


def texts_to(bot: BotHarness, user: int, contains: str) -> list[str]:
    return [m.body for m in bot.emu.messages(user) if contains in m.body]


async def test_a_week_of_vivid_dreams_gives_one_suggestion_and_holds_the_step(
    bot: BotHarness,
) -> None:
    await onboard(bot, ANA)
    await bot.tap(ANA, "Later", expect="ask in a week")
    bot.db("UPDATE plans SET interval_days = 7")
    for day in range(7):
        await night(bot)
        await morning(bot, ["Vivid dreams"])
        suggestions = texts_to(bot, ANA, "talking to your prescriber")
        assert len(suggestions) == (1 if day >= 4 else 0), day  # the fifth morning, once
        # "Later" means a week: the weekly rating comes on the seventh morning, not the first.
        assert len(texts_to(bot, ANA, "weekly check")) == (1 if day == 6 else 0), day
    assert "taking your dose in the morning instead, or a lower dose" in suggestions[0]
    assert "don't change your dose on your own" in suggestions[0]
    await night(bot)  # the 8th taken night: step-up due, but held
    assert not texts_to(bot, ANA, "Go ahead?")
    reminder = bot.sent_as(ANA, "Time for tonight")[-1]
    assert "on hold while these continue: vivid dreams" in reminder
    rows = bot.db("SELECT dose_mg, plan_step, effects FROM checkins ORDER BY day")
    assert rows[0] == ("0.5", 1, '{"dreams": 1}') and len(rows) == 7


async def test_episode_ends_after_three_clear_mornings_and_the_step_is_offered(
    bot: BotHarness,
) -> None:
    await onboard(bot, ANA)
    bot.db("UPDATE plans SET interval_days = 7")
    for _ in range(5):
        await night(bot)
        await morning(bot, ["Trouble sleeping"])
    assert len(texts_to(bot, ANA, "talking to your prescriber")) == 1
    assert not texts_to(bot, ANA, "Go ahead?")
    for _ in range(3):  # nights 6-8: the step falls due on night 7 but waits
        await night(bot)
        assert not texts_to(bot, ANA, "Go ahead?")
        await morning(bot, [])
    await night(bot)  # the third clear morning ended the episode
    offers = texts_to(bot, ANA, "Go ahead?")
    assert len(offers) == 1 and "1.0 mg" in offers[0]
    assert len(texts_to(bot, ANA, "talking to your prescriber")) == 1  # no nagging


async def test_three_moderate_headaches_suggest_discussing_the_dose(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    for _ in range(3):
        await night(bot)
        await morning(bot, ["Headache"], severity="Moderate")
    suggestions = texts_to(bot, ANA, "talking to your prescriber")
    assert len(suggestions) == 1
    assert "slowing the steps of your plan, or a lower dose" in suggestions[0]


async def test_severe_gets_same_day_advice_once(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await night(bot)
    await morning(bot, ["Upset stomach"], severity="Severe")
    advice = texts_to(bot, ANA, "contact your prescriber today")
    assert len(advice) == 1 and "upset stomach" in advice[0]
    # A second answer the same morning updates it, without repeating the advice.
    await bot.say(ANA, "/checkin", expect="Good morning")
    await bot.tap(ANA, "Upset stomach", expect="Good morning")
    await bot.tap(ANA, "Done", expect="how bad")
    await bot.tap(ANA, "Severe")
    assert len(texts_to(bot, ANA, "contact your prescriber today")) == 1
    assert bot.db("SELECT COUNT(*), MAX(effects) FROM checkins") == [(1, '{"stomach": 3}')]


async def test_something_else_text_with_urgent_words_gets_seek_care_now(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await night(bot)
    await bot.advance_to_local("Europe/Berlin", "09:00")
    await bot.tap(ANA, "Something else", expect="Good morning")
    await bot.tap(ANA, "Done", expect="In a few words")
    before = bot.count(ANA)
    await bot.say(ANA, "my eyes look yellow", expect="liver")
    urgent = bot.emu.messages(ANA)[before]
    assert "seek medical care now" in urgent.body  # the first reply, before anything else
    await bot.tap(ANA, "Moderate", expect="Thanks")
    assert bot.db("SELECT effects, other_text FROM checkins") == [
        ('{"other": 2}', "my eyes look yellow")
    ]


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("I have a rash and my lips are swollen", "allergic reaction"),
        ("my doctor gave me tramadol", "must not be combined with opioids"),
    ],
)
async def test_free_text_urgent_words_any_time(bot: BotHarness, text: str, expect: str) -> None:
    await onboard(bot, ANA)
    reply = await bot.say(ANA, text, expect=expect)
    assert "seek medical care now" in reply.body or "prescriber or pharmacist" in reply.body


async def test_forged_checkin_press_for_another_patient_is_refused(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await onboard(bot, BEN)
    await night(bot)
    await bot.tap(BEN, "Taken", expect="taken at")
    await bot.advance_to_local("Europe/Berlin", "09:00")
    ana_checkin = bot.db(
        "SELECT c.id FROM checkins c JOIN patients p ON p.id = c.patient_id WHERE telegram_id = ?",
        [ANA],
    )[0][0]
    ben_question = bot.message_with_button(BEN, "Headache")
    before = await bot.forge(BEN, ben_question.message_id, f"v1:ci:done:{ana_checkin}")
    bot.reply_after(BEN, before, "isn't for you")
    before = await bot.forge(BEN, ben_question.message_id, f"v1:sev:he:s:{ana_checkin}")
    bot.reply_after(BEN, before, "isn't for you")
    assert bot.db("SELECT status FROM checkins ORDER BY id") == [("open",), ("open",)]


async def test_forged_rating_press_for_another_patient_is_refused(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await onboard(bot, BEN)
    await bot.tap(ANA, "Yes, rate now", expect="pain")
    ana_rating = bot.db(
        "SELECT r.id FROM benefit_ratings r JOIN patients p ON p.id = r.patient_id "
        "WHERE telegram_id = ?",
        [ANA],
    )[0][0]
    ben_offer = bot.message_with_button(BEN, "Yes, rate now")
    for data in (f"v1:ben:start:{ana_rating}", f"v1:ben:pain:{ana_rating}:9"):
        before = await bot.forge(BEN, ben_offer.message_id, data)
        bot.reply_after(BEN, before, "isn't for you")
    assert bot.db("SELECT pain, answered_at FROM benefit_ratings") == [(None, None)] * 2


async def test_unanswered_checkin_expires_quietly(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await night(bot)
    await bot.advance_to_local("Europe/Berlin", "09:00")
    stale = bot.message_with_button(ANA, "Headache")
    await night(bot)
    await bot.advance_to_local("Europe/Berlin", "09:00")  # the next morning's check-in
    before = bot.count(ANA)
    bot.emu.press(ANA, stale.message_id, stale.buttons()[-1]["callback_data"])
    await bot.handled()
    bot.reply_after(ANA, before, "check-in has closed")
    assert bot.db("SELECT day, status FROM checkins ORDER BY day") == [
        ("2026-11-29", "expired"),
        ("2026-11-30", "open"),
    ]


async def test_baseline_then_weekly_benefits_wait_until_week_8(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.tap(ANA, "Yes, rate now", expect="pain")
    for value in ("7", "3", "8", "4", "6"):
        await bot.tap(ANA, value)
    assert bot.db("SELECT kind, pain, sleep, fatigue, mood, fog FROM benefit_ratings") == [
        ("baseline", 7, 3, 8, 4, 6)
    ]
    await night(bot)
    await morning(bot, [])
    # The first week's rating is due on the first morning after 7 days; not yet.
    assert not texts_to(bot, ANA, "weekly check")
    for _ in range(6):
        await night(bot)
        await morning(bot, [])
    assert texts_to(bot, ANA, "weekly check")
    for value in ("6", "4", "7", "5", "5"):
        await bot.tap(ANA, value)
    summary = texts_to(bot, ANA, "won't judge yet")
    assert len(summary) == 1 and "week 2" in summary[0]
    # Eight weeks on (older weeks answered), the summary compares with the baseline.
    bot.db("UPDATE dose_changes SET effective_day = '2026-10-01'")
    bot.clock.advance(timedelta(days=6))
    await night(bot)
    await morning(bot, [])
    for value in ("4", "6", "5", "6", "3"):
        await bot.tap(ANA, value)
    compared = texts_to(bot, ANA, "compared with when you started")
    assert len(compared) == 1
    assert "pain: 7 → 4 (better)" in compared[0] and "sleep: 3 → 6 (better)" in compared[0]
    history = await bot.say(ANA, "/history", expect="Your last 30 days")
    assert "At 0.5 mg: no side effects" in history.body


async def test_checkin_time_can_be_changed_in_settings(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await night(bot)
    await bot.say(ANA, "/settings", expect="What would you like")
    await bot.tap(ANA, "Check-in time", expect="What time should I ask")
    await bot.say(ANA, "7:30 am", expect="Saved")
    assert bot.db("SELECT bedtime, checkin_time FROM patients") == [("22:00", "07:30")]
    await bot.advance_to_local("Europe/Berlin", "07:29")
    assert not texts_to(bot, ANA, "Good morning")
    await bot.advance_to_local("Europe/Berlin", "07:30")
    assert len(texts_to(bot, ANA, "Good morning")) == 1


async def test_one_checkin_is_counted_in_the_singular(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await night(bot)
    await morning(bot, [])
    history = await bot.say(ANA, "/history", expect="Your last 30 days")
    assert "At 0.5 mg: no side effects on 1 check-in." in history.body
    await bot.say(ANA, "/checkin", expect="Good morning")  # the same morning, answered again
    await bot.tap(ANA, "Headache", expect="Good morning")
    await bot.tap(ANA, "Done", expect="how bad")
    await bot.tap(ANA, "Mild", expect="Thanks")
    history = await bot.say(ANA, "/history", expect="Your last 30 days")
    assert "At 0.5 mg: headache on 1 (of 1 check-in)." in history.body
    await night(bot)
    await morning(bot, [])
    history = await bot.say(ANA, "/history", expect="Your last 30 days")
    assert "At 0.5 mg: headache on 1 (of 2 check-ins)." in history.body


async def test_forged_checkin_and_rating_presses_change_nothing(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await night(bot)
    await bot.advance_to_local("Europe/Berlin", "09:00")
    question = bot.message_with_button(ANA, "Headache")
    checkin = bot.db("SELECT id FROM checkins")[0][0]
    rating = bot.db("SELECT id FROM benefit_ratings")[0][0]
    huge = "9" * 18  # the largest id the schema takes: no such row
    refusals = {
        f"v1:ci:he:{huge}": "isn't for you",
        f"v1:ci:done:{huge}": "isn't for you",
        f"v1:sev:he:s:{huge}": "isn't for you",
        f"v1:ben:start:{huge}": "isn't for you",
        f"v1:ben:pain:{huge}:5": "isn't for you",
        f"v1:ci:he:{'9' * 19}": "isn't valid",  # more digits than an id can have
        f"v1:ci:xx:{checkin}": "isn't valid",  # no such effect
        f"v1:sev:he:x:{checkin}": "isn't valid",  # no such level
        f"v1:sev:he:s:{checkin}": "isn't valid",  # not ticked, [Done] not pressed
        f"v1:ben:pain:{rating}:11": "isn't valid",  # 0–10
        f"v1:ben:pain:{rating}": "isn't valid",  # a measure needs a score
        f"v1:ben:later:{rating}:3": "isn't valid",  # [Later] has none
    }
    for data, expect in refusals.items():
        before = await bot.forge(ANA, question.message_id, data)
        bot.reply_after(ANA, before, expect)
    assert bot.db("SELECT status, draft, effects FROM checkins") == [("open", "{}", "{}")]
    assert bot.db("SELECT pain, answered_at FROM benefit_ratings") == [(None, None)]
    assert bot.db("SELECT onboarding_step FROM patients") == [(None,)]
    # The real buttons still work afterwards.
    await bot.tap(ANA, "None of these", expect="Glad to hear it")
    await bot.tap(ANA, "Yes, rate now", expect="pain")
    await bot.tap(ANA, "7", expect="sleep")
    # A score for a question already answered changes nothing.
    before = await bot.forge(ANA, question.message_id, f"v1:ben:pain:{rating}:2")
    bot.reply_after(ANA, before, "already answered")
    assert bot.db("SELECT pain FROM benefit_ratings") == [(7,)]


ENGLISH = re.compile(
    r"\b(the|you|your|and|of|on|with|how|please|thanks|night|dose|none|done|severe|"
    r"headache|week|last|days|side|effects)\b",
    re.IGNORECASE,
)


def english_in(bot: BotHarness, user: int) -> list[str]:
    """Every text or button label the bot showed ``user`` (edits included) with English words."""
    shown = []
    for message in bot.emu.messages(user):
        shown += [message.body, *message.edits, *(b["text"] for b in message.buttons())]
    return [text for text in shown if ENGLISH.search(text)]


async def test_a_german_patients_checkin_and_history_are_all_german(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    bot.db("UPDATE patients SET language = 'de'")
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await bot.tap(ANA, "Genommen")
    await bot.advance_to_local("Europe/Berlin", "09:00")
    assert bot.emu.messages(ANA)[-1].body.startswith("☀️ Guten Morgen"), bot.emu.describe()
    await bot.tap(ANA, "Kopfschmerzen")
    await bot.tap(ANA, "Etwas anderes")
    await bot.tap(ANA, "Fertig", expect="In ein paar Worten")
    urgent = await bot.say(ANA, "Schwindel, und meine Augen sind gelb", expect="Leber")
    assert "medizinische Hilfe" in urgent.body
    bot.reply_after(ANA, 0, "Kopfschmerzen – wie schlimm")
    await bot.tap(ANA, "Stark", expect="wie schlimm")
    await bot.tap(ANA, "Mittel", expect="Danke")
    advice = bot.reply_after(ANA, 0, "so schwer")
    assert "Kopfschmerzen" in advice.body
    for score in ("7", "3", "8", "4", "6"):
        await bot.tap(ANA, score)
    await bot.say(ANA, "/history", expect="Woche 1")
    await bot.say(ANA, "/today", expect="Heute")
    await bot.say(ANA, "/plan", expect="0,5 mg")
    assert bot.db("SELECT effects, other_text FROM checkins") == [
        ('{"headache": 3, "other": 2}', "Schwindel, und meine Augen sind gelb")
    ]
    assert english_in(bot, ANA) == [], bot.emu.describe()
