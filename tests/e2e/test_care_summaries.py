"""Caregivers' summaries and alerts end to end: the weekly summary at the caregiver's own Sunday
19:00, what "adherence only" leaves out (in English and German), two missed nights → one alert at
a humane hour → [Acknowledge] → the patient is told, once; an ended link or /forget leaves nothing
pending and nothing more arrives; a forged acknowledge is refused.

Links are written straight to the database (``tests.seeding.active_link``), as the linking flow
leaves them."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from bot import charts
from care import summaries as summaries_care
from care.people import Refusal
from storage.db import write_transaction
from tests.e2e.harness import BotHarness
from tests.seeding import active_link
from titration.caregiving import SummaryCadence

pytestmark = pytest.mark.e2e
ANA, SAM, KIM, LEA, BEA = 2001, 2101, 2102, 2103, 2002

# Words a summary under "adherence only" must never carry (English and German).
EFFECT_WORDS = (
    "side effect",
    "Side effect",
    "benefit",
    "Benefit",
    "prescriber",
    "Nebenwirkung",
    "Wirkung",
    "Ärzt",
    "Arzt",
)


def link(bot: BotHarness, patient: int, caregiver: int, **options: object) -> int:
    """An active link from ``patient`` to a new (or known) caregiver; the link's id."""
    assert bot.store is not None
    bot.emu.start_chat(caregiver)
    patient_id = bot.db("SELECT id FROM patients WHERE telegram_id = ?", [patient])[0][0]
    now = bot.clock.now()
    return int(bot.store.run_sync(active_link, patient_id, caregiver, now=now, **options))  # type: ignore[arg-type]


async def walk_to(bot: BotHarness, instant: datetime) -> None:
    """Move the clock an hour at a time (as time passes), firing what falls due on the way."""
    while bot.clock.now() + timedelta(hours=1) < instant:
        await bot.advance(timedelta(hours=1))
    await bot.advance_to(instant)


def summaries(bot: BotHarness, user: int) -> list[str]:
    return bot.sent_as(user, "📋")


def chart_of(bot: BotHarness, user: int) -> tuple[int, int]:
    """The newest summary's picture: a valid PNG, decoded; its width and height."""
    [*_, message] = [m for m in bot.emu.messages(user) if "📋" in m.body]
    assert message.media == "photo" and message.photo is not None
    image = Image.open(io.BytesIO(message.photo))
    image.load()  # decodes every pixel: a broken file fails here
    assert image.format == "PNG" and 5_000 < len(message.photo) < 200_000
    return image.size


def pending(bot: BotHarness, link_id: int) -> list[tuple[object, ...]]:
    return bot.db(
        "SELECT kind, period FROM care_tasks WHERE link_id = ? AND state IN ('pending', 'sending')",
        [link_id],
    )


async def test_weekly_summary_arrives_at_the_caregivers_own_sunday_evening(
    bot: BotHarness,
) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    link(bot, ANA, SAM, zone="America/Los_Angeles")
    await bot.advance_to_local("Europe/Berlin", "22:10")  # Saturday night: Ana takes it late-ish
    await bot.tap(ANA, "Taken", expect="taken at 22:10")
    # Sunday 19:00 in Berlin is 10:00 in Los Angeles: nothing for Sam yet.
    await bot.advance_to_local("Europe/Berlin", "19:00")
    assert summaries(bot, SAM) == []
    await bot.advance_to_local("America/Los_Angeles", "18:59")
    assert summaries(bot, SAM) == []
    await bot.advance(timedelta(minutes=1))
    [text] = summaries(bot, SAM)
    local = bot.clock.now().astimezone(ZoneInfo("America/Los_Angeles"))
    assert (local.weekday(), local.hour, local.minute) == (6, 19, 0)
    assert "Ana's LDN" in text
    # One photo: the week's chart (dose and nights only, as Sam sees adherence), the words
    # as its caption.
    assert chart_of(bot, SAM) == (charts.WIDTH_PX, charts.ADHERENCE_HEIGHT_PX)
    # Saturday taken (within 30 minutes: on time); Sunday's night not yet counted (it is open).
    assert "1 of 1 night taken (100%)" in text and "1 on time, 0 late" in text
    assert "Dose now: 0.5 mg (plan target 4.5 mg)" in text
    assert "Next step: 1.0 mg after 13 more nights" in text
    # Idempotent per (link, period): a second run of the scheduler sends nothing more, and the
    # next week's summary is armed.
    await bot.settle()
    assert len(summaries(bot, SAM)) == 1
    [(kind, period)] = pending(bot, 1)
    assert (kind, period) == ("summary", "2026-12-06")


