"""Clinic staff end to end: an admin creates a step-list template in chat, a patient enrols
through its link and their reminders follow its steps, an edit reaches only the patients the
admin chooses, a threshold edit is used by the next check-in, and non-admins get nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.callbacks import RuleButton, TemplateAction, TemplateButton
from storage import staff
from tests.e2e.harness import HANDLER_FLOW, BotHarness, BotOptions, onboard

pytestmark = pytest.mark.e2e
ANA, BEN, ADMIN = 1001, 1002, 9001
STEPS = "0.5x3 1x3 1.5x4 3"


@pytest.fixture
def bot_options() -> BotOptions:
    return HANDLER_FLOW


def make_admin(bot: BotHarness, telegram_id: int = ADMIN) -> None:
    assert bot.store is not None
    bot.store.run_sync(staff.grant, [telegram_id], bot.clock.now())


async def clinic_link(bot: BotHarness, name: str = "Rose Clinic", plan: str = STEPS) -> str:
    """The admin creates a template in chat and taps its Link button: the link's code."""
    await bot.say(ADMIN, f"/newtemplate {name}; {plan}; capsule", expect="Saved: template #")
    await bot.say(ADMIN, "/templates", expect=name)
    link = await bot.tap(ADMIN, "🔗 Link", expect="Enrolment link")
    found = re.search(r"https://t\.me/\w+\?start=(c_[\w-]+)", link.body)
    assert found, link.body
    return found.group(1)


async def enrol(bot: BotHarness, user: int, code: str, name: str = "Rose Clinic") -> None:
    welcome = await bot.say(user, f"/start {code}", expect="Is it OK to store")
    assert f"{name} invited you" in welcome.body
    await bot.tap(user, "Yes, I agree", expect="opioid")
    await bot.tap(user, "No", expect="allergic")
    await bot.tap(user, "No", expect="liver disease")
    await bot.tap(user, "No", expect="time zone")
    question = await bot.say(user, "Berlin", expect="What time do you usually go to bed")
    assert "Your clinic suggests 22:00" in question.body  # the template's default, offered first
    assert question.buttons()[0]["text"] == "22:00"
    summary = await bot.tap(user, "22:00", expect="Shall I start?")
    assert "0.5 mg (3 nights) → 1.0 mg (3 nights) → 1.5 mg (4 nights) → 3.0 mg" in summary.body
    assert f"Plan from {name}" in summary.body
    await bot.tap(user, "Start", expect="All set")


async def take_tonight(bot: BotHarness, user: int = ANA) -> str:
    """Tonight's 22:00 reminder, taken; the reminder's text."""
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await bot.advance(timedelta(minutes=5))
    reminder = bot.sent_as(user, "Time for tonight")[-1]
    await bot.tap(user, "Taken", expect="taken at")
    return reminder


async def test_a_patient_enrolled_by_link_follows_the_templates_steps(bot: BotHarness) -> None:
    make_admin(bot)
    code = await clinic_link(bot)
    await enrol(bot, ANA, code)
    plan = bot.db("SELECT steps, template_id, template_version, source FROM plans")
    assert plan == [('[["0.5", 3], ["1", 3], ["1.5", 4], ["3", 0]]', 1, 1, "clinic")]
    first = [await take_tonight(bot) for _ in range(3)]
    assert ["Night 1 of 3" in r for r in first] == [True, False, False]
    assert "Night 2 of 3" in first[1]
    assert "Night 3 of 3" in first[2] and "0.5 mg" in first[2]
    await bot.tap(ANA, "Step up to 1.0 mg", expect="your dose is")
    second = [await take_tonight(bot) for _ in range(3)]
    assert "1.0 mg" in second[0] and "Night 1 of 3" in second[0]
    await bot.tap(ANA, "Step up to 1.5 mg", expect="your dose is")
    third = [await take_tonight(bot) for _ in range(4)]  # this step has 4 nights
    assert "Night 4 of 4" in third[3] and "1.5 mg" in third[3]
    offer = bot.emu.messages(ANA)[-1]
    assert "Step up to 3.0 mg" in [b["text"] for b in offer.buttons()]
    plan_view = await bot.say(ANA, "/plan", expect="Your plan:")
    assert "1.5 mg (4 nights) → 3.0 mg" in plan_view.body
    entries = bot.db("SELECT actor_role, action FROM audit_log WHERE action LIKE 'template.%'")
    assert entries == [("admin", "template.created"), ("admin", "template.link_created")]


