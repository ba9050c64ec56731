"""A patient walks through onboarding: consent, screening, zone, bedtime, plan, confirm."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.harness import HANDLER_FLOW, BotHarness, BotOptions, onboard

pytestmark = pytest.mark.e2e
ANA = 1001
BEN = 1002
TOKYO = (35.6895, 139.6917)

# Tables that hold something about a person (everything but bookkeeping).
NOT_PERSONAL = {"processed_updates", "_sqlite_migrations"}


@pytest.fixture
def bot_options() -> BotOptions:
    """Onboarding is many short exchanges: in-process and unpaced (see ``HANDLER_FLOW``).
    The conftest ``bot``'s check that nothing secret or personal reaches the logs applies."""
    return HANDLER_FLOW


async def test_happy_path_ends_with_first_reminder_time(bot: BotHarness) -> None:
    done = await onboard(bot, ANA, zone="Berlin", bedtime="22:30")
    assert "Sat 28 Nov at 22:30" in done.body
    rows = bot.db("SELECT status, zone, bedtime, current_dose_mg FROM patients")
    assert rows == [("active", "Europe/Berlin", "22:30", "0.5")]
    reminder = bot.db("SELECT kind, dose_day, state FROM due_tasks ORDER BY kind DESC")
    # Tonight's reminder, and the first morning check-in after the first dose.
    assert reminder == [("reminder", "2026-11-28", "pending"), ("checkin", "2026-11-29", "pending")]


# Helpers ---------------------------------------------------------------------------------------


def personal_rows(bot: BotHarness) -> dict[str, int]:
    """Row counts of every table that could hold something about a person."""
    tables = [
        name
        for (name,) in bot.db("SELECT name FROM sqlite_master WHERE type = 'table'")
        if name not in NOT_PERSONAL and not name.startswith("sqlite_")
    ]
    assert "patients" in tables and "audit_log" in tables
    return {name: bot.db(f'SELECT COUNT(*) FROM "{name}"')[0][0] for name in tables}


def patient(bot: BotHarness) -> dict[str, Any]:
    """Ana's patients row as a dict (JSON columns decoded)."""
    assert bot.store is not None
    rows = bot.db("SELECT * FROM patients WHERE telegram_id = ?", [ANA])
    assert len(rows) == 1, rows
    names = [d[1] for d in bot.db("PRAGMA table_info(patients)")]
    row = dict(zip(names, rows[0], strict=True))
    row["screening"] = json.loads(row["screening"])
    row["draft"] = json.loads(row["draft"])
    return row


def audit_actions(bot: BotHarness) -> list[str]:
    return [action for (action,) in bot.db("SELECT action FROM audit_log ORDER BY id")]


async def to_consented(bot: BotHarness) -> None:
    await bot.say(ANA, "/start", expect="Is it OK to store")
    await bot.tap(ANA, "Yes, I agree", expect="opioid")


async def to_zone(bot: BotHarness) -> None:
    await to_consented(bot)
    await bot.tap(ANA, "No", expect="allergic")
    await bot.tap(ANA, "No", expect="liver disease")
    await bot.tap(ANA, "No", expect="time zone")


async def to_plan(bot: BotHarness) -> None:
    await to_zone(bot)
    await bot.say(ANA, "Berlin", expect="What time do you usually go to bed")
    await bot.say(ANA, "22:00", expect="Which dose plan")


def no_reminders_armed(bot: BotHarness) -> None:
    for table in ("due_tasks", "plans", "dose_events", "dose_changes"):
        assert bot.db(f"SELECT COUNT(*) FROM {table}") == [(0,)], table


# Consent ---------------------------------------------------------------------------------------