async def test_adherence_only_carries_no_effect_or_benefit_word_in_either_language(
    bot: BotHarness,
) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    link(bot, ANA, SAM, zone="Europe/Berlin", scope="adherence")
    link(bot, ANA, KIM, name="Kim", zone="Europe/Berlin", scope="adherence", language="de")
    link(bot, ANA, LEA, name="Lea", zone="Europe/Berlin", scope="full", language="de")
    await _a_persistent_headache(bot)
    await bot.advance_to_local("Europe/Berlin", "19:00", days=1)  # the second Sunday
    sam, kim, lea = summaries(bot, SAM), summaries(bot, KIM), summaries(bot, LEA)
    assert len(sam) == len(kim) == len(lea) == 2
    for text in sam + kim:
        assert [word for word in EFFECT_WORDS if word in text] == []
    assert "Kopfschmerzen" in lea[-1] and "Nebenwirkung" in lea[-1]  # the full scope shows it
    assert "Nutzen" in lea[-1]
    # The charts: dose and nights only for Sam and Kim; every panel for Lea.
    assert chart_of(bot, SAM) == (charts.WIDTH_PX, charts.ADHERENCE_HEIGHT_PX)
    assert chart_of(bot, KIM) == (charts.WIDTH_PX, charts.ADHERENCE_HEIGHT_PX)
    assert chart_of(bot, LEA) == (charts.WIDTH_PX, charts.FULL_HEIGHT_PX)
    # The step is on hold: said as such to everyone, and why only under the full scope.
    assert "on hold for now" in sam[-1]
    # Kim's summary is German (the caregiver's own language).
    assert "Dosis" in kim[-1]
    # The suggestion to talk to the prescriber: an alert under the full scope only, once.
    assert len(bot.sent_as(LEA, "💬")) == 1
    assert bot.sent_as(SAM, "💬") == [] and bot.sent_as(KIM, "💬") == []


async def test_an_urgent_sign_reaches_a_full_scope_caregiver_at_once_without_the_words(
    bot: BotHarness,
) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    link(bot, ANA, SAM, zone="America/Los_Angeles", scope="full")
    link(bot, ANA, KIM, name="Kim", zone="Europe/Berlin", scope="adherence")
    await bot.say(ANA, "my throat is tight and I have hives", expect="")
    await bot.settle()
    [alert] = bot.sent_as(SAM, "🚨")
    assert "Ana wrote of signs of an allergic reaction" in alert
    assert "hives" not in alert and "throat" not in alert
    assert bot.sent_as(KIM, "🚨") == []
    # An edit of the same message, or the same sign again that day, alerts no more.
    await bot.say(ANA, "hives again", expect="")
    await bot.settle()
    assert len(bot.sent_as(SAM, "🚨")) == 1


async def _a_persistent_headache(bot: BotHarness) -> None:
    """Ana takes each dose and reports a moderate headache each morning for a week."""
    for _night in range(7):
        await bot.advance_to_local("Europe/Berlin", "22:00")
        await bot.tap(ANA, "Taken", expect="taken at")
        await bot.advance_to_local("Europe/Berlin", "09:00")
        await bot.tap(ANA, "Headache", expect="Good morning")
        await bot.tap(ANA, "Done", expect="how bad")
        await bot.tap(ANA, "Moderate")