async def test_an_edit_reaches_only_the_patient_the_admin_applies_it_to(bot: BotHarness) -> None:
    make_admin(bot)
    code = await clinic_link(bot)
    await enrol(bot, ANA, code)
    await enrol(bot, BEN, code)
    edited = await bot.say(ADMIN, "/edittemplate 1 plan 0.5x7 1x7 1.5", expect="version 2")
    assert "2 patients' plans still follow the earlier version" in edited.body
    assert bot.db("SELECT DISTINCT steps FROM plans") == [
        ('[["0.5", 3], ["1", 3], ["1.5", 4], ["3", 0]]',)
    ]
    await bot.say(ADMIN, "/templates", expect="version 2")
    await bot.tap(ADMIN, "Patients #1", expect="earlier version")
    looked = "SELECT actor_telegram_id, detail FROM audit_log WHERE action = ?"
    assert bot.db(looked, ["admin.viewed_template_patients"]) == [(ADMIN, "template=#1")]
    ana_id = bot.db("SELECT id FROM patients WHERE telegram_id = ?", [ANA])[0][0]
    await bot.tap(ADMIN, f"Apply to P-{ana_id:04d}", expect="and they are told")
    assert "Your clinic updated" not in bot.emu.messages(ANA)[-1].body  # not before the yes
    await bot.tap(ADMIN, "Yes, apply it", expect="has been told")
    told = bot.emu.messages(ANA)[-1].body
    assert "Your clinic updated your dose plan" in told and "0.5 mg (7 nights)" in told
    rows = bot.db(
        "SELECT p.telegram_id, steps, template_version FROM plans JOIN patients p "
        "ON p.id = plans.patient_id ORDER BY 1"
    )
    assert rows[0] == (ANA, '[["0.5", 7], ["1", 7], ["1.5", 0]]', 2)
    assert rows[1][2] == 1  # Ben's plan is untouched
    audit = bot.db(
        "SELECT actor_telegram_id, target_patient_id, detail FROM audit_log "
        "WHERE action = 'template.applied'"
    )
    assert audit == [(ADMIN, ana_id, "#1 v1 -> v2: [0.5x3 1x3 1.5x4 3] -> [0.5x7 1x7 1.5]")]
    reminder = await take_tonight(bot)
    assert "Night 1 of 7" in reminder


async def test_a_threshold_the_admin_edits_is_used_by_the_next_checkin(bot: BotHarness) -> None:
    make_admin(bot)
    await onboard(bot, ANA)
    rules = await bot.say(ADMIN, "/rules", expect="Schedule rules")
    assert "moderate or worse this many times in a row: 3 (1–30)\n   moderate_run" in rules.body
    await bot.say(ADMIN, "/setrule moderate_run 99", expect="outside the rule's range (1–30)")
    asked = await bot.say(ADMIN, "/setrule moderate_run 1", expect="(moderate_run) from 3 to 1?")
    assert "Change “Persistent: moderate or worse this many times in a row”" in asked.body
    assert bot.db("SELECT value FROM rules WHERE name = 'moderate_run'") == []  # not yet
    await bot.tap(ADMIN, "Yes, change it", expect="in a row: 3 → 1")
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await bot.tap(ANA, "Taken", expect="taken at")
    await bot.advance_to_local("Europe/Berlin", "09:00")
    await bot.tap(ANA, "Headache", expect="Good morning")
    await bot.tap(ANA, "Done", expect="how bad")
    await bot.tap(ANA, "Moderate")
    suggestions = [m.body for m in bot.emu.messages(ANA) if "talking to your prescriber" in m.body]
    assert len(suggestions) == 1  # one moderate morning is persistent now (3 by default)
    audit = bot.db("SELECT actor_telegram_id, detail FROM audit_log WHERE action = 'rules.set'")
    assert audit == [(ADMIN, "moderate_run: 3 -> 1")]