async def test_declining_consent_stores_nothing_and_start_asks_again(bot: BotHarness) -> None:
    asked = await bot.say(ANA, "/start", expect="Is it OK to store")
    declined = await bot.tap(ANA, "No thanks", expect="haven't stored anything")
    assert "/start" in declined.body
    # The question shows the answer and has no buttons left to press.
    question = bot.emu.messages(ANA)[0]
    assert question.message_id == asked.message_id
    assert question.buttons() == [] and "No thanks" in question.body
    assert set(personal_rows(bot).values()) == {0}, personal_rows(bot)
    # Typing now is not taken as an answer to anything.
    await bot.say(ANA, "Berlin", expect="Please send /start first")
    assert set(personal_rows(bot).values()) == {0}
    again = await bot.say(ANA, "/start", expect="Is it OK to store")
    assert [b["text"] for b in again.buttons()] == ["Yes, I agree", "No thanks"]
    await bot.tap(ANA, "Yes, I agree", expect="opioid")
    assert patient(bot)["consent_version"] and audit_actions(bot) == ["consent.given"]


async def test_consent_given_twice_keeps_one_patient(bot: BotHarness) -> None:
    # /start twice before answering shows two consent questions; both "Yes" buttons work once.
    await bot.say(ANA, "/start", expect="Is it OK to store")
    await bot.say(ANA, "/start", expect="Is it OK to store")
    await bot.tap(ANA, "Yes, I agree", expect="opioid")
    await bot.tap(ANA, "Yes, I agree", expect="opioid")
    assert bot.db("SELECT COUNT(*) FROM patients") == [(1,)]
    assert audit_actions(bot) == ["consent.given"]
    assert patient(bot)["onboarding_step"] == "opioids"


async def test_old_no_thanks_after_consenting_does_not_claim_nothing_is_stored(
    bot: BotHarness,
) -> None:
    await bot.say(ANA, "/start", expect="Is it OK to store")
    await bot.say(ANA, "/start", expect="Is it OK to store")
    await bot.tap(ANA, "Yes, I agree", expect="opioid")
    before = bot.count(ANA)
    bot.emu.press_button(ANA, "No thanks")  # the first consent question still has its buttons
    await bot.handled()
    replies = [m.body for m in bot.emu.messages(ANA)[before:]]
    assert not [r for r in replies if "haven't stored anything" in r], replies
    assert any("/forget" in r for r in replies), replies
    assert patient(bot)["status"] == "onboarding"


async def test_old_consent_button_after_a_screening_stop_does_not_skip_screening(
    bot: BotHarness,
) -> None:
    await bot.say(ANA, "/start", expect="Is it OK to store")
    await bot.say(ANA, "/start", expect="Is it OK to store")
    await bot.tap(ANA, "Yes, I agree", expect="opioid")
    await bot.tap(ANA, "Yes", expect="won't start reminders")
    before = bot.count(ANA)
    bot.emu.press_button(ANA, "Yes, I agree")  # the first consent question
    await bot.handled()
    replies = [m.body for m in bot.emu.messages(ANA)[before:]]
    assert not [r for r in replies if "time zone" in r], replies
    bot.reply_after(ANA, before, "Do you take any opioid medicine")
    row = patient(bot)
    assert (row["status"], row["onboarding_step"], row["screening"]) == (
        "onboarding",
        "opioids",
        {},
    )
    no_reminders_armed(bot)


# Safety screening ------------------------------------------------------------------------------


@pytest.mark.parametrize(("button", "stored"), [("Yes", "yes")])
async def test_opioids_stop_the_plan_and_explain_why(
    bot: BotHarness, button: str, stored: str
) -> None:
    await to_consented(bot)
    stopped = await bot.tap(ANA, button, expect="won't start reminders")
    for word in ("opioids", "tramadol", "codeine", "prescriber"):
        assert word in stopped.body
    row = patient(bot)
    assert (row["status"], row["stop_reason"], row["onboarding_step"]) == (
        "not_started",
        "opioids",
        None,
    )
    assert row["screening"] == {"opioids": stored}
    assert row["zone"] is None and row["bedtime"] is None and row["current_dose_mg"] is None
    no_reminders_armed(bot)
    assert audit_actions(bot) == ["consent.given", "screening.stopped"]
    # No further question was asked after the explanation.
    assert bot.emu.messages(ANA)[-1].message_id == stopped.message_id
    # Later, /start goes through the screening again from the first question.
    again = await bot.say(ANA, "/start", expect="Do you take any opioid medicine")
    assert [b["text"] for b in again.buttons()] == ["Yes", "No", "Not sure"]
    row = patient(bot)
    assert (row["status"], row["onboarding_step"], row["screening"], row["stop_reason"]) == (
        "onboarding",
        "opioids",
        {},
        None,
    )
    await bot.tap(ANA, "No", expect="allergic reaction")
    assert patient(bot)["screening"] == {"opioids": "no"}