async def test_two_missed_nights_alert_once_at_a_humane_hour_and_the_patient_hears_who_saw(
    bot: BotHarness,
) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    sam = link(bot, ANA, SAM, zone="America/Los_Angeles")
    # Saturday's and Sunday's nights go unanswered; the second closes Monday 08:00 in Berlin,
    # which is 23:00 on Sunday in Los Angeles: the alert waits for Sam's morning.
    await walk_to(bot, datetime(2026, 11, 30, 7, 0, tzinfo=UTC))
    assert bot.db("SELECT status FROM dose_events ORDER BY dose_day") == [("missed",)] * 2
    assert bot.sent_as(SAM, "nights in a row") == []
    assert sorted(pending(bot, sam)) == [("missed", "missed:2026-11-28"), ("summary", "2026-12-06")]
    await bot.advance_to_local("America/Los_Angeles", "07:59")
    assert bot.sent_as(SAM, "nights in a row") == []
    await bot.advance(timedelta(minutes=1))
    [alert] = bot.sent_as(SAM, "nights in a row")
    assert "Ana has not taken LDN for 2 nights in a row (since Sat 28 Nov)" in alert
    local = bot.clock.now().astimezone(ZoneInfo("America/Los_Angeles"))
    assert (local.hour, local.minute) == (8, 0)

    before = bot.count(ANA)
    await bot.tap(SAM, "Acknowledge", expect="you saw this")
    told = bot.reply_after(ANA, before, "Sam saw this")
    assert "missed doses" in told.body
    assert bot.db("SELECT COUNT(*) FROM care_tasks WHERE acknowledged_at IS NOT NULL") == [(1,)]
    # Audited: each scheduled view (what was sent, never its contents) and the acknowledgement.
    assert bot.db(
        "SELECT action, detail FROM audit_log WHERE action LIKE 'caregiver.%' "
        "AND detail LIKE '%missed%' ORDER BY id"
    ) == [
        ("caregiver.viewed", f"link={sam} view=missed"),
        ("caregiver.alert_acknowledged", f"link={sam} kind=missed"),
    ]

    # Once per event: the scheduler running again (after a restart, too), or the run growing to
    # three nights, sends no more.
    await bot.settle()
    await bot.restart()
    await bot.settle()
    await bot.advance(timedelta(days=1))
    assert len(bot.sent_as(SAM, "nights in a row")) == 1
    assert len(bot.sent_as(ANA, "saw this")) == 1