async def test_non_admins_get_nothing_and_forged_template_presses_are_refused(
    bot: BotHarness,
) -> None:
    make_admin(bot)
    await clinic_link(bot)
    await onboard(bot, ANA)
    for command in (
        "/templates",
        "/newtemplate X; 0.5x3 1; capsule",
        "/rules",
        "/setrule moderate_run 1",
        "/edittemplate 1 name Mine",
    ):
        await bot.say(ANA, command, expect="for clinic staff only")
    mine = bot.emu.messages(ANA)[-1].message_id
    for action in (
        TemplateAction.RETIRE,
        TemplateAction.RETIRE_YES,
        TemplateAction.LINK,
        TemplateAction.PATIENTS,
        TemplateAction.CONFIRM,
        TemplateAction.CANCEL,
    ):
        before = await bot.forge(ANA, mine, TemplateButton(action, 1).pack())
        assert "for clinic staff only" in bot.emu.messages(ANA)[before].body
    for apply in (TemplateAction.APPLY, TemplateAction.APPLY_YES):
        before = await bot.forge(ANA, mine, TemplateButton(apply, 1, 1).pack())
        assert "for clinic staff only" in bot.emu.messages(ANA)[before].body
    before = await bot.forge(ANA, mine, RuleButton("moderate_run", 1).pack())
    assert "for clinic staff only" in bot.emu.messages(ANA)[before].body
    denied = bot.db(
        "SELECT actor_telegram_id, actor_role, detail FROM audit_log "
        "WHERE action = 'admin.denied' ORDER BY id"
    )
    assert [row[2] for row in denied] == [
        "list_templates",
        "create_template",
        "rules_in_force",
        "preview_rule",
        "edit_template",
        "retire",
        "retire_template",
        "make_link",
        "followers",
        "confirm_template",
        "cancel",
        "apply",
        "apply_template",
        "set_rule",
    ]
    assert {row[:2] for row in denied} == {(ANA, "not_admin")}
    assert bot.db("SELECT status, name, version FROM plan_templates") == [
        ("active", "Rose Clinic", 1)
    ]
    assert bot.db("SELECT COUNT(*) FROM enrol_links") == [(1,)]
    assert bot.db("SELECT value FROM rules WHERE name = 'moderate_run'") == []
    # A revoked admin's next press is refused too.
    assert bot.store is not None
    bot.store.run_sync(staff.revoke, ADMIN)
    await bot.tap(ADMIN, "Retire #1", expect="for clinic staff only")
    await bot.tap(ADMIN, "Link #1", expect="for clinic staff only")
    assert bot.db("SELECT status FROM plan_templates") == [("active",)]


async def test_a_high_target_needs_the_admins_yes_and_a_typo_is_refused(bot: BotHarness) -> None:
    make_admin(bot)
    refused = await bot.say(ADMIN, "/newtemplate Typo; 0.5+0.5x14 to 45; capsule", expect="mg")
    assert "45 mg is not a low dose" in refused.body
    unreadable = await bot.say(ADMIN, "/newtemplate Odd; 0.5 1x3 2; capsule", expect="nights")
    assert "like 0.5x14" in unreadable.body
    held = await bot.say(
        ADMIN, "/newtemplate High; 0.5+0.5x7 to 6; liquid 1 mg/ml", expect="Is that intended?"
    )
    assert bot.db("SELECT status, form, mg_per_ml FROM plan_templates") == [
        ("unconfirmed", "liquid", "1")
    ]
    assert "Yes, 6.0 mg is intended" in [b["text"] for b in held.buttons()]
    await bot.tap(ADMIN, "is intended", expect="Saved: template #1")
    assert bot.db("SELECT status FROM plan_templates") == [("active",)]


async def test_a_retired_templates_link_no_longer_enrols(bot: BotHarness) -> None:
    make_admin(bot)
    code = await clinic_link(bot)
    await bot.tap(ADMIN, "Retire #1", expect="Retire template #1?")
    await bot.tap(ADMIN, "Yes, retire it", expect="is retired")
    reply = await bot.say(ANA, f"/start {code}", expect="isn't valid any more")
    assert "Is it OK to store" in bot.emu.messages(ANA)[-1].body
    assert "Rose Clinic" not in reply.body