async def test_not_sure_about_opioids_suggests_a_pharmacist_and_asks_again(
    bot: BotHarness,
) -> None:
    """Item 8 of issue 12: "Not sure" is not a "Yes": check the medicine list with a pharmacist,
    then answer; nothing stops, and "No" once checked goes on."""
    await to_consented(bot)
    advice = await bot.tap(ANA, "Not sure", expect="pharmacist")
    assert "won't start reminders" not in advice.body
    again = bot.emu.messages(ANA)[-1]
    assert "Do you take any opioid medicine" in again.body
    assert again.message_id > advice.message_id
    assert [b["text"] for b in again.buttons()] == ["Yes", "No", "Not sure"]
    row = patient(bot)
    assert (row["status"], row["onboarding_step"], row["stop_reason"]) == (
        "onboarding",
        "opioids",
        None,
    )
    no_reminders_armed(bot)
    await bot.tap(ANA, "No", expect="allergic reaction")
    assert patient(bot)["screening"] == {"opioids": "no"}


@pytest.mark.parametrize(("button", "stored"), [("Yes", "yes"), ("Not sure", "unsure")])
async def test_naltrexone_allergy_stops_the_plan(bot: BotHarness, button: str, stored: str) -> None:
    await to_consented(bot)
    await bot.tap(ANA, "No", expect="allergic reaction")
    stopped = await bot.tap(ANA, button, expect="won't set up reminders")
    assert "allergy" in stopped.body and "prescriber" in stopped.body
    row = patient(bot)
    assert (row["status"], row["stop_reason"], row["onboarding_step"]) == (
        "not_started",
        "allergy",
        None,
    )
    assert row["screening"] == {"opioids": "no", "allergy": stored}
    no_reminders_armed(bot)


async def test_caution_with_prescriber_ok_continues_to_time_zone(bot: BotHarness) -> None:
    await to_consented(bot)
    await bot.tap(ANA, "No", expect="allergic reaction")
    await bot.tap(ANA, "No", expect="liver disease, pregnancy, or breastfeeding")
    asked = await bot.tap(ANA, "Yes", expect="Does the person who prescribed your LDN know")
    assert [b["text"] for b in asked.buttons()] == ["Yes", "No"]
    assert patient(bot)["onboarding_step"] == "provider"
    await bot.tap(ANA, "Yes", expect="Which time zone")
    row = patient(bot)
    assert row["screening"] == {
        "opioids": "no",
        "allergy": "no",
        "caution": "yes",
        "provider": "yes",
    }
    assert (row["status"], row["onboarding_step"], row["stop_reason"]) == (
        "onboarding",
        "zone",
        None,
    )


async def test_caution_without_prescriber_ok_stops(bot: BotHarness) -> None:
    await to_consented(bot)
    await bot.tap(ANA, "No", expect="allergic reaction")
    await bot.tap(ANA, "No", expect="liver disease")
    await bot.tap(ANA, "Yes", expect="Does the person who prescribed your LDN know")
    stopped = await bot.tap(ANA, "No", expect="need your prescriber's OK")
    assert "/start" in stopped.body
    row = patient(bot)
    assert (row["status"], row["stop_reason"], row["onboarding_step"]) == (
        "not_started",
        "provider_unaware",
        None,
    )
    assert row["screening"]["provider"] == "no"
    no_reminders_armed(bot)
    assert not bot.sent_as(ANA, "Which time zone")


