"""A caregiver's own settings end to end: each followed patient's page under /patients (summaries
weekly / daily / off, the missed-dose alert after 1–7 nights or off, the choice ticked, the next
summary in the caregiver's time), forged presses refused; their own time zone and language from
/settings or the button under /patients (summaries re-armed, waiting alerts moved to a humane hour
in the new zone); someone who is both keeps the two zones apart.

Links are written straight to the database (``tests.seeding.active_link``), as the linking flow
leaves them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.callbacks import (
    CadenceButton,
    FollowAction,
    FollowButton,
    LinkPage,
    LinkPageButton,
    MissedAlertButton,
)
from tests.e2e.harness import BotHarness
from tests.emulator import SentMessage
from tests.seeding import active_link
from titration.caregiving import SummaryCadence

pytestmark = pytest.mark.e2e
ANA, BEA = 3001, 3002  # patients
SAM, KIM = 3101, 3102  # caregivers

REFUSED = (
    "Sorry, that button isn't for you.",
    "That is for caregivers. You follow nobody's updates here yet.",
    "Sorry, that button isn't valid any more.",
    "That sharing has ended, so there is nothing to show.",
)


def link(bot: BotHarness, patient: int, caregiver: int, **options: object) -> int:
    """An active link from ``patient`` to a new (or known) caregiver; the link's id."""
    assert bot.store is not None
    bot.emu.start_chat(caregiver)
    patient_id = bot.db("SELECT id FROM patients WHERE telegram_id = ?", [patient])[0][0]
    now = bot.clock.now()
    return int(bot.store.run_sync(active_link, patient_id, caregiver, now=now, **options))  # type: ignore[arg-type]


async def say_as(
    bot: BotHarness, user: int, text: str, name: str, *, expect: str | None = None
) -> SentMessage:
    """``bot.say`` from a user with their own first name."""
    before = bot.count(user)
    update = bot.emu.send_text(user, text, first_name=name)
    await bot.handled(update["update_id"])
    return bot.reply_after(user, before, expect)


async def walk_to(bot: BotHarness, instant: datetime) -> None:
    """Move the clock an hour at a time, firing what falls due on the way."""
    while bot.clock.now() + timedelta(hours=1) < instant:
        await bot.advance(timedelta(hours=1))
    await bot.advance_to(instant)


def pending(bot: BotHarness, link_id: int) -> list[tuple[object, ...]]:
    return bot.db(
        "SELECT kind, period, due_at FROM care_tasks WHERE link_id = ? AND state = 'pending' "
        "ORDER BY kind",
        [link_id],
    )


def at(epoch: object) -> datetime:
    assert isinstance(epoch, int | float)
    return datetime.fromtimestamp(epoch, UTC)


def labels(message: SentMessage) -> list[str]:
    return [b["text"] for b in message.buttons()]


