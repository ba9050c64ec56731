"""Typed callback data: every area packs within Telegram's 64 bytes and parses back strictly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callbacks import (
    AREAS,
    MAX_BYTES,
    AdminActionButton,
    AdminAuditButton,
    AdminConfirmButton,
    AdminListButton,
    AdminPatientButton,
    BenefitAction,
    BenefitButton,
    CadenceButton,
    CallbackData,
    CareAction,
    CareButton,
    CaregiverAction,
    CaregiverButton,
    Confirm,
    ConfirmButton,
    ConfirmChoice,
    ConsentButton,
    DoseButton,
    EffectButton,
    ExportFormatButton,
    ExportPeriodButton,
    ExportSendButton,
    FixButton,
    FixStep,
    FollowAction,
    FollowButton,
    ForgetButton,
    HistoryButton,
    InviteButton,
    LanguageButton,
    LinkPage,
    LinkPageButton,
    MissedAlertButton,
    OwnSetting,
    OwnSettingsButton,
    PlanButton,
    PlanChoice,
    SafetyAction,
    SafetyButton,
    ScreeningButton,
    SettingsButton,
    SettingsChoice,
    SeverityButton,
    StaffButton,
    StaffChangeKind,
    StartAs,
    StartButton,
    StepButton,
    TimeButton,
    UndoButton,
    YesNo,
    ZoneButton,
)
from care.admin_actions import AdminAction
from care.corrections import NightChoice
from care.doses import DoseAction, StepChoice
from care.exports import ExportFormat, ExportPeriod
from care.safety import OPIOID_GENERICS
from care.views import HistoryPeriod
from titration.caregiving import Scope, SummaryCadence
from titration.screening import Answer, Question

BIGGEST_ID = 10**18 - 1  # the largest id a button may carry (SQLite's int64 has room)

# The longest value of every field each area carries.
LONGEST: list[CallbackData] = [
    ConsentButton(YesNo.YES),
    ConfirmButton(ConfirmChoice.EDIT),
    ScreeningButton(Question.PROVIDER_KNOWS, Answer.UNSURE),
    ZoneButton("America/Argentina/ComodRivadavia"),
    TimeButton("2330"),
    PlanButton(PlanChoice.INTERVAL, Decimal("14")),
    DoseButton(DoseAction.SNOOZE, BIGGEST_ID),
    UndoButton(BIGGEST_ID),
    FixButton(FixStep.SET, BIGGEST_ID, NightChoice.NOT_TAKEN),
    StepButton(StepChoice.STAY, Decimal("4.25")),
    SettingsButton(SettingsChoice.LANGUAGE),
    LanguageButton("de"),
    ForgetButton(YesNo.NO),
    EffectButton("done", BIGGEST_ID),
    SeverityButton("pf", "s", BIGGEST_ID),
    BenefitButton(BenefitAction.FATIGUE, BIGGEST_ID, 10),
    SafetyButton(SafetyAction.TAKING, max(OPIOID_GENERICS, key=len)),
    ExportFormatButton(ExportFormat.FHIR),
    ExportPeriodButton(ExportFormat.FHIR, ExportPeriod.RECENT),
    ExportSendButton(YesNo.YES, ExportFormat.FHIR, BIGGEST_ID, ExportPeriod.RECENT),
    HistoryButton(HistoryPeriod.QUARTER, BIGGEST_ID),
    InviteButton(Scope.ADHERENCE),
    CareButton(CareAction.REMOVE_SURE, BIGGEST_ID, Scope.ADHERENCE),
    FollowButton(FollowAction.LEAVE_SURE, BIGGEST_ID),
    AdminListButton(YesNo.YES, BIGGEST_ID),
    AdminPatientButton(BIGGEST_ID),
    AdminActionButton(AdminAction.RELEASE, BIGGEST_ID),
    AdminConfirmButton(AdminAction.RELEASE, BIGGEST_ID, Confirm.HIGH),
    AdminAuditButton(BIGGEST_ID),
    StaffButton(StaffChangeKind.REVOKE, BIGGEST_ID, YesNo.YES),
    CaregiverButton(CaregiverAction.ACKNOWLEDGE, BIGGEST_ID),
    LinkPageButton(LinkPage.SUMMARIES, BIGGEST_ID),
    CadenceButton(BIGGEST_ID, SummaryCadence.WEEKLY),
    MissedAlertButton(BIGGEST_ID, 7),
    OwnSettingsButton(OwnSetting.LANGUAGE),
    StartButton(StartAs.PATIENT),
]


def test_every_area_is_covered() -> None:
    assert {type(button) for button in LONGEST} == set(AREAS)


@pytest.mark.parametrize("button", LONGEST, ids=lambda b: type(b).__name__)
def test_longest_data_fits_and_round_trips(button: CallbackData) -> None:
    data = button.pack()
    assert len(data.encode()) <= MAX_BYTES
    assert type(button).parse(data) == button
    # No other area takes it for its own.
    assert [area for area in AREAS if area.parse(data) is not None] == [type(button)]


def test_wire_format() -> None:
    assert DoseButton(DoseAction.TAKEN, 123).pack() == "v1:dose:taken:123"
    assert StepButton(StepChoice.UP, Decimal("1.5")).pack() == "v1:step:up:1.5"
    assert BenefitButton(BenefitAction.START, 7).pack() == "v1:ben:start:7"
    assert PlanButton(PlanChoice.DEFAULT).pack() == "v1:plan:default"
    sending = ExportSendButton(YesNo.YES, ExportFormat.PDF, 29_000_000, ExportPeriod.ALL)
    assert sending.pack() == "v1:exp:go:yes:pdf:29000000:all"
    assert ExportSendButton(YesNo.NO, ExportFormat.JSON, 7).pack() == "v1:exp:go:no:json:7"
    assert HistoryButton(HistoryPeriod.ALL, 42).pack() == "v1:hist:all:42"
    assert HistoryButton.parse("v1:hist:365:42") is None  # only the periods offered


@pytest.mark.parametrize(
    ("area", "data"),
    [
        (DoseButton, None),
        (DoseButton, ""),
        (DoseButton, "v2:dose:taken:1"),
        (DoseButton, "v1:dose:taken:1;DROP TABLE"),
        (DoseButton, "v1:DOSE:taken:1"),
        (DoseButton, "v1:dose:explode:1"),
        (DoseButton, "v1:dose:taken:-1"),
        (DoseButton, "v1:dose:taken:99999999999999999999"),
        (DoseButton, "v1:dose:taken:１２"),  # full-width digits
        (DoseButton, "v1:dose:taken:1:2"),
        (DoseButton, "v1:dose"),
        (ConsentButton, "v1:ob:consent:yes!"),
        (StepButton, "v1:step:up:sNaN"),
        (StepButton, "v1:step:up:NaN"),
        (StepButton, "v1:step:up:1e3"),
        (StepButton, "v1:step:up:45.0000"),
        (BenefitButton, "v1:ben:start:99999999999999999999"),
        (BenefitButton, "v1:ben:pain:1:²"),
        (ZoneButton, "v1:zone:pick:" + "A" * 60),
        (ZoneButton, "v1:zone:pick:Europe/Berlin\n"),
    ],
)
def test_off_schema_data_is_refused(area: type[CallbackData], data: str | None) -> None:
    assert area.parse(data) is None


def test_pack_refuses_what_parse_would_refuse() -> None:
    with pytest.raises(ValueError, match="schema"):
        ZoneButton("A" * 60).pack()
    with pytest.raises(ValueError, match="schema"):
        DoseButton(DoseAction.TAKEN, 10**19).pack()


@given(st.text(max_size=80))
def test_any_text_parses_to_none_or_a_valid_button(data: str) -> None:
    for area in AREAS:
        parsed = area.parse(data)
        assert parsed is None or parsed.pack() == data


@pytest.mark.parametrize("data", ["v1:dose:taken:007", "v1:plan:interval:014", "v1:step:up:01.5"])
def test_one_spelling_per_value(data: str) -> None:
    assert all(area.parse(data) is None for area in AREAS)
