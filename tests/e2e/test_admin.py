"""Clinic staff over the emulator: who sees the admin commands, the patient overview and its
paging, a patient's page and the changes made there (the scheduler and the patient follow), the
audit, and the role granted and revoked in chat."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlite_utils import Database

from bot.callbacks import AdminActionButton, AdminConfirmButton, AdminPatientButton, Confirm
from care.admin_actions import AdminAction
from storage import checkins
from tests.e2e.harness import HANDLER_FLOW, START, BotHarness, BotOptions
from tests.emulator import BotApiEmulator
from titration.side_effects import Effect, Severity

pytestmark = pytest.mark.e2e
BOSS, NURSE = 500, 501  # BOSS is in ADMIN_IDS
ANA = 1001
STRANGER = 2002
REFUSED = "that is for clinic staff only"


@pytest.fixture
def bot_options() -> BotOptions:
    return BotOptions(**HANDLER_FLOW, admin_ids=frozenset({BOSS}))


def names(emu: BotApiEmulator, chat: int | None, language: str = "") -> list[str]:
    scope = {"type": "chat", "chat_id": chat} if chat is not None else None
    return [c["command"] for c in emu.commands(scope, language)]


def seed(bot: BotHarness, count: int) -> None:
    for n in range(count):
        bot.seed_patient(ANA + n, zone="Europe/Berlin", bedtime="22:00")


async def test_only_admins_see_or_use_the_admin_commands(bot: BotHarness) -> None:
    emu = bot.emu
    for language in ("", "de"):
        assert "admin" not in names(emu, None, language)
        assert names(emu, STRANGER, language) == []  # no menu of their own: everyone's
        assert {"admin", "grant", "revoke", "today"} <= set(names(emu, BOSS, language))
    assert names(emu, None, "de")[0] == "start"
    staff_help = await bot.say(BOSS, "/help", expect="For clinic staff")
    assert "/admin — " in staff_help.body and "/setrule — " in staff_help.body
    emu.start_chat(STRANGER)
    others = await bot.say(STRANGER, "/help", expect="Here's what I can do")
    assert "/admin" not in others.body and "clinic staff" not in others.body
    seed(bot, 1)
    refused = await bot.say(STRANGER, "/admin", expect=REFUSED)
    for data in (
        AdminPatientButton(1).pack(),
        AdminActionButton(AdminAction.PAUSE, 1).pack(),
        AdminConfirmButton(AdminAction.PAUSE, 1, Confirm.YES).pack(),
    ):
        before = await bot.forge(STRANGER, refused.message_id, data)
        assert bot.reply_after(STRANGER, before, REFUSED)
    assert bot.db("SELECT status FROM patients") == [("active",)]
    await bot.say(STRANGER, "/grant 2002", expect=REFUSED)
    assert bot.db("SELECT count(*) FROM staff WHERE telegram_id = ?", [STRANGER]) == [(0,)]
    refusals = bot.db(
        "SELECT actor_telegram_id, actor_role, count(*) FROM audit_log "
        "WHERE action = 'admin.refused' GROUP BY 1, 2"
    )
    assert refusals == []  # a stranger: nothing stored about them at all
    bot.emu.start_chat(ANA)
    await bot.say(ANA, "/admin", expect=REFUSED)  # a patient: denied and audited
    denied = bot.db(
        "SELECT actor_telegram_id, actor_role FROM audit_log WHERE action = ?", ["admin.refused"]
    )
    assert denied == [(ANA, "not_admin")]


async def test_an_admin_pages_through_25_patients_and_filters_those_needing_attention(
    bot: BotHarness,
) -> None:
    seed(bot, 25)
    bot.db("UPDATE patients SET status = 'paused' WHERE id IN (3, 17)")
    bot.db("UPDATE patients SET unreachable_since = '2026-11-27T10:00:00+00:00' WHERE id = 9")
    first = await bot.say(BOSS, "/admin", expect="25 patients · page 1 of 3")
    assert "P-0001" in first.body and "P-0010" in first.body and "P-0011" not in first.body
    assert "0.5 mg (step 1)" in first.body
    second = await bot.tap(BOSS, "Next", expect="page 2 of 3")
    assert "P-0011" in second.body and "P-0020" in second.body and "P-0010" not in second.body
    third = await bot.tap(BOSS, "Next", expect="page 3 of 3")
    assert [b["text"] for b in third.buttons()][:5] == [f"P-{n:04d}" for n in range(21, 26)]
    assert not any("Next" in b["text"] for b in third.buttons())
    await bot.tap(BOSS, "Back", expect="page 2 of 3")
    needing = await bot.tap(BOSS, "Needs attention", expect="3 patients need attention")
    assert [b["text"] for b in needing.buttons()][:3] == ["P-0003", "P-0009", "P-0017"]
    assert "unreachable" in needing.body and "paused" in needing.body
    viewed = bot.db("SELECT count(*) FROM audit_log WHERE action = 'admin.viewed_patients'")
    assert viewed == [(5,)]


async def test_moving_a_reminder_moves_the_next_reminder(bot: BotHarness) -> None:
    seed(bot, 1)
    await bot.say(BOSS, "/admin", expect="1 patient")
    page = await bot.tap(BOSS, "P-0001", expect="Reminder 22:00")
    assert "Recent check-ins" in page.body
    await bot.tap(BOSS, "Move reminder", expect="New reminder time for P-0001")
    await bot.say(BOSS, "20:30", expect="Move P-0001's reminder from 22:00 to 20:30?")
    await bot.tap(BOSS, "Confirm", expect="Done: P-0001")
    told = bot.emu.last_message(ANA)
    assert "Your clinic moved your reminder to 20:30" in told.body
    await bot.advance_to_local("Europe/Berlin", "20:29")
    assert bot.sent_as(ANA, "tonight") == []
    await bot.advance(timedelta(minutes=1))
    assert len(bot.sent_as(ANA, "tonight")) == 1
    audit = bot.db(
        "SELECT actor_telegram_id, before, after FROM audit_log WHERE action = ?", ["admin.time"]
    )
    assert audit == [(BOSS, "22:00", "20:30")]


async def test_setting_a_dose_with_a_reason_tells_the_patient_and_audits_it(
    bot: BotHarness,
) -> None:
    seed(bot, 1)
    await bot.say(BOSS, "/admin", expect="1 patient")
    await bot.tap(BOSS, "P-0001", expect="Dose 0.5 mg")
    await bot.tap(BOSS, "Set dose", expect="New nightly dose for P-0001")
    await bot.say(BOSS, "45", expect="did you mean 4.5 mg")
    await bot.say(BOSS, "95", expect="not a low dose")
    await bot.say(BOSS, "6", expect="Why?")
    high = await bot.say(BOSS, "Prescriber's letter of 1 Dec", expect="above 4.5 mg")
    assert [b["text"] for b in high.buttons()] == ["Yes, 6.0 mg (above 4.5 mg)", "Cancel"]
    await bot.tap(BOSS, "Cancel", expect="nothing was changed")
    await bot.tap(BOSS, "Set dose", expect="New nightly dose")
    await bot.say(BOSS, "1", expect="Why?")
    confirm = await bot.say(BOSS, "Too <sleepy> on 0.5", expect="from 0.5 mg to 1.0 mg?")
    assert "Reason: Too <sleepy> on 0.5" in confirm.body
    await bot.tap(BOSS, "Confirm", expect="0.5 mg → 1.0 mg")
    told = bot.emu.last_message(ANA).body
    assert "Your clinic changed your daily dose to 1.0 mg (it was 0.5 mg)" in told
    assert "Their reason: Too <sleepy> on 0.5" in told
    rows = bot.db(
        "SELECT actor_role, actor_telegram_id, target_patient_id, before, after, detail "
        "FROM audit_log WHERE action = 'admin.dose'"
    )
    assert rows == [("admin", BOSS, 1, "0.5", "1.0", "reason given")]
    assert bot.db("SELECT count(*) FROM audit_log WHERE detail LIKE '%sleepy%'") == [(0,)]
    assert bot.db("SELECT note FROM dose_changes WHERE reason = 'clinic'") == [
        ("Too <sleepy> on 0.5",)
    ]
    await bot.advance_to_local("Europe/Berlin", "22:00")
    assert "1.0 mg" in bot.sent_as(ANA, "tonight")[-1]
    audit = await bot.tap(BOSS, "All patients", expect="1 patient")
    assert audit
    shown = await bot.tap(BOSS, "Audit", expect="Audit")
    assert "admin 500 · dose set · P-0001 · 0.5 → 1.0" in shown.body


async def test_pause_resume_and_hold_from_the_patient_page(bot: BotHarness) -> None:
    seed(bot, 1)
    await bot.say(BOSS, "/admin", expect="1 patient")
    await bot.tap(BOSS, "P-0001", expect="P-0001")
    await bot.tap(BOSS, "Pause", expect="Pause P-0001's reminders?")
    await bot.tap(BOSS, "Confirm", expect="Done")
    assert "Your clinic paused your reminders" in bot.emu.last_message(ANA).body
    await bot.advance_to_local("Europe/Berlin", "22:05")
    assert bot.sent_as(ANA, "tonight") == []
    await bot.tap(BOSS, "Resume", expect="Resume P-0001's reminders?")
    await bot.tap(BOSS, "Confirm", expect="Done")
    await bot.settle()
    assert bot.sent_as(ANA, "Your clinic turned your reminders back on")
    assert len(bot.sent_as(ANA, "tonight")) == 1  # 22:00 just passed: still reminded tonight
    await bot.tap(BOSS, "Hold next step", expect="Hold P-0001's next step-up")
    await bot.tap(BOSS, "Confirm", expect="Done")
    assert bot.db("SELECT step_offer FROM patients") == [("held",)]
    assert "stay at your current dose" in bot.emu.last_message(ANA).body


async def test_revoked_mid_session_the_next_press_is_refused(bot: BotHarness) -> None:
    seed(bot, 12)
    bot.emu.start_chat(NURSE)
    await bot.say(BOSS, "/grant 501", expect="Make 501 a clinic admin?")
    await bot.tap(BOSS, "Yes", expect="501 is now a clinic admin")
    assert "You are now a clinic admin" in bot.emu.last_message(NURSE).body
    assert "admin" in names(bot.emu, NURSE) and "admin" in names(bot.emu, NURSE, "de")
    await bot.say(NURSE, "/admin", expect="12 patients · page 1 of 2")
    await bot.say(BOSS, "/revoke 501", expect="Take the clinic admin role from 501?")
    await bot.tap(BOSS, "Yes", expect="501 is no longer a clinic admin")
    assert names(bot.emu, NURSE) == []
    await bot.tap(NURSE, "Next", expect=REFUSED)
    await bot.say(NURSE, "/admin", expect=REFUSED)
    refused = bot.db("SELECT actor_telegram_id FROM audit_log WHERE action = 'admin.refused'")
    assert refused == [(NURSE,), (NURSE,)]  # a former admin is named
    await bot.say(BOSS, "/revoke 500", expect="Take the clinic admin role")
    await bot.tap(BOSS, "Yes", expect="last clinic admin")
    actions = bot.db(
        "SELECT action, actor_telegram_id, target_telegram_id FROM audit_log "
        "WHERE action LIKE 'staff.%' ORDER BY id"
    )
    assert actions == [
        ("staff.granted", None, BOSS),
        ("staff.granted", BOSS, NURSE),
        ("staff.revoked", BOSS, NURSE),
    ]


async def test_a_revoked_bootstrap_admin_stays_revoked_after_a_restart(bot: BotHarness) -> None:
    bot.emu.start_chat(NURSE)
    await bot.say(BOSS, "/grant 501", expect="Make 501")
    await bot.tap(BOSS, "Yes", expect="now a clinic admin")
    await bot.say(NURSE, "/revoke 500", expect="Take the clinic admin role from 500?")
    await bot.tap(NURSE, "Yes", expect="500 is no longer a clinic admin")
    await bot.restart()
    await bot.say(BOSS, "/admin", expect=REFUSED)
    assert names(bot.emu, BOSS) == []


async def test_the_page_shows_effects_never_the_note_and_a_persistent_effect_is_flagged(
    bot: BotHarness,
) -> None:
    seed(bot, 2)
    note = "my knees feel like glass marbles"

    def lived(db: Database) -> None:
        checkin = checkins.open_for(db, 2, date(2026, 11, 28), Decimal("0.5"), 1, START)
        assert checkin is not None
        effects = {Effect.HEADACHE: Severity.MODERATE, Effect.OTHER: Severity.MILD}
        checkins.finish(db, checkin.id, effects, note, START)
        checkins.record_suggestion(db, 2, Effect.HEADACHE, "persistent", date(2026, 11, 22), START)

    assert bot.store is not None
    bot.store.run_sync(lived)
    await bot.say(BOSS, "/admin", expect="2 patients")
    flagged = await bot.tap(BOSS, "Needs attention", expect="1 patient needs attention")
    assert "P-0002" in flagged.body and "persistent side effect" in flagged.body
    page = await bot.tap(BOSS, "P-0002", expect="Recent check-ins")
    assert "headache (Moderate)" in page.body and "other symptoms (Mild)" in page.body
    assert "glass marbles" not in page.body
    assert bot.db("SELECT count(*) FROM audit_log WHERE detail LIKE '%marbles%'") == [(0,)]
    viewed = bot.db(
        "SELECT actor_telegram_id, target_patient_id FROM audit_log "
        "WHERE action = 'admin.viewed_patient'"
    )
    assert viewed == [(BOSS, 2)]


async def test_a_zone_change_and_a_german_patient_told_in_german(bot: BotHarness) -> None:
    seed(bot, 1)
    bot.db("UPDATE patients SET language = 'de'")
    await bot.say(BOSS, "/admin", expect="1 patient")
    await bot.tap(BOSS, "P-0001", expect="Europe/Berlin")
    await bot.tap(BOSS, "Change zone", expect="New time zone for P-0001")
    await bot.say(BOSS, "Atlantis", expect="couldn't find that place")
    await bot.say(BOSS, "Lisbon", expect="from Europe/Berlin to Europe/Lisbon?")
    await bot.tap(BOSS, "Confirm", expect="Done")
    told = bot.emu.last_message(ANA).body
    assert "Deine Praxis hat deine Zeitzone auf Europe/Lisbon gestellt." in told
    assert "Die nächste kommt Sa., 28. Nov. um 22:00." in told
    assert bot.db("SELECT zone FROM patients") == [("Europe/Lisbon",)]


async def test_a_german_admin_reads_german_and_cancel_closes_the_question(
    bot: BotHarness,
) -> None:
    seed(bot, 1)
    bot.emu.send_text(BOSS, "/admin", language_code="de")
    await bot.handled()
    assert "1 Patientin oder Patient · Seite 1 von 1" in bot.emu.last_message(BOSS).body
    await bot.tap(BOSS, "P-0001", expect="Dosis 0,5 mg (Stufe 1, Ziel 4,5 mg)")
    await bot.tap(BOSS, "Dosis festlegen", expect="Neue abendliche Dosis für P-0001")
    await bot.say(BOSS, "/cancel", expect="")
    assert bot.db("SELECT count(*) FROM admin_questions") == [(0,)]
    await bot.say(BOSS, "2", expect="")  # no question open now: not read as a dose
    assert bot.db("SELECT current_dose_mg FROM patients") == [("0.5",)]


async def test_an_urgent_sign_or_an_opioid_a_patient_wrote_of_needs_attention(
    bot: BotHarness,
) -> None:
    seed(bot, 3)
    for user in (ANA, ANA + 1):
        bot.emu.start_chat(user)
    await bot.say(ANA, "I have a rash and my lips are swollen", expect="seek medical care now")
    await bot.say(ANA + 1, "my GP gave me Tramal for my back", expect="Are you taking it now?")
    await bot.tap(ANA + 1, "Yes", expect="paused your LDN reminders")
    await bot.say(BOSS, "/admin", expect="3 patients")
    flagged = await bot.tap(BOSS, "Needs attention", expect="2 patients need attention")
    assert [b["text"] for b in flagged.buttons()][:2] == ["P-0001", "P-0002"]
    assert "urgent sign reported (told to seek care)" in flagged.body
    assert "reported taking an opioid, paused" in flagged.body
    assert "rash" not in flagged.body and "Tramal" not in flagged.body  # never their words
    typed = await bot.say(BOSS, "/admin attention", expect="2 patients need attention")
    assert typed.body == flagged.body
    page = await bot.tap(BOSS, "P-0001", expect="urgent sign reported")
    assert "swollen" not in page.body
    assert bot.db("SELECT kind, sign, substance FROM safety_events ORDER BY id") == [
        ("urgent_sign", "allergy", None),
        ("opioid_taken", None, "tramadol"),
    ]


async def test_admin_audit_in_words_and_a_page_that_speaks_of_the_patient_in_german(
    bot: BotHarness,
) -> None:
    seed(bot, 1)
    bot.emu.send_text(BOSS, "/admin", language_code="de")
    await bot.handled()
    await bot.tap(BOSS, "P-0001", expect="Dosis 0,5 mg")
    page = bot.emu.last_message(BOSS).body
    assert "Plan: Start mit 0,5 mg" in page and "Schätzungen" in page
    assert "Dein Plan" not in page and " du " not in page  # staff read of the patient
    bot.emu.send_text(BOSS, "/admin audit", language_code="de")
    await bot.handled()
    audit = bot.emu.last_message(BOSS).body
    assert "Protokoll · neueste zuerst, Zeiten in UTC" in audit
    assert "Admin 500 · Seite einer Patientin oder eines Patienten angesehen · P-0001" in audit
    assert "admin.viewed" not in audit


async def test_staff_who_take_no_ldn_are_greeted_as_staff_and_can_start_their_own(
    bot: BotHarness,
) -> None:
    greeted = await bot.say(BOSS, "/start", expect="You are clinic staff here")
    assert "/admin — " in greeted.body and "Is it OK to store" not in greeted.body
    assert [b["text"] for b in greeted.buttons()] == ["Start my own LDN tracking"]
    assert bot.db("SELECT COUNT(*) FROM patients") == [(0,)]
    hello = await bot.say(BOSS, "hello", expect="/admin shows your patients")
    assert "/start" not in hello.body
    staff_help = await bot.say(BOSS, "/help", expect="For clinic staff")
    assert staff_help.body.startswith("For clinic staff")
    assert "/checkin" not in staff_help.body and "/start sets up your own" in staff_help.body
    await bot.tap(BOSS, "Start my own LDN tracking", expect="Is it OK to store")
    await bot.tap(BOSS, "Yes, I agree", expect="opioid")
    assert bot.db("SELECT COUNT(*) FROM patients") == [(1,)]
    both = await bot.say(BOSS, "/help", expect="Here's what I can do")
    assert "/checkin" in both.body and "For clinic staff" in both.body


async def test_staff_greeting_in_german(bot: BotHarness) -> None:
    bot.emu.send_text(BOSS, "/start", language_code="de")
    await bot.handled()
    greeted = bot.emu.messages(BOSS)[-1]
    assert "Praxisteam" in greeted.body or "Praxis" in greeted.body
    assert [b["text"] for b in greeted.buttons()] == ["Meine eigene LDN-Begleitung starten"]