async def test_stale_screening_button_changes_nothing_and_reasks(bot: BotHarness) -> None:
    await to_consented(bot)
    opioid_question = bot.message_with_button(ANA, "Not sure")
    await bot.tap(ANA, "No", expect="allergic reaction")
    # The same press again (its old data), then "Yes" on the already-answered question: neither
    # may stop (or change) anything.
    before = await bot.forge(ANA, opioid_question.message_id, "v1:scr:opioids:no")
    bot.reply_after(ANA, before, "That button is from an earlier question")
    bot.reply_after(ANA, before, "allergic reaction")
    before = await bot.forge(ANA, opioid_question.message_id, "v1:scr:opioids:yes")
    bot.reply_after(ANA, before, "That button is from an earlier question")
    reasked = bot.reply_after(ANA, before, "allergic reaction")
    assert [b["text"] for b in reasked.buttons()] == ["Yes", "No", "Not sure"]
    row = patient(bot)
    assert (row["status"], row["onboarding_step"], row["screening"]) == (
        "onboarding",
        "allergy",
        {"opioids": "no"},
    )
    assert audit_actions(bot) == ["consent.given"]
    # Further on, at the time zone question, an old screening answer re-asks the time zone.
    await bot.tap(ANA, "No", expect="liver disease")
    await bot.tap(ANA, "No", expect="time zone")
    before = await bot.forge(ANA, reasked.message_id, "v1:scr:allergy:yes")
    bot.reply_after(ANA, before, "Which time zone")
    row = patient(bot)
    assert row["onboarding_step"] == "zone" and row["status"] == "onboarding"
    assert row["screening"] == {"opioids": "no", "allergy": "no", "caution": "no"}


# Time zone -------------------------------------------------------------------------------------


async def test_typed_city_sets_the_zone(bot: BotHarness) -> None:
    await to_zone(bot)
    assert bot.emu.keyboard(ANA) is not None  # city buttons and "share my location"
    assert ["📍 Share my location"] in (bot.emu.keyboard(ANA) or [])
    saved = await bot.say(ANA, "new york", expect="Time zone")
    assert "America/New_York (UTC-5)" in saved.body
    bot.reply_after(ANA, bot.count(ANA) - 1, "What time do you usually go to bed")
    assert bot.emu.keyboard(ANA) is None  # the reply keyboard is gone
    row = patient(bot)
    assert (row["zone"], row["onboarding_step"]) == ("America/New_York", "bedtime")


async def test_ambiguous_place_offers_buttons_to_pick_from(bot: BotHarness) -> None:
    await to_zone(bot)
    offered = await bot.say(ANA, "port", expect="Did you mean one of these?")
    # Each button shows the local time there now ("Port of Spain · 08:00"), issue 12 item 1.
    labels = [b["text"].split(" · ")[0] for b in offered.buttons()]
    assert "Port of Spain" in labels and "Port Moresby" in labels and len(labels) > 1
    assert patient(bot)["zone"] is None
    saved = await bot.tap(ANA, "Port of Spain", expect="Time zone:")
    assert "America/Port_of_Spain (UTC-4)" in saved.body
    bot.reply_after(ANA, 0, "What time do you usually go to bed")
    row = patient(bot)
    assert (row["zone"], row["onboarding_step"]) == ("America/Port_of_Spain", "bedtime")


async def test_unknown_place_gets_a_friendly_reply_and_changes_nothing(bot: BotHarness) -> None:
    await to_zone(bot)
    before = patient(bot)
    reply = await bot.say(ANA, "Narnia", expect="I couldn't find that place")
    assert "Berlin" in reply.body  # an example of what works
    assert patient(bot) == before
    # Still at the zone question: a real city now works.
    await bot.say(ANA, "Tokyo", expect="Asia/Tokyo")
    assert patient(bot)["zone"] == "Asia/Tokyo"


async def test_shared_location_sets_the_zone(bot: BotHarness) -> None:
    await to_zone(bot)
    before = bot.count(ANA)
    update = bot.emu.send_location(ANA, *TOKYO)
    await bot.handled(update["update_id"])
    saved = bot.reply_after(ANA, before, "Time zone")
    assert "Asia/Tokyo (UTC+9)" in saved.body
    bot.reply_after(ANA, before, "What time do you usually go to bed")
    row = patient(bot)
    assert (row["zone"], row["onboarding_step"]) == ("Asia/Tokyo", "bedtime")