async def test_a_forged_acknowledge_for_another_link_is_refused(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    bot.seed_patient(BEA, zone="Europe/Berlin", bedtime="22:00")
    link(bot, ANA, SAM, zone="Europe/Berlin")
    link(bot, BEA, KIM, name="Kim", zone="Europe/Berlin", patient_name="Bea")
    await walk_to(bot, datetime(2026, 11, 30, 7, 30, tzinfo=UTC))  # both missed two nights
    kims = bot.message_with_button(KIM, "Acknowledge")
    sams = bot.message_with_button(SAM, "Acknowledge")
    kims_task = bot.db(
        "SELECT t.id FROM care_tasks t JOIN care_links l ON l.id = t.link_id "
        "JOIN caregivers c ON c.id = l.caregiver_id WHERE c.telegram_id = ? "
        "AND t.kind = 'missed'",
        [KIM],
    )[0][0]
    bea_before = bot.count(BEA)
    before = await bot.forge(SAM, sams.message_id, f"v1:cg:ack:{kims_task}")
    bot.reply_after(SAM, before, "isn't for you")
    assert bot.count(BEA) == bea_before
    assert bot.db("SELECT COUNT(*) FROM care_tasks WHERE acknowledged_at IS NOT NULL") == [(0,)]
    # A stranger (no caregiver at all) is refused the same way.
    before = await bot.forge(ANA, kims.message_id, f"v1:cg:ack:{kims_task}")
    bot.reply_after(ANA, before, "That is for caregivers")
    assert bot.count(BEA) == bea_before


async def test_an_ended_link_leaves_nothing_pending_and_nothing_more_arrives(
    bot: BotHarness,
) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    sam = link(bot, ANA, SAM, zone="Europe/Berlin", summaries="daily")
    await bot.advance_to_local("Europe/Berlin", "20:00")
    assert len(summaries(bot, SAM)) == 1
    assert pending(bot, sam) == [("summary", "2026-11-29")]
    assert bot.store is not None

    def end(db: object) -> None:
        from sqlite_utils import Database

        assert isinstance(db, Database)
        with write_transaction(db):
            db.execute("UPDATE care_links SET status = 'ended' WHERE id = ?", [sam])

    bot.store.run_sync(end)
    assert pending(bot, sam) == []
    await bot.advance(timedelta(days=3))  # two missed nights and three evenings later
    assert len(summaries(bot, SAM)) == 1
    assert bot.sent_as(SAM, "nights in a row") == []
    assert pending(bot, sam) == []


async def test_forget_removes_the_caregivers_pending_rows(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    link(bot, ANA, SAM, zone="America/Los_Angeles")
    # Monday 08:00 in Berlin: the second missed night; Sam's alert waits for his morning.
    await walk_to(bot, datetime(2026, 11, 30, 7, 0, tzinfo=UTC))
    assert bot.db("SELECT kind FROM care_tasks WHERE state = 'pending' ORDER BY kind") == [
        ("missed",),
        ("summary",),
    ]
    sent = bot.count(SAM)
    await bot.say(ANA, "/forget", expect="can't be undone")
    await bot.tap(ANA, "Delete everything", expect="everything is deleted")
    assert bot.db("SELECT COUNT(*) FROM care_tasks") == [(0,)]
    await bot.advance(timedelta(days=7))
    # Sam is told only that sharing ended; no summary or alert follows.
    after = [m.body for m in bot.emu.messages(SAM)[sent:]]
    assert after == ["Ana has stopped sharing updates with you."]


async def test_summary_on_demand_lets_a_caregiver_of_two_choose(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    bot.seed_patient(BEA, zone="Europe/Berlin", bedtime="22:00")
    await bot.say(SAM, "/summary", expect="don't follow anyone")
    link(bot, ANA, SAM, zone="Europe/Berlin")
    link(bot, BEA, SAM, zone="Europe/Berlin", patient_name="Bea")
    await bot.say(SAM, "/summary", expect="Whose summary")
    shown = await bot.tap(SAM, "Bea", expect="Bea's LDN")
    assert "No nights to count yet." in shown.body
    assert bot.db("SELECT action, detail FROM audit_log WHERE action LIKE 'caregiver.%'") == [
        ("caregiver.viewed", "link=2 view=summary")
    ]


async def test_a_caregiver_can_have_daily_summaries_and_turn_missed_dose_alerts_off(
    bot: BotHarness,
) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    sam = link(bot, ANA, SAM, zone="Europe/Berlin")
    assert bot.store is not None
    now = bot.clock.now()
    changed = bot.store.run_sync(
        summaries_care.set_preferences,
        SAM,
        sam,
        now,
        cadence=SummaryCadence.DAILY,
        missed_alert_after=None,
    )
    assert isinstance(changed, summaries_care.Preferences)
    assert changed.next_summary == datetime(2026, 11, 28, 19, 0, tzinfo=UTC)  # 20:00 Berlin
    assert pending(bot, sam) == [("summary", "2026-11-28")]
    # Someone else's link is refused, and changes nothing.
    kims = link(bot, ANA, KIM, name="Kim", zone="Europe/Berlin")
    refused = bot.store.run_sync(
        summaries_care.set_preferences, SAM, kims, now, cadence=SummaryCadence.OFF
    )
    assert refused is Refusal.NOT_YOURS
    await walk_to(bot, datetime(2026, 11, 30, 19, 30, tzinfo=UTC))
    assert len(summaries(bot, SAM)) == 3  # Saturday, Sunday and Monday at 20:00
    assert bot.sent_as(SAM, "nights in a row") == []  # off for Sam …
    assert len(bot.sent_as(KIM, "nights in a row")) == 1  # … still on for Kim


async def test_an_opioid_taken_now_alerts_a_full_scope_caregiver_once_while_reminders_pause(
    bot: BotHarness,
) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    link(bot, ANA, SAM, zone="America/Los_Angeles", scope="full")
    link(bot, ANA, KIM, name="Kim", zone="Europe/Berlin", scope="adherence")
    await bot.say(ANA, "my GP gave me Tramal for my back", expect="opioid")
    await bot.tap(ANA, "Yes", expect="paused your LDN reminders")
    await bot.settle()
    [alert] = bot.sent_as(SAM, "🚨")
    assert "Ana may have taken an opioid" in alert and "Tramal" not in alert
    assert bot.sent_as(KIM, "🚨") == []
    # Said again the same day: still one alert; and Sam can acknowledge it.
    await bot.say(ANA, "Tramal again", expect="opioid")
    await bot.tap(ANA, "Yes", expect="paused")
    await bot.settle()
    assert len(bot.sent_as(SAM, "🚨")) == 1
    before = bot.count(ANA)
    await bot.tap(SAM, "Acknowledge", expect="you saw this")
    assert "Sam saw this: my message about an opioid" in bot.reply_after(ANA, before, "saw").body