async def test_a_caregiver_sets_summaries_and_the_missed_dose_alert_per_patient(
    bot: BotHarness,
) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    sam = link(bot, ANA, SAM, zone="America/New_York")
    listing = await say_as(bot, SAM, "/patients", "Sam", expect="Whose updates")
    assert labels(listing) == ["Ana: summaries and alerts", "🌍 Your time zone and language"]
    page = await bot.tap(SAM, "Ana: summaries and alerts", expect="what you receive")
    assert "📋 Summaries: every Sunday at 19:00" in page.body
    assert "⚠️ Missed-dose alert: after 2 missed nights in a row" in page.body
    assert "Next summary: Sun 29 Nov at 19:00 (your time)." in page.body
    assert labels(page) == ["📋 Summaries", "⚠️ Missed-dose alert", "Stop following Ana"]

    asked = await bot.tap(SAM, "📋 Summaries", expect="How often")
    assert labels(asked) == ["✓ Weekly, Sunday 19:00", "Daily, 20:00", "Off"]
    before = bot.count(SAM)
    await bot.tap(SAM, "Daily, 20:00", expect="→ Daily, 20:00")
    saved = bot.reply_after(SAM, before, "Saved")
    assert saved.body == (
        "Saved: a summary about Ana every evening at 20:00.\n"
        "Next summary: Sat 28 Nov at 20:00 (your time)."
    )
    assert bot.db("SELECT summaries FROM care_links WHERE id = ?", [sam]) == [("daily",)]
    [(kind, period, due)] = pending(bot, sam)
    assert (kind, period) == ("summary", "2026-11-28")
    assert at(due).astimezone(ZoneInfo("America/New_York")).hour == 20
    # It comes at 20:00 in New York, not in Berlin.
    await bot.advance_to_local("America/New_York", "19:59")
    assert bot.sent_as(SAM, "Ana's LDN") == []
    await bot.advance(timedelta(minutes=1))
    assert len(bot.sent_as(SAM, "Ana's LDN")) == 1

    await say_as(bot, SAM, "/patients", "Sam", expect="Whose updates")
    await bot.tap(SAM, "Ana: summaries and alerts", expect="every evening at 20:00")
    asked = await bot.tap(SAM, "Missed-dose alert", expect="After how many nights")
    assert labels(asked) == [
        "1 night",
        "✓ 2 nights",
        "3 nights",
        "4 nights",
        "5 nights",
        "6 nights",
        "7 nights",
        "Off",
    ]
    before = bot.count(SAM)
    await bot.tap(SAM, "4 nights", expect="→ 4 nights")
    saved = bot.reply_after(SAM, before, "Saved")
    assert saved.body == (
        "Saved: I'll tell you when Ana has missed 4 nights in a row.\n"
        "Next summary: Sun 29 Nov at 20:00 (your time)."
    )
    assert bot.db("SELECT missed_alert_after FROM care_links") == [(4,)]

    # Both off: no summary will come (and none is pending), no alert either.
    await say_as(bot, SAM, "/patients", "Sam", expect="Whose updates")
    await bot.tap(SAM, "Ana: summaries and alerts", expect="after 4 missed nights")
    await bot.tap(SAM, "📋 Summaries", expect="How often")
    before = bot.count(SAM)
    await bot.tap(SAM, "Off", expect="→ Off")
    assert bot.reply_after(SAM, before, "Saved").body == (
        "Saved: no more summaries about Ana.\n"
        "No summaries will come; /summary shows one whenever you like."
    )
    assert pending(bot, sam) == []
    await say_as(bot, SAM, "/patients", "Sam", expect="Whose updates")
    await bot.tap(SAM, "Ana: summaries and alerts", expect="Summaries: off")
    asked = await bot.tap(SAM, "Missed-dose alert", expect="After how many nights")
    assert "✓ 4 nights" in labels(asked)
    before = bot.count(SAM)
    await bot.tap(SAM, "Off", expect="→ Off")
    assert bot.reply_after(SAM, before, "Saved").body.startswith(
        "Saved: no alerts about missed doses for Ana."
    )
    assert bot.db("SELECT summaries, missed_alert_after FROM care_links") == [("off", None)]
    assert bot.db(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'caregiver.preferences_changed'"
    ) == [(4,)]
    # Three days later: no summary and no alert (Ana took nothing).
    await walk_to(bot, bot.clock.now() + timedelta(days=3))
    assert len(bot.sent_as(SAM, "Ana's LDN")) == 1
    assert bot.sent_as(SAM, "has not taken LDN") == []


