"""Caregiver links end to end: /invite → the caregiver opens the link → agrees → picks their zone →
the patient allows (or refuses) → both are told; /caregivers and /patients; changing what is
shared, removing and leaving; forged presses, reused, expired, malformed and guessed codes."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest

from bot import care_texts
from bot.callbacks import CareAction, CareButton, FollowAction, FollowButton
from care.caregiving import viewable_link
from care.people import Refusal
from tests.e2e.harness import HANDLER_FLOW, BotHarness, BotOptions
from tests.emulator import SentMessage
from titration import invite_codes
from titration.caregiving import Scope

pytestmark = pytest.mark.e2e
ANA, BEA = 1001, 1002  # patients
SAM, BEN = 2001, 2002  # caregivers
LINK = re.compile(r"https://t\.me/ldn_test_bot\?start=(cg_[A-Za-z0-9_-]+)")


@pytest.fixture
def bot_options() -> BotOptions:
    return HANDLER_FLOW


async def say_as(
    bot: BotHarness,
    user: int,
    text: str,
    name: str,
    *,
    expect: str | None = None,
    language_code: str | None = None,
) -> SentMessage:
    """``bot.say`` from a user with their own first name (and Telegram language)."""
    before = bot.count(user)
    update = bot.emu.send_text(user, text, first_name=name, language_code=language_code)
    await bot.handled(update["update_id"])
    return bot.reply_after(user, before, expect)


async def invite(bot: BotHarness, share: str = "Doses only", patient: int = ANA) -> str:
    await bot.say(patient, "/invite", expect="What should they see?")
    sent = await bot.tap(patient, share, expect="one-time invitation")
    found = LINK.search(sent.body)
    assert found is not None, sent.body
    return found.group(1)


async def join(bot: BotHarness, user: int, code: str, name: str, zone: str = "London") -> None:
    """The caregiver opens the link, agrees and types their city."""
    await say_as(bot, user, f"/start {code}", name, expect="invites you")
    await bot.tap(user, "I agree", expect="Which time zone")
    await say_as(bot, user, zone, name, expect="I've asked")


async def linked(bot: BotHarness, share: str = "Doses only") -> None:
    """Ana invites Sam and allows him."""
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    code = await invite(bot, share)
    await join(bot, SAM, code, "Sam")
    await bot.tap(ANA, "Allow", expect="now follows your updates")


def link_ids(bot: BotHarness) -> list[tuple[int, str, str]]:
    return [(r[0], r[1], r[2]) for r in bot.db("SELECT id, status, scope FROM care_links")]


def viewable(bot: BotHarness, user: int, link_id: int, needs: Scope = Scope.ADHERENCE) -> object:
    assert bot.store is not None
    return bot.store.run_sync(viewable_link, user, link_id, needs)


async def test_invite_open_agree_zone_allow_then_both_lists(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    code = await invite(bot)
    assert len(code) <= 64 and len(code) >= 3 + 22  # ≥ 128 random bits in URL-safe base64
    # Only the code's SHA-256 is stored, never the code.
    stored = bot.db("SELECT code_sha256, scope, patient_name, used_at FROM care_invites")
    assert stored == [(hashlib.sha256(code.encode()).hexdigest(), "adherence", "Ana", None)]
    assert not any(
        code in str(value) for row in bot.db("SELECT * FROM care_invites") for value in row
    )

    opened = await say_as(bot, SAM, f"/start {code}", "Sam", expect="invites you")
    assert opened.body.startswith("Ana invites you") and "/patients" in opened.body
    assert "side effects" not in opened.body  # adherence only
    await bot.tap(SAM, "I agree", expect="Which time zone")
    zone = await say_as(bot, SAM, "London", "Sam", expect="Europe/London")
    assert "it's 12:00 there now" in zone.body  # the harness's clock: 12:00 UTC
    asked = bot.reply_after(ANA, 0, "Sam accepted your invitation")
    assert [b["text"] for b in asked.buttons()] == ["Allow", "Refuse"]
    [(link_id, status, _)] = link_ids(bot)
    assert status == "awaiting_patient"
    assert viewable(bot, SAM, link_id) is Refusal.SHARING_ENDED  # nothing before [Allow]

    before_sam = bot.count(SAM)
    await bot.tap(ANA, "Allow", expect="Sam now follows your updates")
    told = bot.reply_after(SAM, before_sam, "Ana said yes")
    assert "doses taken" in told.body
    assert link_ids(bot) == [(link_id, "active", "adherence")]
    assert bot.db("SELECT zone_name, name, language FROM caregivers") == [
        ("Europe/London", "Sam", "en")
    ]

    listing = await bot.say(ANA, "/caregivers", expect="Who follows your updates")
    assert "Sam: doses only, since Sat 28 Nov" in listing.body
    following = await say_as(bot, SAM, "/patients", "Sam", expect="Whose updates you follow")
    assert "Ana: doses only, since Sat 28 Nov" in following.body
    # The caregiver's view is audited, as a caregiver, without health data.
    assert bot.db(
        "SELECT actor_telegram_id, actor_role, target_patient_id, detail FROM audit_log "
        "WHERE action = 'caregiver.viewed'"
    ) == [(SAM, "caregiver", 1, f"link={link_id} view=patients")]
    # Menus: patients get /invite and /caregivers; Sam's chat gets the caregiver's commands.
    default = [c["command"] for c in bot.emu.commands()]
    assert "invite" in default and "caregivers" in default and "patients" not in default
    sams = [c["command"] for c in bot.emu.commands({"type": "chat", "chat_id": SAM})]
    assert sams == ["patients", "summary", "settings", "export", "forget", "help"]
    # The used code cannot be used again, by anyone.
    refused = await say_as(bot, BEN, f"/start {code}", "Ben", expect="doesn't work")
    assert refused.body == care_texts.code_not_valid()
    assert len(link_ids(bot)) == 1


async def test_the_patient_refuses_and_both_are_told(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    await join(bot, SAM, await invite(bot), "Sam")
    before_sam = bot.count(SAM)
    await bot.tap(ANA, "Refuse", expect="nothing is shared with Sam")
    bot.reply_after(SAM, before_sam, "decided not to share")
    assert [status for _, status, _ in link_ids(bot)] == ["refused"]
    await say_as(bot, SAM, "/patients", "Sam", expect="don't follow anyone")
    await bot.say(ANA, "/caregivers", expect="Nobody follows your updates")


async def test_the_caregiver_says_no_thanks_and_nothing_is_asked(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    code = await invite(bot)
    await say_as(bot, SAM, f"/start {code}", "Sam", expect="invites you")
    before_ana = bot.count(ANA)
    await bot.tap(SAM, "No thanks", expect="Nothing is shared with you")
    assert link_ids(bot) == [] and bot.count(ANA) == before_ana


async def test_cancel_at_the_zone_question_drops_the_invitation(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    code = await invite(bot)
    await say_as(bot, SAM, f"/start {code}", "Sam", expect="invites you")
    await bot.tap(SAM, "I agree", expect="Which time zone")
    before_ana = bot.count(ANA)
    await say_as(bot, SAM, "/cancel", "Sam", expect="Nothing is shared")
    await say_as(bot, SAM, "London", "Sam", expect="You follow the updates")  # nobody asked
    assert link_ids(bot) == [] and bot.count(ANA) == before_ana


async def test_change_scope_then_remove_tells_the_caregiver_only_that_it_ended(
    bot: BotHarness,
) -> None:
    await linked(bot)
    [(link_id, _, _)] = link_ids(bot)
    assert viewable(bot, SAM, link_id, Scope.FULL) is Refusal.OUT_OF_SCOPE
    await bot.say(ANA, "/caregivers", expect="Tap a name")
    await bot.tap(ANA, "Sam", expect="Sam sees: doses taken")
    before_sam = bot.count(SAM)
    await bot.tap(ANA, "Doses, side effects and benefits", expect="Saved: Sam now sees")
    bot.reply_after(SAM, before_sam, "changed what they share with you")
    assert link_ids(bot) == [(link_id, "active", "full")]
    link = viewable(bot, SAM, link_id, Scope.FULL)
    assert not isinstance(link, Refusal)

    await bot.say(ANA, "/caregivers", expect="Tap a name")
    await bot.tap(ANA, "Sam", expect="What would you like to do?")
    await bot.tap(ANA, "Stop sharing with Sam", expect="not why")
    await bot.tap(ANA, "Keep it as it is", expect="nothing changed")
    assert link_ids(bot) == [(link_id, "active", "full")]
    await bot.say(ANA, "/caregivers", expect="Tap a name")
    await bot.tap(ANA, "Sam", expect="What would you like to do?")
    await bot.tap(ANA, "Stop sharing with Sam", expect="not why")
    before_sam = bot.count(SAM)
    await bot.tap(ANA, "Yes, stop sharing", expect="Sam no longer sees anything")
    ended = [m.body for m in bot.emu.messages(SAM)[before_sam:]]
    assert ended == [care_texts.sharing_ended("Ana")]  # that it ended: no reason, no data
    assert link_ids(bot) == [(link_id, "ended", "full")]
    assert viewable(bot, SAM, link_id) is Refusal.SHARING_ENDED
    await say_as(bot, SAM, "/patients", "Sam", expect="don't follow anyone")


async def test_the_caregiver_leaves_and_the_patient_is_told(bot: BotHarness) -> None:
    await linked(bot)
    await say_as(bot, SAM, "/patients", "Sam", expect="Whose updates")
    await bot.tap(SAM, "Ana: summaries and alerts", expect="what you receive")
    await bot.tap(SAM, "Stop following Ana", expect="Ana will be told")
    before_ana = bot.count(ANA)
    await bot.tap(SAM, "Yes, stop", expect="no longer receive Ana's updates")
    bot.reply_after(ANA, before_ana, "Sam stopped following your updates")
    assert [status for _, status, _ in link_ids(bot)] == ["ended"]


async def test_forged_presses_for_other_links_patients_and_scopes_are_refused(
    bot: BotHarness,
) -> None:
    await linked(bot)
    [(link_id, _, _)] = link_ids(bot)
    # Bea, another patient, with Ben waiting for her answer.
    bot.seed_patient(BEA, zone="Europe/Berlin", bedtime="22:00")
    await join(bot, BEN, await invite(bot, patient=BEA), "Ben")
    beas_link = max(i for i, _, _ in link_ids(bot))
    sams_message = bot.emu.messages(SAM)[-1].message_id
    anas_message = bot.emu.messages(ANA)[-1].message_id
    bens_message = bot.emu.messages(BEN)[-1].message_id
    forged = [
        # Sam widens his own scope, removes or allows links as if he were a patient.
        (SAM, sams_message, CareButton(CareAction.SCOPE, link_id, Scope.FULL)),
        (SAM, sams_message, CareButton(CareAction.ALLOW, beas_link)),
        # Ana allows Bea's caregiver, removes Bea's link, leaves as if she were Sam.
        (ANA, anas_message, CareButton(CareAction.ALLOW, beas_link)),
        (ANA, anas_message, CareButton(CareAction.REMOVE_SURE, beas_link)),
        (ANA, anas_message, FollowButton(FollowAction.LEAVE_SURE, link_id)),
        # Ben leaves Sam's link, agrees to it, opens a link id that does not exist.
        (BEN, bens_message, FollowButton(FollowAction.LEAVE_SURE, link_id)),
        (BEN, bens_message, FollowButton(FollowAction.AGREE, link_id)),
        (BEN, bens_message, FollowButton(FollowAction.LEAVE, 999)),
    ]
    before = link_ids(bot)
    for user, message_id, data in forged:
        count = await bot.forge(user, message_id, data.pack())
        answers = [m.body for m in bot.emu.messages(user)[count:]]
        assert len(answers) == 1 and answers[0] in REFUSED, (data, answers)
    assert link_ids(bot) == before
    assert viewable(bot, BEN, link_id) is Refusal.NOT_YOURS
    assert viewable(bot, ANA, link_id) is Refusal.NOT_CAREGIVER


REFUSED = (
    "Sorry, that button isn't for you.",
    "That is for caregivers. You follow nobody's updates here yet.",
    "Sorry, that button isn't valid any more.",
)


async def test_reused_expired_malformed_and_guessed_codes_are_refused_then_limited(
    bot: BotHarness,
) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    expiring = await invite(bot)
    await bot.advance(timedelta(hours=73))
    attempts = [
        expiring,  # expired
        "cg_short",  # malformed
        "cg_" + "a" * 40,  # too long
        "cg_" + "!" * 32,  # characters no link carries
        "cg_" + "A" * 32,  # well formed, guessed
    ]
    for code in attempts:
        sent = await say_as(bot, BEN, f"/start {code}", "Ben", expect=None)
        assert sent.body == care_texts.code_not_valid()
    fresh = await invite(bot)
    limited = await say_as(bot, BEN, f"/start {fresh}", "Ben", expect=None)
    assert limited.body == care_texts.too_many_tries()  # even a good code, once over the limit
    before = bot.count(BEN)
    await bot.handled(bot.emu.send_text(BEN, "/start cg_" + "B" * 32)["update_id"])
    assert bot.count(BEN) == before  # silence from now on
    assert link_ids(bot) == []
    # An hour later Ben may try again, and the unused invitation still works.
    await bot.advance(timedelta(minutes=61))
    await say_as(bot, BEN, f"/start {fresh}", "Ben", expect="invites you")


async def test_own_invite_and_the_sixth_pending_invite(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    code = await invite(bot)
    await bot.say(ANA, f"/start {code}", expect="your own invitation")
    for _ in range(4):
        await invite(bot)
    await bot.say(ANA, "/invite", expect="What should they see?")
    await bot.tap(ANA, "Doses only", expect="You already have 5 invitations")
    assert bot.db("SELECT COUNT(*) FROM care_invites") == [(5,)]
    await bot.say(ANA, "/caregivers", expect="5 invitations are waiting to be opened")


async def test_a_caregiver_who_is_also_a_patient_keeps_both_roles_apart(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    bot.seed_patient(BEA, zone="America/New_York", bedtime="23:00")
    await join(bot, BEA, await invite(bot), "Bea", zone="New York")
    await bot.tap(ANA, "Allow", expect="Bea now follows")
    # Bea's patient commands act on her own record, her caregiver commands on the link.
    await say_as(bot, BEA, "/caregivers", "Bea", expect="Nobody follows your updates")
    await say_as(bot, BEA, "/patients", "Bea", expect="Ana: doses only")
    today = await say_as(bot, BEA, "/today", "Bea", expect=None)
    assert "23:00" in today.body
    menu = [c["command"] for c in bot.emu.commands({"type": "chat", "chat_id": BEA})]
    assert "today" in menu and "invite" in menu and "patients" in menu
    help_text = await say_as(bot, BEA, "/help", "Bea", expect="/patients")
    assert "/today" in help_text.body
    # Her language, chosen as a patient, is her chat menu's language too.
    await say_as(bot, BEA, "/settings", "Bea", expect="What would you like")
    await bot.tap(BEA, "Language", expect="Which language")
    await bot.tap(BEA, "Deutsch", expect=None)
    menu = bot.emu.commands({"type": "chat", "chat_id": BEA})
    assert [c["description"] for c in menu if c["command"] == "patients"] == [
        "Wessen Neuigkeiten du folgst"
    ]
    # Her /forget ends both: Ana is told Bea stopped following.
    await say_as(bot, BEA, "/forget", "Bea", expect="rückgängig")
    before_ana = bot.count(ANA)
    await bot.tap(BEA, "Alles löschen", expect="alles ist gelöscht")
    bot.reply_after(ANA, before_ana, "Bea stopped following your updates")  # in Ana's English
    assert bot.db("SELECT COUNT(*) FROM caregivers") == [(0,)]
    assert bot.db("SELECT COUNT(*) FROM care_links") == [(0,)]


async def test_the_patients_forget_ends_sharing_at_once(bot: BotHarness) -> None:
    await linked(bot, share="Doses, side effects and benefits")
    [(link_id, _, _)] = link_ids(bot)
    await bot.say(ANA, "/forget", expect="can't be undone")
    before_sam = bot.count(SAM)
    await bot.tap(ANA, "Delete everything", expect="everything is deleted")
    assert [m.body for m in bot.emu.messages(SAM)[before_sam:]] == [care_texts.sharing_ended("Ana")]
    assert link_ids(bot) == []
    assert viewable(bot, SAM, link_id) is Refusal.NOT_YOURS  # the link is gone
    await say_as(bot, SAM, "/patients", "Sam", expect="don't follow anyone")


async def test_a_caregivers_forget_removes_them(bot: BotHarness) -> None:
    await linked(bot)
    await say_as(bot, SAM, "/forget", "Sam", expect="whose updates you follow")
    before_ana = bot.count(ANA)
    await bot.tap(SAM, "Delete everything", expect="everything is deleted")
    bot.reply_after(ANA, before_ana, "Sam stopped following")
    assert bot.db("SELECT COUNT(*) FROM caregivers") == [(0,)]
    assert bot.db("SELECT COUNT(*) FROM care_links") == [(0,)]
    assert bot.emu.commands({"type": "chat", "chat_id": SAM}) == []
    await bot.say(ANA, "/caregivers", expect="Nobody follows")


async def test_a_german_caregiver_reads_german(bot: BotHarness) -> None:
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    code = await invite(bot)
    opened = await say_as(bot, SAM, f"/start {code}", "Sam", expect="Ana", language_code="de")
    assert "lädt dich ein" in opened.body
    await bot.tap(SAM, "Einverstanden", expect="Zeitzone")
    await say_as(bot, SAM, "Berlin", "Sam", expect="Ana gebeten")
    before_sam = bot.count(SAM)
    await bot.tap(ANA, "Allow", expect="Sam now follows")  # Ana reads English
    bot.reply_after(SAM, before_sam, "Ana hat zugestimmt")
    assert bot.db("SELECT language FROM caregivers") == [("de",)]
    # From now on the caregiver row's language counts, whatever Telegram's app says.
    await say_as(bot, SAM, "/patients", "Sam", expect="Wessen Neuigkeiten", language_code="en")
    menu = bot.emu.commands({"type": "chat", "chat_id": SAM})
    assert menu[0]["command"] == "patients" and "folgst" in menu[0]["description"]


async def test_ten_thousand_guessed_codes_link_nobody_and_the_bot_stays_responsive(
    bot: BotHarness,
) -> None:
    """Brute force: 10,000 well-formed random codes from one person, in bursts of 8 (within a
    chat's backlog, so none is dropped as a flood: every one reaches the code check). Five are
    refused, the sixth says "wait an hour", the rest get no answer and are not even looked up;
    nothing links, and a normal command is answered at once after."""
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    real = await invite(bot)
    for _ in range(10_000 // 8):
        for _ in range(8):
            last = bot.emu.send_text(BEN, f"/start {invite_codes.new_code()}", first_name="Ben")[
                "update_id"
            ]
        await bot.handled(last)
    guesses = bot.db("SELECT COUNT(*) FROM care_code_attempts")
    assert guesses and guesses[0][0] >= 1  # the failures were counted, per person
    answers = [m.body for m in bot.emu.messages(BEN)]
    assert answers == [care_texts.code_not_valid()] * 5 + [care_texts.too_many_tries()]
    assert link_ids(bot) == [] and bot.db("SELECT COUNT(*) FROM caregivers") == [(0,)]
    assert bot.db("SELECT used_at FROM care_invites") == [(None,)]
    # Even the real code, from the guesser, waits for the hour to pass.
    await bot.handled(bot.emu.send_text(BEN, f"/start {real}", first_name="Ben")["update_id"])
    assert bot.count(BEN) == 6
    await say_as(bot, BEN, "/help", "Ben", expect="Here's what I can do")


async def test_a_caregiver_types_a_city_in_german_and_a_misspelling_is_only_offered(
    bot: BotHarness,
) -> None:
    """The caregiver's zone question reads places as onboarding does (the gazetteer): "München"
    is Europe/Berlin; a misspelt city is offered as buttons, never saved untapped."""
    bot.seed_patient(ANA, zone="Europe/Berlin", bedtime="22:00")
    await say_as(bot, SAM, f"/start {await invite(bot)}", "Sam", expect="invites you")
    await bot.tap(SAM, "I agree", expect="Which time zone")
    offered = await say_as(bot, SAM, "Hamburgg", "Sam")
    assert any("Hamburg" in b["text"] for b in offered.buttons())
    assert bot.db("SELECT zone_name FROM caregivers") == [(None,)]
    await say_as(bot, SAM, "München", "Sam", expect="Europe/Berlin")
    assert bot.db("SELECT zone_name FROM caregivers") == [("Europe/Berlin",)]
