"""Invite codes (made, fingerprinted, recognised) and the care functions of caregiver links:
consent on both sides, the boundary every caregiver view passes, and the guessing limit."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from care import clinic, invites, links
from care.caregiving import viewable_link
from care.clinic import OPERATOR
from care.invites import JoinOutcome, OpenOutcome
from care.people import Refusal
from storage.caregivers import Link
from storage.db import Store
from tests.seeding import onboarded_patient
from titration import invite_codes
from titration.caregiving import Scope

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
ANA, BEA, SAM, BEN = 1001, 1002, 2001, 2002


# Codes ----------------------------------------------------------------------------------------


def test_codes_are_url_safe_short_random_and_recognised() -> None:
    codes = {invite_codes.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert invite_codes.RANDOM_BYTES * 8 >= 128
    for code in codes:
        assert len(code) <= 64 and re.fullmatch(r"[A-Za-z0-9_-]+", code)
        assert invite_codes.well_formed(code) and invite_codes.is_invite(code)


def test_only_the_sha256_is_kept() -> None:
    code = invite_codes.new_code()
    assert invite_codes.fingerprint(code) == hashlib.sha256(code.encode()).hexdigest()
    assert code not in invite_codes.fingerprint(code)


@pytest.mark.parametrize(
    "code",
    ["", "cg_", "cg_short", "cg_" + "a" * 31, "cg_" + "a" * 33, "cg_" + "!" * 32, "xx_" + "a" * 32],
    ids=["empty", "prefix", "short", "one-less", "one-more", "bad-characters", "other-prefix"],
)
def test_malformed_codes_are_not_well_formed(code: str) -> None:
    assert not invite_codes.well_formed(code)


# Care functions -------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "ldn.db")
    for patient in (ANA, BEA):
        opened.run_sync(onboarded_patient, patient, zone="Europe/Berlin", bedtime="22:00", now=NOW)
    yield opened
    opened.close()


def code_of(store: Store, scope: Scope = Scope.ADHERENCE, patient: int = ANA) -> str:
    made = store.run_sync(invites.invite, patient, scope, "Ana", NOW)
    assert isinstance(made, invites.Invitation) and made.code is not None
    return made.code


def joined(store: Store, caregiver: int, code: str, at: datetime = NOW) -> Link:
    """Opened, agreed and zoned: waiting for the patient."""
    opened = store.run_sync(invites.open_invite, caregiver, code, "Sam", "en", at)
    assert opened.outcome is OpenOutcome.OPENED and opened.link is not None
    agreed = store.run_sync(invites.agree, caregiver, opened.link.id, at)
    assert isinstance(agreed, invites.Joining)
    if agreed.outcome is JoinOutcome.ASK_ZONE:
        agreed = store.run_sync(invites.choose_zone, caregiver, "Europe/London", at)
        assert isinstance(agreed, invites.Joining)
    [ask] = agreed.asks
    return ask.link


def test_nothing_is_viewable_before_the_patient_allows_and_only_within_scope(
    store: Store,
) -> None:
    link = joined(store, SAM, code_of(store))
    assert store.run_sync(viewable_link, SAM, link.id) is Refusal.SHARING_ENDED
    # Only the patient the link names may allow it.
    assert store.run_sync(invites.decide, BEA, link.id, True, NOW) is Refusal.NOT_YOURS
    assert store.run_sync(invites.decide, SAM, link.id, True, NOW) is Refusal.NOT_YOURS
    decided = store.run_sync(invites.decide, ANA, link.id, True, NOW)
    assert isinstance(decided, invites.Decided) and decided.link.active
    assert store.run_sync(invites.decide, ANA, link.id, False, NOW) is Refusal.STALE
    seen = store.run_sync(viewable_link, SAM, link.id)
    assert isinstance(seen, Link) and seen.id == link.id
    assert store.run_sync(viewable_link, SAM, link.id, Scope.FULL) is Refusal.OUT_OF_SCOPE
    assert store.run_sync(viewable_link, BEN, link.id) is Refusal.NOT_CAREGIVER
    assert store.run_sync(viewable_link, ANA, link.id) is Refusal.NOT_CAREGIVER
    assert store.run_sync(viewable_link, SAM, link.id + 1) is Refusal.NOT_YOURS
    # Another caregiver of another patient cannot see Sam's link.
    joined(store, BEN, code_of(store, patient=BEA))
    assert store.run_sync(viewable_link, BEN, link.id) is Refusal.NOT_YOURS
    changed = store.run_sync(links.change_scope, ANA, link.id, Scope.FULL, NOW)
    assert isinstance(changed, links.Changed)
    assert isinstance(store.run_sync(viewable_link, SAM, link.id, Scope.FULL), Link)
    assert store.run_sync(links.change_scope, SAM, link.id, Scope.FULL, NOW) is Refusal.NOT_YOURS
    removed = store.run_sync(links.remove, ANA, link.id, NOW)
    assert isinstance(removed, links.Changed) and removed.tell is not None
    assert (removed.tell.chat_id, removed.tell.name) == (SAM, "Ana")
    assert store.run_sync(viewable_link, SAM, link.id) is Refusal.SHARING_ENDED
    assert store.run_sync(links.remove, ANA, link.id, NOW) is Refusal.STALE


def test_a_code_is_single_use_and_expires_after_72_hours(store: Store) -> None:
    code = code_of(store)
    joined(store, SAM, code)
    again = store.run_sync(invites.open_invite, BEN, code, "Ben", "en", NOW)
    assert again.outcome is OpenOutcome.NOT_VALID
    late = code_of(store)
    expiry = NOW + invite_codes.VALID_FOR
    just_in_time = store.run_sync(
        invites.open_invite, BEN, late, "Ben", "en", expiry - timedelta(seconds=1)
    )
    assert just_in_time.outcome is OpenOutcome.OPENED
    expired = code_of(store)
    too_late = store.run_sync(invites.open_invite, BEN, expired, "Ben", "en", expiry)
    assert too_late.outcome is OpenOutcome.NOT_VALID


def test_at_most_five_pending_invites_and_expired_ones_do_not_count(store: Store) -> None:
    for _ in range(invite_codes.MAX_PENDING):
        code_of(store)
    full = store.run_sync(invites.invite, ANA, Scope.FULL, "Ana", NOW)
    assert full == invites.Invitation(invites.InviteOutcome.TOO_MANY)
    later = NOW + invite_codes.VALID_FOR
    made = store.run_sync(invites.invite, ANA, Scope.FULL, "Ana", later)
    assert isinstance(made, invites.Invitation) and made.code is not None
    # A patient who has not started their plan cannot invite.
    assert store.run_sync(invites.invite, SAM, Scope.FULL, "Sam", NOW) is Refusal.NEED_START


def test_guessing_is_limited_per_person_and_hour(store: Store) -> None:
    outcomes = [
        store.run_sync(invites.open_invite, BEN, invite_codes.new_code(), "Ben", "en", NOW).outcome
        for _ in range(invites.FAILURES_ALLOWED + 2)
    ]
    assert outcomes == [OpenOutcome.NOT_VALID] * invites.FAILURES_ALLOWED + [
        OpenOutcome.TOO_MANY_TRIES,
        OpenOutcome.IGNORED,
    ]
    good = code_of(store)
    refused = store.run_sync(invites.open_invite, BEN, good, "Ben", "en", NOW)
    assert refused.outcome is OpenOutcome.IGNORED  # no oracle while limited
    # Someone else is not limited by Ben's guesses; Ben is again after the hour.
    other = store.run_sync(invites.open_invite, SAM, invite_codes.new_code(), "Sam", "en", NOW)
    assert other.outcome is OpenOutcome.NOT_VALID
    hour_later = NOW + timedelta(hours=1)
    opened = store.run_sync(invites.open_invite, BEN, good, "Ben", "en", hour_later)
    assert opened.outcome is OpenOutcome.OPENED


def test_own_invite_already_linked_and_declining(store: Store) -> None:
    code = code_of(store)
    own = store.run_sync(invites.open_invite, ANA, code, "Ana", "en", NOW)
    assert own.outcome is OpenOutcome.OWN_INVITE
    joined(store, SAM, code)  # the patient's own try did not use it up
    second = store.run_sync(invites.open_invite, SAM, code_of(store), "Sam", "en", NOW)
    assert second.outcome is OpenOutcome.ALREADY_LINKED
    opened = store.run_sync(invites.open_invite, BEN, code_of(store), "Ben", "de", NOW)
    assert opened.link is not None
    assert store.run_sync(invites.agree, SAM, opened.link.id, NOW) is Refusal.NOT_YOURS
    declined = store.run_sync(invites.decline, BEN, opened.link.id, NOW)
    assert isinstance(declined, invites.Joining) and declined.outcome is JoinOutcome.DECLINED
    assert store.run_sync(invites.agree, BEN, opened.link.id, NOW) is Refusal.NOT_YOURS


def test_a_second_invitation_skips_the_zone_question(store: Store) -> None:
    joined(store, SAM, code_of(store))
    opened = store.run_sync(invites.open_invite, SAM, code_of(store, patient=BEA), "Sam", "en", NOW)
    assert opened.link is not None
    agreed = store.run_sync(invites.agree, SAM, opened.link.id, NOW)
    assert isinstance(agreed, invites.Joining)
    assert agreed.outcome is JoinOutcome.PATIENT_ASKED and agreed.asks[0].to.chat_id == BEA


def test_a_new_link_gets_the_clinics_alert_default_and_older_links_keep_theirs(
    store: Store,
) -> None:
    before = joined(store, SAM, code_of(store))
    assert before.missed_alert_after == 2  # the clinic's default, unchanged
    changed = store.run_sync(clinic.set_rule, OPERATOR, "caregiver_missed_alert", "4", NOW)
    assert isinstance(changed, clinic.RuleResult) and changed.problem is None
    after = joined(store, BEN, code_of(store))
    assert after.missed_alert_after == 4
    store.run_sync(clinic.set_rule, OPERATOR, "caregiver_missed_alert", "off", NOW)
    off = joined(store, BEN, code_of(store, patient=BEA))
    assert off.missed_alert_after is None  # no missed-nights alert on this link
    kept = {link.id: link.missed_alert_after for link in (before, after)}
    stored = store.run_sync(
        lambda db: dict(db.execute("SELECT id, missed_alert_after FROM care_links").fetchall())
    )
    assert stored == {**kept, off.id: None}