async def test_a_location_off_the_map_gets_a_friendly_answer(bot: BotHarness) -> None:
    await to_zone(bot)
    before_row, before = patient(bot), bot.count(ANA)
    update = bot.emu.send_location(ANA, 91.0, 13.4)  # no such latitude
    await bot.handled(update["update_id"])
    reply = bot.reply_after(ANA, before, "couldn't tell the time zone from that location")
    assert "type your city" in reply.body
    assert patient(bot) == before_row
    # The question is still open: a real place now works.
    before = bot.count(ANA)
    update = bot.emu.send_location(ANA, *TOKYO)
    await bot.handled(update["update_id"])
    bot.reply_after(ANA, before, "Asia/Tokyo (UTC+9)")
    assert patient(bot)["zone"] == "Asia/Tokyo"


async def test_a_location_nobody_asked_for(bot: BotHarness) -> None:
    # From a stranger: /start first, and nothing is stored.
    update = bot.emu.send_location(BEN, *TOKYO)
    await bot.handled(update["update_id"])
    assert [m.body for m in bot.emu.messages(BEN)] == [
        "Please send /start first so we can set things up."
    ]
    assert set(personal_rows(bot).values()) == {0}
    # At the bedtime question: a place is no answer, and nothing changes.
    await to_zone(bot)
    await bot.say(ANA, "Berlin", expect="What time do you usually go to bed")
    row, before = patient(bot), bot.count(ANA)
    update = bot.emu.send_location(ANA, *TOKYO)
    await bot.handled(update["update_id"])
    bot.reply_after(ANA, before, "I can only read text")
    assert patient(bot) == row


# Bedtime ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["10:30 pm", "22.30"])
async def test_typed_bedtime_is_stored_as_24_hour_time(bot: BotHarness, typed: str) -> None:
    await to_zone(bot)
    await bot.say(ANA, "Berlin", expect="What time do you usually go to bed")
    await bot.say(ANA, typed, expect="Which dose plan")
    row = patient(bot)
    assert (row["bedtime"], row["onboarding_step"]) == ("22:30", "plan")


@pytest.mark.parametrize("typed", ["25:99", "later"])
async def test_unreadable_bedtime_gets_an_example_and_the_step_stays(
    bot: BotHarness, typed: str
) -> None:
    await to_zone(bot)
    await bot.say(ANA, "Berlin", expect="What time do you usually go to bed")
    reply = await bot.say(ANA, typed, expect="I couldn't read that time")
    assert "22:30" in reply.body and "10:30 pm" in reply.body
    assert "22:00" in [b["text"] for b in reply.buttons()]
    row = patient(bot)
    assert (row["bedtime"], row["onboarding_step"]) == (None, "bedtime")
    # The buttons under the hint still answer the question.
    await bot.tap(ANA, "23:00", expect="Which dose plan")
    assert patient(bot)["bedtime"] == "23:00"


# Plan ------------------------------------------------------------------------------------------


async def test_not_knowing_the_plan_gets_where_to_find_it_and_the_question_again(
    bot: BotHarness,
) -> None:
    await to_plan(bot)
    before = bot.count(ANA)
    await bot.say(ANA, "I don't know", expect="ask your prescriber first")
    again = bot.reply_after(ANA, before, "Which dose plan")
    assert [b["text"] for b in again.buttons()] == ["The usual plan", "Different numbers"]
    assert patient(bot)["onboarding_step"] == "plan"  # nothing chosen for them