async def test_a_german_patient_enrols_through_a_clinic_link_in_german(bot: BotHarness) -> None:
    make_admin(bot)
    code = await clinic_link(bot)
    bot.emu.send_text(ANA, f"/start {code}", language_code="de")
    await bot.handled()
    welcome = bot.emu.messages(ANA)[-1]
    assert "Rose Clinic hat dich zu LDN Companion eingeladen" in welcome.body
    await bot.tap(ANA, "Ja, einverstanden", expect="Opioid")
    await bot.tap(ANA, "Nein", expect="allergische Reaktion")
    await bot.tap(ANA, "Nein", expect="Lebererkrankung")
    await bot.tap(ANA, "Nein", expect="In welcher Zeitzone")
    asked = await bot.say(ANA, "Berlin", expect="Wann gehst du normalerweise schlafen?")
    assert "Deine Praxis schlägt 22:00 vor" in asked.body
    summary = await bot.tap(ANA, "22:00", expect="Soll ich loslegen?")
    assert "0,5 mg (3 Nächte) → 1,0 mg (3 Nächte) → 1,5 mg (4 Nächte) → 3,0 mg" in summary.body
    assert "Plan von Rose Clinic" in summary.body
    await bot.tap(ANA, "Los geht's", expect="Alles bereit!")
    plan = await bot.say(ANA, "/plan", expect="Dein Plan:")
    assert "1,5 mg (4 Nächte) → 3,0 mg" in plan.body


async def test_the_nudge_follows_the_clinics_rule_or_the_patients_template(
    bot: BotHarness,
) -> None:
    make_admin(bot)
    await onboard(bot, ANA)  # the usual plan: the clinic's rule applies
    code = await clinic_link(bot)
    await bot.say(ADMIN, "/edittemplate 1 nudge 45", expect="version 2")
    await enrol(bot, BEN, code)  # enrolled after the edit: the template's 45 minutes
    await bot.say(ADMIN, "/setrule nudge_after_minutes 30", expect="from 120 to 30?")
    await bot.tap(ADMIN, "Yes, change it", expect="120 → 30")
    await bot.advance_to_local("Europe/Berlin", "22:00")
    assert not bot.sent_as(ANA, "Gentle nudge") and not bot.sent_as(BEN, "Gentle nudge")
    await bot.advance(timedelta(minutes=30))
    assert len(bot.sent_as(ANA, "Gentle nudge")) == 1 and not bot.sent_as(BEN, "Gentle nudge")
    await bot.advance(timedelta(minutes=15))
    assert len(bot.sent_as(BEN, "Gentle nudge")) == 1
    # Taken after the nudge counts as late, by the same delay.
    await bot.tap(ANA, "Taken", expect="taken at")
    assert bot.db(
        "SELECT e.status FROM dose_events e JOIN patients p ON p.id = e.patient_id "
        "WHERE p.telegram_id = ?",
        [ANA],
    ) == [("late",)]


async def test_cancel_changes_nothing(bot: BotHarness) -> None:
    make_admin(bot)
    await clinic_link(bot)
    await bot.tap(ADMIN, "Retire #1", expect="Retire template #1?")
    await bot.tap(ADMIN, "Cancel", expect="nothing changed")
    await bot.say(ADMIN, "/setrule late_window_minutes 60", expect="from 120 to 60?")
    await bot.tap(ADMIN, "Cancel", expect="nothing changed")
    assert bot.db("SELECT status FROM plan_templates") == [("active",)]
    assert bot.db("SELECT COUNT(*) FROM rules") == [(0,)]


async def test_a_german_admin_reads_the_rules_in_german(bot: BotHarness) -> None:
    make_admin(bot)
    bot.emu.send_text(ADMIN, "/rules", language_code="de")
    await bot.handled()
    rules = bot.emu.messages(ADMIN)[-1].body
    assert "Zeitregeln" in rules and "Sanfte Erinnerung nach der Schlafenszeit" in rules


