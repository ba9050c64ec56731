"""Morning dosing and the dose form over the emulator (issue 12 items 5 and 6).

Ana onboards on Saturday 28 Nov 2026 in Berlin with bedtime 22:00 and takes Saturday's dose at
bedtime. The switch day must neither drop nor double a dose, in both directions; the morning
check-in still asks about the night (it keeps its own time, 09:00, after an 08:00 dose).
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from storage import staff
from tests.e2e.harness import HANDLER_FLOW, BotHarness, BotOptions, onboard

pytestmark = pytest.mark.e2e
ANA, ADMIN = 1001, 9001
BERLIN = "Europe/Berlin"
TONIGHT = "Time for tonight's LDN"
TODAY = "Time for today's LDN"


@pytest.fixture
def bot_options() -> BotOptions:
    return HANDLER_FLOW


def dose_days(bot: BotHarness) -> list[str]:
    return [day for (day,) in bot.db("SELECT dose_day FROM dose_events ORDER BY dose_day")]


async def saturday_at_bedtime(bot: BotHarness) -> None:
    await onboard(bot, ANA, bedtime="22:00")
    await bot.advance_to_local(BERLIN, "22:00")
    await bot.tap(ANA, "Taken", expect="Sleep well!")


async def switch_to_morning(bot: BotHarness, typed: str = "08:00") -> str:
    await bot.say(ANA, "/settings", expect="What would you like to change?")
    await bot.tap(ANA, "Morning or bedtime", expect="When do you take LDN?")
    await bot.tap(ANA, "In the morning", expect="What time in the morning")
    before = bot.count(ANA)
    if typed == "8":  # a bare hour: asked, the morning first
        asked = await bot.say(ANA, typed, expect="Did you mean 8 am (08:00) or 8 pm (20:00)?")
        assert next(b["text"] for b in asked.buttons()) == "8 am (08:00)"
        await bot.tap(ANA, "8 am", expect="in the morning at 08:00")
    else:
        await bot.say(ANA, typed, expect="in the morning at 08:00")
    return bot.reply_after(ANA, before, "Next reminder").body


async def switch_to_bedtime(bot: BotHarness) -> str:
    await bot.say(ANA, "/settings", expect="What would you like to change?")
    await bot.tap(ANA, "Morning or bedtime", expect="When do you take LDN?")
    await bot.tap(ANA, "At bedtime", expect="you take LDN at bedtime")
    return bot.reply_after(ANA, bot.count(ANA) - 1, "Next reminder").body


async def test_to_morning_before_it_one_dose_that_day_and_the_check_in_asks_about_the_night(
    bot: BotHarness,
) -> None:
    await saturday_at_bedtime(bot)
    await bot.advance_to_local(BERLIN, "07:00")  # Sunday
    saved = await switch_to_morning(bot, typed="8")
    assert "Sun 29 Nov at 08:00" in saved
    assert bot.db("SELECT dose_time FROM patients") == [("08:00",)]
    await bot.advance_to_local(BERLIN, "08:00")
    [reminder] = bot.sent_as(ANA, TODAY)
    assert "0.5 mg" in reminder and "Day 2 of 14 at this dose." in reminder
    assert "tonight" not in reminder
    done = await bot.tap(ANA, "Taken", expect="Have a good day!")
    assert "Sleep well" not in done.body
    await bot.advance_to_local(BERLIN, "09:00")
    # Sunday's check-in (the first: Saturday was the first dose) still asks about the night,
    # at its own time, after the morning dose.
    texts = [m.edits[0] if m.edits else m.body for m in bot.emu.messages(ANA)]
    [checkin] = [i for i, text in enumerate(texts) if "How was last night?" in text]
    assert checkin > max(i for i, text in enumerate(texts) if TODAY in text)
    await bot.advance_to_local(BERLIN, "23:00")  # Sunday night: no bedtime reminder
    assert dose_days(bot) == ["2026-11-28", "2026-11-29"]
    assert len(bot.sent_as(ANA, TONIGHT)) == 1 and len(bot.sent_as(ANA, TODAY)) == 1
    today = await bot.say(ANA, "/today", expect="Next reminder")
    assert "Mon 30 Nov at 08:00" in today.body and "Today: 0.5 mg — taken ✅" in today.body
    await bot.advance_to_local(BERLIN, "08:00")  # Monday
    assert len(bot.sent_as(ANA, TODAY)) == 2
    assert dose_days(bot) == ["2026-11-28", "2026-11-29", "2026-11-30"]


async def test_a_morning_dose_while_the_bot_was_down_every_day_recorded_and_today_late(
    bot: BotHarness,
) -> None:
    await saturday_at_bedtime(bot)
    await bot.advance_to_local(BERLIN, "07:00")
    await switch_to_morning(bot)
    await bot.advance_to_local(BERLIN, "08:00")  # Sunday's dose, in the morning
    await bot.tap(ANA, "Taken", expect="Have a good day!")
    await bot.stop()
    bot.clock.advance(timedelta(days=4, minutes=10))  # back on Thursday at 08:10
    await bot.start()
    await bot.settle()
    assert bot.db("SELECT dose_day, status, missed_reason FROM dose_events ORDER BY dose_day") == [
        ("2026-11-28", "taken", None),
        ("2026-11-29", "taken", None),
        ("2026-11-30", "missed", "not_reminded"),
        ("2026-12-01", "missed", "bot_down"),
        ("2026-12-02", "missed", "bot_down"),
        ("2026-12-03", "pending", None),  # today's morning dose: reminded ten minutes late
    ]
    # Each day is due at the morning time, not at bedtime.
    due = bot.db("SELECT scheduled_at FROM dose_events WHERE dose_day >= '2026-11-30'")
    assert [at % 86400 for (at,) in due] == [7 * 3600] * 4  # 08:00 in Berlin is 07:00 UTC
    late = bot.sent_as(ANA, TODAY)
    assert len(late) == 2 and "Sorry this is late" in late[-1]  # one, not a backlog
    assert len(bot.sent_as(ANA, TONIGHT)) == 1


async def test_undo_of_a_morning_dose_says_today_and_keeps_skip_today(bot: BotHarness) -> None:
    await saturday_at_bedtime(bot)
    await bot.advance_to_local(BERLIN, "07:00")
    await switch_to_morning(bot)
    await bot.advance_to_local(BERLIN, "08:00")
    done = await bot.tap(ANA, "Taken", expect="Have a good day!")
    assert [b["text"] for b in done.buttons()] == ["↩️ Undo"]
    undone = await bot.tap(ANA, "Undo", expect="today's 0.5 mg is open again")
    assert "Skip today" in [b["text"] for b in undone.buttons()]
    await bot.tap(ANA, "Skip today", expect="Skipped today's 0.5 mg")


async def test_to_morning_after_its_time_reminds_now_instead_of_dropping_the_day(
    bot: BotHarness,
) -> None:
    await saturday_at_bedtime(bot)
    await bot.advance_to_local(BERLIN, "12:00")  # Sunday noon; Sunday's dose not reminded yet
    saved = await switch_to_morning(bot)
    assert "Sun 29 Nov at 12:00" in saved
    await bot.settle()
    assert len(bot.sent_as(ANA, TODAY)) == 1
    await bot.advance_to_local(BERLIN, "23:00")
    assert len(bot.sent_as(ANA, TODAY)) == 1 and len(bot.sent_as(ANA, TONIGHT)) == 1
    assert dose_days(bot) == ["2026-11-28", "2026-11-29"]
    await bot.advance_to_local(BERLIN, "08:00")
    assert len(bot.sent_as(ANA, TODAY)) == 2


async def test_back_to_bedtime_after_the_morning_dose_one_dose_on_the_switch_day(
    bot: BotHarness,
) -> None:
    await saturday_at_bedtime(bot)
    await bot.advance_to_local(BERLIN, "07:00")
    await switch_to_morning(bot)
    await bot.advance_to_local(BERLIN, "08:00")  # Sunday's dose, in the morning
    await bot.tap(ANA, "Taken", expect="Have a good day!")
    await bot.advance_to_local(BERLIN, "12:00")
    saved = await switch_to_bedtime(bot)
    assert "Mon 30 Nov at 22:00" in saved  # not Sunday 22:00: Sunday had its dose
    assert bot.db("SELECT dose_time FROM patients") == [(None,)]
    await bot.advance_to_local(BERLIN, "23:00")  # Sunday night
    assert dose_days(bot) == ["2026-11-28", "2026-11-29"]
    await bot.advance_to_local(BERLIN, "08:00")  # Monday morning: nothing any more
    assert len(bot.sent_as(ANA, TODAY)) == 1
    await bot.advance_to_local(BERLIN, "22:00")
    assert len(bot.sent_as(ANA, TONIGHT)) == 2
    await bot.tap(ANA, "Taken", expect="Sleep well!")
    assert dose_days(bot) == ["2026-11-28", "2026-11-29", "2026-11-30"]
    actions = bot.db("SELECT action FROM audit_log WHERE action LIKE 'settings.%'")
    assert actions == [("settings.dose_time",), ("settings.dose_time",)]


async def test_back_to_bedtime_before_the_morning_dose_reminds_tonight_once(
    bot: BotHarness,
) -> None:
    await saturday_at_bedtime(bot)
    await bot.advance_to_local(BERLIN, "07:00")
    await switch_to_morning(bot)
    await bot.advance_to_local(BERLIN, "08:00")  # Sunday morning
    await bot.tap(ANA, "Taken", expect="Have a good day!")
    await bot.advance_to_local(BERLIN, "07:00")  # Monday, before the morning dose
    saved = await switch_to_bedtime(bot)
    assert "Mon 30 Nov at 22:00" in saved
    await bot.advance_to_local(BERLIN, "22:00")
    assert len(bot.sent_as(ANA, TODAY)) == 1 and len(bot.sent_as(ANA, TONIGHT)) == 2
    assert dose_days(bot) == ["2026-11-28", "2026-11-29", "2026-11-30"]


async def test_a_morning_time_must_be_in_the_morning(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.say(ANA, "/settings", expect="What would you like to change?")
    await bot.tap(ANA, "Morning or bedtime", expect="When do you take LDN?")
    await bot.tap(ANA, "In the morning", expect="What time in the morning")
    refused = await bot.say(ANA, "20:00", expect="isn't in the morning")
    assert "08:00" in [b["text"] for b in refused.buttons()]
    assert bot.db("SELECT dose_time, onboarding_step FROM patients") == [
        (None, "settings_morning_time")
    ]
    await bot.tap(ANA, "07:30", expect="in the morning at 07:30")


async def test_a_liquid_patient_sees_the_volume(bot: BotHarness) -> None:
    started = await onboard(bot, ANA)
    assert "Is your LDN a liquid? Tell me its strength in /settings" in started.body
    await bot.say(ANA, "/settings", expect="What would you like to change?")
    await bot.tap(ANA, "Capsule or liquid", expect="What form is your LDN?")
    await bot.tap(ANA, "Liquid", expect="How strong is your liquid")
    await bot.say(ANA, "twenty", expect="as a number")
    await bot.say(ANA, "20 mg/ml", expect="looks unusual")
    saved = await bot.say(ANA, "1 mg/ml", expect="Saved: a liquid of 1 mg/ml.")
    assert "0.5 mg = 0.5 ml of your 1 mg/ml liquid" in saved.body
    assert bot.db("SELECT dose_form, mg_per_ml FROM patients") == [("liquid", "1")]
    await bot.advance_to_local(BERLIN, "22:00")
    [reminder] = bot.sent_as(ANA, TONIGHT)
    assert "0.5 mg = 0.5 ml of your 1 mg/ml liquid" in reminder
    plan = await bot.say(ANA, "/plan", expect="Your plan")
    assert "0.5 mg = 0.5 ml of your 1 mg/ml liquid" in plan.body
    # Back to capsules: the reminders say mg only.
    await bot.say(ANA, "/settings", expect="What would you like to change?")
    await bot.tap(ANA, "Capsule or liquid", expect="What form is your LDN?")
    await bot.tap(ANA, "Capsules", expect="Saved: Capsules, counted in mg.")
    await bot.advance_to_local(BERLIN, "22:00")
    assert "ml" not in bot.sent_as(ANA, TONIGHT)[-1]
    assert bot.db("SELECT dose_form, mg_per_ml FROM patients") == [("capsule", None)]


async def test_german_morning_liquid(bot: BotHarness) -> None:
    await saturday_at_bedtime(bot)
    await bot.say(ANA, "/settings", expect="What would you like to change?")
    await bot.tap(ANA, "Language", expect="Which language")
    await bot.tap(ANA, "Deutsch", expect="auf Deutsch")
    await bot.say(ANA, "/settings", expect="Was möchtest du ändern?")
    await bot.tap(ANA, "Kapsel oder Lösung", expect="In welcher Form")
    await bot.tap(ANA, "Flüssig", expect="Wie stark ist deine Lösung")
    await bot.say(ANA, "0,5", expect="Gespeichert: eine Lösung mit 0,5 mg/ml.")
    await bot.say(ANA, "/settings", expect="Was möchtest du ändern?")
    await bot.tap(ANA, "Morgens oder abends", expect="Wann nimmst du LDN?")
    await bot.tap(ANA, "Am Morgen", expect="Um wie viel Uhr")
    await bot.say(ANA, "halb acht", expect="Meinst du 7:30 Uhr morgens (07:30)")
    await bot.tap(ANA, "Uhr morgens", expect="morgens um 07:30")
    await bot.advance_to_local(BERLIN, "07:30")
    [reminder] = bot.sent_as(ANA, "Zeit für dein LDN heute: 0,5 mg")
    assert "0,5 mg = 1 ml deiner Lösung mit 0,5 mg/ml" in reminder
    assert "Tag 2 von 14 mit dieser Dosis." in reminder
    await bot.tap(ANA, "Genommen", expect="Hab einen schönen Tag!")
    today = await bot.say(ANA, "/today", expect="Heute: 0,5 mg")
    assert "0,5 mg = 1 ml deiner Lösung mit 0,5 mg/ml" in today.body


async def test_the_choice_is_in_the_patients_export(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.advance_to_local(BERLIN, "07:00")
    await switch_to_morning(bot)
    await bot.say(ANA, "/export", expect="take to your doctor")
    await bot.tap(ANA, "All my data (JSON)", expect="Send it now?")
    await bot.tap(ANA, "Send", expect="Sent to this chat")
    [document] = [m for m in bot.emu.messages(ANA) if m.document is not None]
    assert document.document is not None
    [row] = json.loads(document.document)["patients"]
    assert (row["dose_time"], row["dose_form"], row["mg_per_ml"]) == ("08:00", "capsule", None)


async def test_a_clinic_templates_liquid_reaches_the_patients_reminders(bot: BotHarness) -> None:
    assert bot.store is not None
    bot.store.run_sync(staff.grant, [ADMIN], bot.clock.now())
    await bot.say(ADMIN, "/newtemplate Rose; 0.5+0.5x14 to 4.5; liquid 2 mg/ml", expect="Saved")
    await bot.say(ADMIN, "/templates", expect="Rose")
    link = await bot.tap(ADMIN, "🔗 Link", expect="Enrolment link")
    found = re.search(r"\?start=(c_[\w-]+)", link.body)
    assert found is not None
    await bot.say(ANA, f"/start {found.group(1)}", expect="Is it OK to store")
    await bot.tap(ANA, "Yes, I agree", expect="opioid")
    await bot.tap(ANA, "No", expect="allergic")
    await bot.tap(ANA, "No", expect="liver disease")
    await bot.tap(ANA, "No", expect="time zone")
    await bot.say(ANA, "Berlin", expect="What time do you usually go to bed")
    await bot.tap(ANA, "22:00", expect="Shall I start?")
    started = await bot.tap(ANA, "Start", expect="All set")
    assert "0.5 mg = 0.25 ml of your 2 mg/ml liquid" in started.body
    assert bot.db("SELECT dose_form, mg_per_ml FROM patients") == [("liquid", "2")]
    await bot.advance_to_local(BERLIN, "22:00")
    [reminder] = bot.sent_as(ANA, TONIGHT)
    assert "0.5 mg = 0.25 ml of your 2 mg/ml liquid" in reminder


async def test_the_doctors_documents_say_morning(bot: BotHarness) -> None:
    await saturday_at_bedtime(bot)
    await bot.advance_to_local(BERLIN, "07:00")
    await switch_to_morning(bot)
    await bot.say(ANA, "/export", expect="take to your doctor")
    await bot.tap(ANA, "For clinic systems")
    await bot.tap(ANA, "Everything", expect="Send it now?")
    await bot.tap(ANA, "Send", expect="Sent to this chat")
    fhir = [m for m in bot.emu.messages(ANA) if m.document is not None][-1]
    data = json.loads(fhir.document or b"")
    [request] = [
        e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "MedicationRequest"
    ]
    assert request["dosageInstruction"][0]["timing"]["repeat"]["when"] == ["MORN"]
    assert "taken in the morning" in json.dumps(request)


async def test_the_clinic_moves_a_morning_reminder_to_another_morning_or_to_bedtime(
    bot: BotHarness,
) -> None:
    assert bot.store is not None
    bot.store.run_sync(staff.grant, [ADMIN], bot.clock.now())
    await saturday_at_bedtime(bot)
    await switch_to_morning(bot)
    await bot.say(ADMIN, "/admin", expect="1 patient")
    await bot.tap(ADMIN, "P-0001", expect="Reminder 08:00")
    await bot.tap(ADMIN, "Move reminder", expect="New reminder time")
    await bot.say(ADMIN, "07:30", expect="from 08:00 to 07:30?")
    await bot.tap(ADMIN, "Confirm", expect="Done: P-0001")
    assert bot.db("SELECT bedtime, dose_time FROM patients") == [("22:00", "07:30")]
    await bot.advance_to_local(BERLIN, "07:30")
    assert len(bot.sent_as(ANA, TODAY)) == 1
    await bot.tap(ADMIN, "Move reminder", expect="New reminder time")
    await bot.say(ADMIN, "21:00", expect="from 07:30 to 21:00?")
    await bot.tap(ADMIN, "Confirm", expect="Done: P-0001")
    assert bot.db("SELECT bedtime, dose_time FROM patients") == [("21:00", None)]
    await bot.advance_to_local(BERLIN, "23:00")  # Sunday had its morning dose: no 21:00 one
    assert len(bot.sent_as(ANA, TONIGHT)) == 1  # Saturday's
    await bot.advance_to_local(BERLIN, "21:00")  # Monday
    assert len(bot.sent_as(ANA, TONIGHT)) == 2 and len(bot.sent_as(ANA, TODAY)) == 1
    assert dose_days(bot) == ["2026-11-28", "2026-11-29", "2026-11-30"]