async def test_custom_plan_is_checked_summarised_and_stored(bot: BotHarness) -> None:
    await to_plan(bot)
    await bot.tap(ANA, "Different numbers", expect="Your starting dose")
    assert patient(bot)["onboarding_step"] == "start"
    # A typo such as 45 never becomes a dose: a suggestion instead.
    typo = await bot.say(ANA, "45", expect="did you mean 4.5 mg?")
    assert [b["text"] for b in typo.buttons()] == ["Yes, 4.5 mg"]
    # Ten or more, with no plausible typo, is refused outright.
    refused = await bot.say(ANA, "50", expect="not a low dose")
    assert refused.buttons() == []
    row = patient(bot)
    assert (row["onboarding_step"], row["draft"]) == ("start", {"custom": "yes"})
    # Valid values, typed and tapped.
    await bot.say(ANA, "1.5", expect="How much does each step go up")
    await bot.tap(ANA, "0.25 mg", expect="How many days at each dose")
    await bot.say(ANA, "10 days", expect="Your target dose")
    summary = await bot.say(ANA, "4 mg", expect="Shall I start?")
    assert "start 1.5 mg, +0.25 mg every 10 days, up to 4.0 mg" in summary.body
    assert "Bedtime: 22:00, Europe/Berlin (UTC+1)\n" in summary.body
    assert "First reminder: Sat 28 Nov at 22:00" in summary.body
    assert patient(bot)["draft"] == {
        "custom": "yes",
        "start": "1.5",
        "step": "0.25",
        "interval": "10",
        "target": "4",
    }
    no_reminders_armed(bot)
    done = await bot.tap(ANA, "Start", expect="All set")
    assert "Sat 28 Nov at 22:00" in done.body
    plans = bot.db("SELECT start_mg, step_mg, interval_days, target_mg, source FROM plans")
    assert len(plans) == 1
    start, step, interval, target, source = plans[0]
    assert (Decimal(start), Decimal(step), interval, Decimal(target), source) == (
        Decimal("1.5"),
        Decimal("0.25"),
        10,
        Decimal("4"),
        "patient",
    )
    row = patient(bot)
    assert (row["status"], row["onboarding_step"], Decimal(row["current_dose_mg"])) == (
        "active",
        None,
        Decimal("1.5"),
    )
    assert bot.db("SELECT dose_mg, effective_day, reason FROM dose_changes") == [
        ("1.5", "2026-11-28", "plan_start")
    ]
    assert audit_actions(bot) == ["consent.given", "plan.started"]
    # The unused "did you mean" button is still on screen: pressed now, it changes nothing and
    # doesn't leave "here is where we are" hanging with no question after it.
    before = bot.count(ANA)
    bot.emu.press_button(ANA, "Yes, 4.5 mg")
    await bot.handled()
    assert [m.body for m in bot.emu.messages(ANA)[before:]] == [
        "Sorry, that button isn't valid any more."
    ]
    assert bot.db("SELECT start_mg FROM plans") == [(start,)]
    assert patient(bot) == row
    # The first reminder carries the custom plan.
    await bot.advance_to_local("Europe/Berlin", "22:00")
    reminder = bot.sent_as(ANA, "Time for tonight's LDN")
    assert len(reminder) == 1 and "1.5 mg" in reminder[0] and "Night 1 of 10" in reminder[0]


async def test_did_you_mean_button_and_start_above_target_restart_the_plan(
    bot: BotHarness,
) -> None:
    await to_plan(bot)
    await bot.tap(ANA, "Different numbers", expect="Your starting dose")
    await bot.say(ANA, "45", expect="did you mean 4.5 mg?")
    await bot.tap(ANA, "Yes, 4.5 mg", expect="How much does each step go up")
    assert patient(bot)["draft"] == {"custom": "yes", "start": "4.5"}
    await bot.tap(ANA, "0.5 mg", expect="How many days")
    await bot.tap(ANA, "14 days", expect="Your target dose")
    before = bot.count(ANA)
    await bot.tap(ANA, "3.0 mg", expect="start dose is above the target")
    # The plan questions start over, and nothing half-valid is kept.
    bot.reply_after(ANA, before, "Your starting dose")
    row = patient(bot)
    assert (row["onboarding_step"], row["draft"], row["status"]) == (
        "start",
        {"custom": "yes"},
        "onboarding",
    )
    assert not bot.sent_as(ANA, "Shall I start?")
    no_reminders_armed(bot)