async def test_forged_and_stale_preference_presses_are_refused(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    bot.seed_patient(BEA, zone="Europe/Berlin", bedtime="22:00")
    sam = link(bot, ANA, SAM, zone="Europe/Berlin")
    kim = link(bot, BEA, KIM, name="Kim", zone="Europe/Berlin", patient_name="Bea")
    await say_as(bot, SAM, "/patients", "Sam", expect="Whose updates")
    await bot.tap(SAM, "Ana: summaries and alerts", expect="what you receive")
    sams_message = bot.emu.messages(SAM)[-1].message_id
    anas_message = bot.emu.messages(ANA)[-1].message_id if bot.emu.messages(ANA) else 1
    forged = [
        # Sam changes, or looks at, Kim's link to Bea.
        (SAM, sams_message, CadenceButton(kim, SummaryCadence.OFF)),
        (SAM, sams_message, MissedAlertButton(kim, 1)),
        (SAM, sams_message, LinkPageButton(LinkPage.SHOW, kim)),
        (SAM, sams_message, LinkPageButton(LinkPage.ALERT, 999)),
        # Out of range on his own link: 9 nights is no choice the bot offers.
        (SAM, sams_message, MissedAlertButton(sam, 9)),
        # Ana, a patient and nobody's caregiver, changes Sam's side of the link.
        (ANA, anas_message, CadenceButton(sam, SummaryCadence.DAILY)),
    ]
    before = bot.db("SELECT id, summaries, missed_alert_after FROM care_links ORDER BY id")
    for user, message_id, data in forged:
        count = await bot.forge(user, message_id, data.pack())
        answers = [m.body for m in bot.emu.messages(user)[count:]]
        assert len(answers) == 1 and answers[0] in REFUSED, (data, answers)
    assert bot.db("SELECT id, summaries, missed_alert_after FROM care_links ORDER BY id") == before
    # A page's buttons after Sam stopped following: refused as ended, nothing changes.
    await bot.tap(SAM, "Stop following Ana", expect="Ana will be told")
    await bot.tap(SAM, "Yes, stop", expect="no longer receive")
    count = await bot.forge(SAM, sams_message, CadenceButton(sam, SummaryCadence.DAILY).pack())
    [answer] = [m.body for m in bot.emu.messages(SAM)[count:]]
    assert answer == "That sharing has ended, so there is nothing to show."
    assert bot.db("SELECT summaries FROM care_links WHERE id = ?", [sam]) == [("weekly",)]
    assert bot.db(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'caregiver.preferences_changed'"
    ) == [(0,)]
    # A forged leave of Kim's link from the page's area is refused as well.
    count = await bot.forge(SAM, sams_message, FollowButton(FollowAction.LEAVE_SURE, kim).pack())
    [answer] = [m.body for m in bot.emu.messages(SAM)[count:]]
    assert answer in REFUSED


async def test_a_new_caregiver_zone_moves_summaries_and_waiting_alerts(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    sam = link(bot, ANA, SAM, zone="America/Los_Angeles")
    # Saturday's and Sunday's nights go unanswered; the second closes Monday 08:00 in Berlin,
    # 23:00 on Sunday in Los Angeles: the alert waits for Sam's morning there (16:00 UTC).
    await walk_to(bot, datetime(2026, 11, 30, 7, 30, tzinfo=UTC))
    [(_, _, alert_due), (_, _, summary_due)] = pending(bot, sam)
    assert at(alert_due) == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    assert bot.sent_as(SAM, "has not taken LDN") == []
    # Sam is in Berlin now, where it is 08:30: the alert comes at once.
    menu = await say_as(bot, SAM, "/settings", "Sam", expect="Your settings")
    assert "🌍 Time zone: America/Los_Angeles (UTC-8)" in menu.body
    assert "🗣 Language: English" in menu.body
    assert labels(menu) == ["🌍 Time zone", "🗣 Language"]
    await bot.tap(SAM, "Time zone", expect="Which time zone are you in now?")
    echoed = await say_as(bot, SAM, "Berlin", "Sam", expect="Time zone: Europe/Berlin")
    assert "it's 08:30 there now" in echoed.body
    told = bot.reply_after(SAM, bot.count(SAM) - 1, "next summaries")
    assert told.body == ("Your next summaries, in your new local time:\n• Ana: Sun 6 Dec at 19:00")
    await bot.settle()
    [alert] = bot.sent_as(SAM, "has not taken LDN")
    assert "Ana has not taken LDN for 2 nights in a row" in alert
    [(kind, period, due)] = pending(bot, sam)
    assert (kind, period) == ("summary", "2026-12-06")
    assert at(due) == datetime(2026, 12, 6, 18, 0, tzinfo=UTC)  # 19:00 in Berlin
    assert at(summary_due) == datetime(2026, 12, 7, 3, 0, tzinfo=UTC)  # was 19:00 in LA
    assert bot.db("SELECT zone_name, step FROM caregivers") == [("Europe/Berlin", None)]
    # The next summary: Sunday 19:00 in Berlin.
    assert len(bot.sent_as(SAM, "Ana's LDN")) == 1  # Sunday's, at 19:00 in Los Angeles
    await bot.advance_to_local("Europe/Berlin", "18:59", days=6)
    assert len(bot.sent_as(SAM, "Ana's LDN")) == 1
    await bot.advance(timedelta(minutes=1))
    assert len(bot.sent_as(SAM, "Ana's LDN")) == 2


async def test_a_zone_already_past_sunday_evening_does_not_lose_the_next_summary(
    bot: BotHarness,
) -> None:
    """Sam gets Sunday's summary in Berlin, then moves to Los Angeles, where that Sunday's 19:00
    is still ahead: that week's summary went out already, so the next one is the week after."""
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    sam = link(bot, ANA, SAM, zone="Europe/Berlin")
    await bot.advance_to_local("Europe/Berlin", "19:30", days=1)  # Sunday: the summary went out
    assert len(bot.sent_as(SAM, "Ana's LDN")) == 1
    await say_as(bot, SAM, "/patients", "Sam", expect="Whose updates")
    await bot.tap(SAM, "Your time zone and language", expect="Your settings")
    await bot.tap(SAM, "Time zone", expect="Which time zone")
    await say_as(bot, SAM, "Los Angeles", "Sam", expect="America/Los_Angeles")
    [(kind, period, due)] = pending(bot, sam)
    assert (kind, period) == ("summary", "2026-12-06")
    local = at(due).astimezone(ZoneInfo("America/Los_Angeles"))
    assert (local.weekday(), local.hour) == (6, 19)
    await walk_to(bot, at(due) + timedelta(minutes=1))
    assert len(bot.sent_as(SAM, "Ana's LDN")) == 2


async def test_someone_who_is_both_keeps_the_two_zones_apart(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    bot.seed_patient(BEA, zone="America/New_York", bedtime="23:00")
    link(bot, ANA, BEA, name="Bea", zone="America/New_York")
    # /settings is her own reminders', with a pointer to /patients for the updates she follows.
    menu = await say_as(bot, BEA, "/settings", "Bea", expect="What would you like to change?")
    assert "your time zone is under /patients" in menu.body
    await say_as(bot, BEA, "/patients", "Bea", expect="Whose updates")
    own = await bot.tap(BEA, "Your time zone and language", expect="Your settings")
    assert "Your own LDN reminders keep their time zone: change it in /settings." in own.body
    await bot.tap(BEA, "Time zone", expect="Which time zone")
    # A misspelt city is only offered; the tapped one is saved.
    offered = await say_as(bot, BEA, "Berlinn", "Bea")
    assert any("Berlin" in b["text"] for b in offered.buttons())
    await bot.tap(BEA, "Berlin", expect="Europe/Berlin")
    assert bot.db("SELECT zone_name FROM caregivers") == [("Europe/Berlin",)]
    assert bot.db("SELECT zone FROM patients WHERE telegram_id = ?", [BEA]) == [
        ("America/New_York",)
    ]
    # /cancel at the zone question changes nothing.
    await say_as(bot, BEA, "/patients", "Bea", expect="Whose updates")
    await bot.tap(BEA, "Your time zone and language", expect="Your settings")
    await bot.tap(BEA, "Time zone", expect="Which time zone")
    await say_as(bot, BEA, "/cancel", "Bea", expect="stays as it was")
    await say_as(bot, BEA, "Tokyo", "Bea", expect=None)
    assert bot.db("SELECT zone_name, step FROM caregivers") == [("Europe/Berlin", None)]


async def test_a_caregiver_switches_to_german_and_sets_daily_summaries_in_german(
    bot: BotHarness,
) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    link(bot, ANA, SAM, zone="Europe/Berlin")
    await say_as(bot, SAM, "/patients", "Sam", expect="Whose updates")
    await bot.tap(SAM, "Your time zone and language", expect="Your settings")
    await bot.tap(SAM, "Language", expect="Which language")
    await bot.tap(SAM, "Deutsch", expect="Deutsch")
    assert bot.db("SELECT language FROM caregivers") == [("de",)]
    menu = bot.emu.commands({"type": "chat", "chat_id": SAM})
    assert menu[0]["command"] == "patients" and "folgst" in menu[0]["description"]
    await say_as(bot, SAM, "/patients", "Sam", expect="Wessen Neuigkeiten")
    page = await bot.tap(SAM, "Ana: Zusammenfassungen und Hinweise", expect="was du bekommst")
    assert "jeden Sonntag um 19:00" in page.body
    asked = await bot.tap(SAM, "Zusammenfassungen", expect="Wie oft")
    assert labels(asked) == ["✓ Wöchentlich, Sonntag 19:00", "Täglich, 20:00", "Aus"]
    before = bot.count(SAM)
    await bot.tap(SAM, "Täglich", expect="→ Täglich")
    assert bot.reply_after(SAM, before, "Gespeichert").body == (
        "Gespeichert: eine Zusammenfassung über Ana jeden Abend um 20:00.\n"
        "Nächste Zusammenfassung: Sa., 28. Nov. um 20:00 (deine Zeit)."
    )
    settings = await say_as(bot, SAM, "/settings", "Sam", expect="Deine Einstellungen")
    assert "Sprache: Deutsch" in settings.body


# /start, /help and patients' commands from someone who only follows others -------------------

PATIENT_COMMANDS = (
    "today",
    "plan",
    "checkin",
    "history",
    "supply",
    "pause",
    "resume",
    "invite",
    "caregivers",
)


async def test_start_greets_a_caregiver_and_offers_their_own_tracking(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    link(bot, ANA, SAM, zone="Europe/Berlin")
    greeted = await say_as(bot, SAM, "/start", "Sam", expect="Hello Sam!")
    assert "You follow Ana's LDN updates here." in greeted.body
    assert "/summary" in greeted.body and "/patients" in greeted.body
    assert labels(greeted) == ["Start my own LDN tracking"]
    assert bot.db("SELECT COUNT(*) FROM patients WHERE telegram_id = ?", [SAM]) == [(0,)]
    await bot.tap(SAM, "Start my own LDN tracking", expect="Is it OK to store")
    await bot.tap(SAM, "Yes, I agree", expect="opioid")
    assert bot.db("SELECT language FROM patients WHERE telegram_id = ?", [SAM]) == [("en",)]
    # From now on /start carries on with their own onboarding, and the links stay.
    await say_as(bot, SAM, "/start", "Sam", expect="opioid")
    assert bot.db("SELECT status FROM care_links") == [("active",)]


async def test_a_caregivers_start_in_german_and_someone_who_follows_nobody(
    bot: BotHarness,
) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    bot.seed_patient(BEA, zone="Europe/Berlin", bedtime="22:00")
    link(bot, ANA, KIM, name="Kim", zone="Europe/Berlin", language="de")
    link(bot, BEA, KIM, name="Kim", zone="Europe/Berlin", language="de", patient_name="Bea")
    greeted = await say_as(bot, KIM, "/start", "Kim", expect="Hallo Kim!")
    assert "Ana und Bea" in greeted.body
    assert labels(greeted) == ["Meine eigene LDN-Begleitung starten"]
    explained = await say_as(bot, KIM, "/today", "Kim", expect="/today")
    assert "Ana und Bea" in explained.body and "/summary" in explained.body
    # Sam's only link ended: greeted all the same, with nobody to follow.
    link(bot, ANA, SAM, zone="Europe/Berlin")
    assert bot.store is not None
    bot.store.run_sync(
        lambda db: db.execute(
            "UPDATE care_links SET status = 'ended' WHERE caregiver_id = "
            "(SELECT id FROM caregivers WHERE telegram_id = ?)",
            [SAM],
        )
    )
    greeted = await say_as(bot, SAM, "/start", "Sam", expect="Hello Sam!")
    assert "You don't follow anyone's updates at the moment." in greeted.body


async def test_patients_commands_from_a_caregiver_say_whom_they_are_for(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    link(bot, ANA, SAM, zone="Europe/Berlin")
    for command in PATIENT_COMMANDS:
        answer = await say_as(bot, SAM, f"/{command}", "Sam", expect=None)
        assert answer.body == (
            f"/{command} is for people who take LDN themselves. You follow Ana: try /summary "
            "to see how it is going.\n\n"
            "Taking LDN yourself? Send /start to set up your own reminders."
        ), command
    # Their own commands still work: /export (their data), /settings (theirs as a caregiver).
    await say_as(bot, SAM, "/settings", "Sam", expect="Your settings")
    # /help lists a caregiver's commands first, then how to start their own tracking.
    helped = await say_as(bot, SAM, "/help", "Sam", expect="You follow the updates")
    lines = [line for line in helped.body.splitlines() if line.startswith("/")]
    assert [line.split(" ")[0] for line in lines] == [
        "/patients",
        "/summary",
        "/settings",
        "/export",
        "/forget",
        "/help",
    ]
    assert helped.body.endswith("Taking LDN yourself? /start sets up your own reminders.")
    # A stranger is still asked to /start; a patient gets their own answer.
    stranger = await say_as(bot, 4999, "/today", "Zoe", expect=None)
    assert stranger.body == "Please send /start first so we can set things up."
    today = await bot.say(ANA, "/today", expect=None)
    assert "people who take LDN" not in today.body


async def test_names_people_typed_are_shown_as_typed(bot: BotHarness) -> None:
    """Names go into HTML messages escaped: ``<b>Sam & Co</b>`` appears literally, never as
    bold text or an error from Telegram."""
    odd = "<b>Sam & Co</b>"
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    bot.seed_patient(BEA, zone="Europe/Berlin", bedtime="22:00")
    link(bot, ANA, SAM, name=odd, zone="Europe/Berlin", patient_name=odd)
    link(bot, BEA, SAM, zone="Europe/Berlin", patient_name="Bea")
    listing = await say_as(bot, SAM, "/patients", odd, expect="Whose updates")
    assert f"• {odd}: doses only" in listing.body
    page = await bot.tap(SAM, f"{odd}: summaries and alerts", expect="what you receive")
    assert page.body.startswith(f"{odd}: what you receive")
    await bot.tap(SAM, "📋 Summaries", expect=f"how {odd} is doing")
    before = bot.count(SAM)
    await bot.tap(SAM, "Daily", expect="→ Daily")
    assert f"a summary about {odd} every evening" in bot.reply_after(SAM, before, "Saved").body
    greeted = await say_as(bot, SAM, "/start", odd, expect="Hello")
    assert greeted.body.startswith(f"Hello {odd}! You follow {odd} and Bea's LDN updates here.")
    explained = await say_as(bot, SAM, "/today", odd, expect="/today")
    assert f"You follow {odd} and Bea" in explained.body
    await say_as(bot, SAM, "/summary", odd, expect="Whose summary")
    shown = await bot.tap(SAM, odd, expect=f"→ {odd}")
    assert shown.body.endswith(f"→ {odd}")
    assert [m for m in bot.sent_as(SAM, f"{odd}'s LDN")]
    caregivers = await bot.say(ANA, "/caregivers", expect="Who follows")
    assert f"• {odd}: doses only" in caregivers.body


async def test_a_german_summary_reads_naturally(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    link(bot, ANA, KIM, name="Kim", zone="Europe/Berlin", language="de")
    await bot.advance_to_local("Europe/Berlin", "22:10")
    await bot.tap(ANA, "Taken", expect="taken at 22:10")
    await bot.advance_to_local("Europe/Berlin", "19:00")  # Sunday
    [text] = bot.sent_as(KIM, "LDN von Ana")
    assert text.splitlines()[1:] == [
        "Dosen: in 1 von 1 Nacht genommen (100 %) — 1 pünktlich, 0 verspätet, 0 ausgelassen, "
        "0 verpasst.",
        "Dosis jetzt: 0,5 mg (Ziel im Plan: 4,5 mg).",
        "Nächster Schritt: 1,0 mg nach 13 weiteren Nächten mit Einnahme.",
    ]


async def test_a_link_waiting_for_the_patient_has_only_stop_following(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    sam = link(bot, ANA, SAM, zone="Europe/Berlin")
    assert bot.store is not None
    bot.store.run_sync(
        lambda db: db.execute(
            "UPDATE care_links SET status = 'awaiting_patient', allowed_at = NULL WHERE id = ?",
            [sam],
        )
    )
    listing = await say_as(bot, SAM, "/patients", "Sam", expect="waiting for Ana")
    assert labels(listing)[0] == "Ana: summaries and alerts"
    page = await bot.tap(SAM, "Ana: summaries and alerts", expect="Waiting for Ana")
    assert labels(page) == ["Stop following Ana"]
    # Its settings cannot be changed before Ana allows it (nothing is shared yet).
    count = await bot.forge(SAM, page.message_id, CadenceButton(sam, SummaryCadence.DAILY).pack())
    [answer] = [m.body for m in bot.emu.messages(SAM)[count:]]
    assert answer == "That sharing has ended, so there is nothing to show."
    assert bot.db("SELECT summaries FROM care_links") == [("weekly",)]