async def test_templates_shows_the_newest_ten(bot: BotHarness) -> None:
    make_admin(bot)
    for number in range(12):
        await bot.say(ADMIN, f"/newtemplate T{number}; 0.5x3 1; capsule", expect="Saved")
    listing = await bot.say(ADMIN, "/templates", expect="Plan templates")
    assert "… and 2 older templates" in listing.body
    assert "#3 T2" in listing.body and "#2 T1" not in listing.body
    assert len(listing.buttons()) == 30  # three per template shown


async def test_an_admin_switches_a_patient_to_another_template_from_their_page(
    bot: BotHarness,
) -> None:
    make_admin(bot)
    await onboard(bot, ANA)
    await bot.say(ADMIN, f"/newtemplate Slow; {STEPS}; capsule", expect="Saved: template #1")
    await bot.say(ADMIN, "/admin", expect="1 patient")
    await bot.tap(ADMIN, "P-0001", expect="Recent check-ins")
    choose = await bot.tap(ADMIN, "Switch template", expect="Which template should P-0001")
    assert [b["text"] for b in choose.buttons()] == ["#1 Slow"]
    asked = await bot.tap(ADMIN, "#1 Slow", expect="Switch P-0001 to template #1")
    assert "0.5 mg (3 nights) → 1.0 mg" in asked.body
    assert bot.db("SELECT template_id FROM plans") == [(None,)]  # not before the yes
    # A stranger's forged yes changes nothing.
    forged = TemplateButton(TemplateAction.SWITCH_YES, 1, 1).pack()
    await bot.forge(BEN, asked.message_id, forged)
    assert bot.db("SELECT template_id FROM plans") == [(None,)]
    await bot.tap(ADMIN, "Yes, switch", expect="Done: P-0001 now follows template #1")
    await bot.forge(ADMIN, asked.message_id, forged)  # the same yes again: nothing happens
    assert len(bot.sent_as(ANA, "Your clinic updated your dose plan")) == 1
    told = bot.emu.messages(ANA)[-1].body
    assert "Your clinic updated your dose plan" in told and "0.5 mg (3 nights)" in told
    assert bot.db("SELECT template_id, template_version, source FROM plans") == [(1, 1, "clinic")]
    audit = bot.db(
        "SELECT actor_telegram_id, target_patient_id, detail FROM audit_log "
        "WHERE action = 'template.switched'"
    )
    assert audit == [(ADMIN, 1, "- -> #1 v1: [0.5+0.5x14 to 4.5] -> [0.5x3 1x3 1.5x4 3]")]
    await bot.say(ADMIN, "/admin", expect="1 patient")
    await bot.tap(ADMIN, "P-0001", expect="Recent check-ins")
    await bot.tap(ADMIN, "Switch template", expect="no other active template")


async def test_two_templates_in_use_never_share_a_name(bot: BotHarness) -> None:
    make_admin(bot)
    await bot.say(ADMIN, "/newtemplate Standard; 0.5x14 1; capsule", expect="Saved: template #1")
    again = await bot.say(ADMIN, "/newtemplate standard ; 0.5x7 1; capsule", expect="#1")
    assert "already has this name" in again.body
    await bot.say(ADMIN, "/newtemplate Fast; 0.5x7 1; capsule", expect="Saved: template #2")
    renamed = await bot.say(ADMIN, "/edittemplate 2 name Standard", expect="already has")
    assert "#1" in renamed.body
    assert bot.db("SELECT id, name FROM plan_templates ORDER BY id") == [
        (1, "Standard"),
        (2, "Fast"),
    ]
    await bot.say(ADMIN, "/edittemplate 1 name standard", expect="now version 2")  # its own
    await bot.say(ADMIN, "/templates", expect="#1 standard")
    await bot.tap(ADMIN, "Retire #1", expect="Retire template #1?")
    await bot.tap(ADMIN, "Yes, retire it", expect="is retired")
    await bot.say(ADMIN, "/edittemplate 2 name Standard", expect="now version 2")  # #1 retired