async def test_change_something_asks_which_part_and_keeps_the_rest(bot: BotHarness) -> None:
    await to_plan(bot)
    await bot.tap(ANA, "The usual plan", expect="Shall I start?")
    asked = await bot.tap(ANA, "Change something", expect="What would you like to change?")
    assert [b["text"] for b in asked.buttons()] == ["🌍 Time zone", "🕙 Bedtime", "💊 Dose plan"]
    plan_draft = patient(bot)["draft"]
    assert plan_draft and patient(bot)["onboarding_step"] == "confirm"  # nothing forgotten yet
    await bot.tap(ANA, "Time zone", expect="Which time zone")
    row = patient(bot)
    assert (row["zone"], row["bedtime"], row["draft"], row["onboarding_step"]) == (
        None,
        "22:00",
        plan_draft,  # the plan is kept
        "zone",
    )
    assert row["screening"] == {"opioids": "no", "allergy": "no", "caution": "no"}
    no_reminders_armed(bot)
    # One answer, and the summary is back: bedtime and plan were not asked again.
    summary = await bot.say(ANA, "Paris", expect="Shall I start?")
    assert "Europe/Paris" in summary.body and "Sat 28 Nov at 22:00" in summary.body
    assert not bot.sent_as(ANA, "What time do you usually go to bed")[1:]
    # The first summary's "Start" is gone; the new one works.
    await bot.tap(ANA, "Start", expect="All set")
    assert patient(bot)["zone"] == "Europe/Paris"


async def test_change_something_for_the_plan_only(bot: BotHarness) -> None:
    await to_plan(bot)
    await bot.tap(ANA, "The usual plan", expect="Shall I start?")
    await bot.tap(ANA, "Change something", expect="What would you like to change?")
    await bot.tap(ANA, "Dose plan", expect="Which dose plan")
    row = patient(bot)
    assert (row["zone"], row["bedtime"], row["draft"]) == ("Europe/Berlin", "22:00", {})
    await bot.tap(ANA, "The usual plan", expect="Shall I start?")


# Interruptions ---------------------------------------------------------------------------------


async def test_cancel_loses_nothing_and_start_resumes(bot: BotHarness) -> None:
    await to_zone(bot)
    await bot.say(ANA, "Berlin", expect="What time do you usually go to bed")
    before = patient(bot)
    cancelled = await bot.say(ANA, "/cancel", expect="Nothing is lost")
    assert "/start" in cancelled.body
    assert patient(bot) == before
    resumed = await bot.say(ANA, "/start", expect="What time do you usually go to bed")
    assert "22:30" in [b["text"] for b in resumed.buttons()]
    assert not [m for m in bot.emu.messages(ANA) if "Is it OK to store" in m.body][1:]
    await bot.say(ANA, "22:30", expect="Which dose plan")
    row = patient(bot)
    assert (row["zone"], row["bedtime"]) == ("Europe/Berlin", "22:30")


async def test_onboarding_resumes_after_a_restart(bot: BotHarness) -> None:
    await to_plan(bot)
    await bot.tap(ANA, "Different numbers", expect="Your starting dose")
    await bot.say(ANA, "1", expect="How much does each step go up")
    await bot.restart()
    resumed = await bot.say(ANA, "/start", expect="How much does each step go up")
    assert [b["text"] for b in resumed.buttons()] == ["0.25 mg", "0.5 mg", "1.0 mg"]
    row = patient(bot)
    assert (row["zone"], row["bedtime"], row["onboarding_step"]) == (
        "Europe/Berlin",
        "22:00",
        "step",
    )
    assert row["draft"] == {"custom": "yes", "start": "1"}
    # The question asked before the restart still takes its answer.
    await bot.tap(ANA, "0.5 mg", expect="How many days")
    await bot.tap(ANA, "7 days", expect="Your target dose")
    summary = await bot.tap(ANA, "3.0 mg", expect="Shall I start?")
    assert "start 1.0 mg, +0.5 mg every 7 days, up to 3.0 mg" in summary.body
    assert bot.db("SELECT COUNT(*) FROM patients") == [(1,)]


# Language --------------------------------------------------------------------------------------

# Words that give an English sentence away, and words a German one has.
ENGLISH = (" the ", "your ", " you", "Please", "Yes", "Which ", "What ", "Shall I", "All set")
GERMAN = ("du ", "dein", "Bitte", "Ja", "Zeitzone", "Dosis")


async def test_a_german_speaker_is_answered_in_german_all_the_way(bot: BotHarness) -> None:
    """Telegram says the app is in German: consent, questions, buttons, refusals, the summary
    and the first reminder are all German, with German numbers and dates."""
    update = bot.emu.send_text(ANA, "/start", language_code="de")
    await bot.handled(update["update_id"])
    asked = bot.reply_after(ANA, 0, "Ist es in Ordnung, dass ich diese Daten speichere?")
    await bot.tap(ANA, "Ja, einverstanden", expect="Opioid")
    await bot.tap(ANA, "Weiß nicht", expect="Apotheke")  # check first, in German
    await bot.say(ANA, "/start", expect="Nimmst du ein Opioid-Medikament?")
    await bot.tap(ANA, "Nein", expect="allergische Reaktion")
    await bot.tap(ANA, "Nein", expect="Lebererkrankung")
    await bot.tap(ANA, "Nein", expect="In welcher Zeitzone")
    assert ["📍 Meinen Standort teilen"] in (bot.emu.keyboard(ANA) or [])
    await bot.say(ANA, "Narnia", expect="Diesen Ort habe ich nicht gefunden")
    await bot.say(ANA, "Berlin", expect="Wann gehst du normalerweise schlafen?")
    await bot.say(ANA, "später", expect="Diese Uhrzeit konnte ich nicht lesen")
    await bot.say(ANA, "22.30", expect="Welchen Dosisplan")
    await bot.tap(ANA, "Andere Zahlen", expect="Deine Startdosis in mg? (meist 0,5 oder 1)")
    await bot.say(ANA, "15", expect="15 mg kommt mir hoch vor – meinst du 1,5 mg?")
    await bot.say(ANA, "50", expect="50 mg ist keine niedrige Dosis")
    await bot.tap(ANA, "Ja, 1,5 mg", expect="Um wie viel mg steigt jede Stufe?")
    await bot.tap(ANA, "0,5 mg", expect="Wie viele Tage")
    await bot.tap(ANA, "14 Tage", expect="Deine Zieldosis")
    summary = await bot.say(ANA, "4,5", expect="Soll ich loslegen?")
    assert "Start mit 1,5 mg, +0,5 mg nach je 14 Tagen, bis 4,5 mg" in summary.body
    assert "Erste Erinnerung: Sa., 28. Nov. um 22:30" in summary.body
    done = await bot.tap(ANA, "Los geht's", expect="Alles bereit!")
    assert "am Sa., 28. Nov. um 22:30" in done.body
    await bot.advance_to_local("Europe/Berlin", "22:30")
    assert len(bot.sent_as(ANA, "Zeit für dein LDN heute Abend: 1,5 mg")) == 1

    row = patient(bot)
    assert (row["language"], row["status"], row["draft"]["start"]) == ("de", "active", "1.5")
    # The consent stored is of the German words shown, not of the English ones.
    shown = asked.edits[0]  # as first sent (the answer was added under it since)
    assert row["consent_text_sha256"] == hashlib.sha256(shown.encode()).hexdigest()
    # Every message and every button, edits included.
    messages = bot.emu.messages(ANA)
    said = [text for m in messages for text in (m.body, *m.edits)]
    said += [b["text"] for m in messages for b in m.buttons()]
    leaks = [text for text in said if any(word in text for word in ENGLISH)]
    assert leaks == [], leaks
    everything = "\n".join(said)
    assert all(word in everything for word in GERMAN)


async def test_telegram_language_decides_only_until_a_patient_row_says_otherwise(
    bot: BotHarness,
) -> None:
    # An app language the bot doesn't speak: English.
    update = bot.emu.send_text(ANA, "/start", language_code="fr")
    await bot.handled(update["update_id"])
    bot.reply_after(ANA, 0, "Is it OK to store")
    await bot.tap(ANA, "Yes, I agree", expect="opioid")
    assert patient(bot)["language"] == "en"
    # A regional German ("de-AT") at consent time: German from then on, stored.
    update = bot.emu.send_text(BEN, "/start", language_code="de-AT")
    await bot.handled(update["update_id"])
    await bot.tap(BEN, "Ja, einverstanden", expect="Opioid")
    assert bot.db("SELECT language FROM patients WHERE telegram_id = ?", [BEN]) == [("de",)]
