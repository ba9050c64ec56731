"""Typed callback data: one small class per button area, packed and parsed in one place.

Callback data is untrusted client input (1–64 bytes): anyone can send any string. A class here is
a frozen dataclass whose fields are ints, decimals, short strings or StrEnums; ``pack`` writes
``v1:<prefix>:<field>:<field>…`` and ``parse`` reads it back strictly, or returns None for
anything that does not fit (a wrong enum value, a huge or signed number, ``NaN``, an extra part).
Handlers still check that the object a button names belongs to the person pressing.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar, Self, get_type_hints

from care.admin_actions import AdminAction
from care.corrections import NightChoice
from care.doses import DoseAction, StepChoice
from care.exports import ExportFormat, ExportPeriod
from care.supply import SupplyAction
from care.views import HistoryPeriod
from titration.caregiving import Scope, SummaryCadence
from titration.dose_form import DoseForm
from titration.dose_time import DoseTime
from titration.screening import Answer, Question

VERSION = "v1"
MAX_BYTES = 64  # Telegram's limit for callback data
_MAX_INT_DIGITS = 18  # fits SQLite's int64
_INT = re.compile(r"0|[1-9][0-9]{0,17}")  # no sign, no leading zeros
_DECIMAL = re.compile(r"(0|[1-9][0-9]{0,2})(\.[0-9]{1,3})?")
_TEXT = re.compile(r"[A-Za-z0-9_/+\-.]{1,40}")


class CallbackData:
    """Base of every callback class; subclasses are frozen dataclasses with a ``prefix``."""

    prefix: ClassVar[str]

    def pack(self) -> str:
        parts = [VERSION, self.prefix]
        for field in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, field.name)
            if value is not None:
                parts.append(_encode(value))
        data = ":".join(parts)
        if len(data.encode()) > MAX_BYTES or type(self).parse(data) != self:
            raise ValueError(f"callback data does not fit its schema: {data!r}")
        return data

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        """The button's data as this class, or None when it does not fit exactly."""
        head = f"{VERSION}:{cls.prefix}:"
        if not data or len(data.encode()) > MAX_BYTES or not data.startswith(head):
            return None
        parts = data[len(head) :].split(":")
        fields = _fields(cls)
        required = sum(1 for _, _, optional in fields if not optional)
        if not required <= len(parts) <= len(fields):
            return None
        values: dict[str, Any] = {}
        for (name, kind, _), text in zip(fields, parts, strict=False):
            value = _decode(kind, text)
            if value is None:
                return None
            values[name] = value
        return cls(**values)

    @classmethod
    def pattern(cls) -> str:
        """A regex for ``CallbackQueryHandler(pattern=...)`` that routes this area."""
        return rf"^{VERSION}:{re.escape(cls.prefix)}:"


_FIELDS: dict[type, list[tuple[str, type, bool]]] = {}


def _fields(cls: type) -> list[tuple[str, type, bool]]:
    """(name, type, optional) of each field, in order; optional ones come last."""
    if cls not in _FIELDS:
        _FIELDS[cls] = _read_fields(cls)
    return _FIELDS[cls]


def _read_fields(cls: type) -> list[tuple[str, type, bool]]:
    hints = get_type_hints(cls)
    found = []
    for field in dataclasses.fields(cls):
        kind = hints[field.name]
        optional = field.default is None
        if optional:  # ``X | None``: the non-None member
            kind = next(a for a in kind.__args__ if a is not type(None))
        found.append((field.name, kind, optional))
    return found


def _encode(value: object) -> str:
    return value.value if isinstance(value, StrEnum) else str(value)


def _decode(kind: type, text: str) -> object | None:
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return kind(text) if text in {m.value for m in kind} else None
    if kind is int:
        return int(text) if _INT.fullmatch(text) and len(text) <= _MAX_INT_DIGITS else None
    if kind is Decimal:
        return Decimal(text) if _DECIMAL.fullmatch(text) else None
    if kind is str:
        return text if _TEXT.fullmatch(text) else None
    raise TypeError(f"unsupported callback field type {kind!r}")


# The areas ----------------------------------------------------------------------------------


class YesNo(StrEnum):
    YES = "yes"
    NO = "no"


class ConfirmChoice(StrEnum):
    START = "yes"
    EDIT = "edit"  # [Change something]: which part? (the three below)
    ZONE = "zone"
    BEDTIME = "bed"
    PLAN = "plan"


class PlanChoice(StrEnum):
    DEFAULT = "default"
    CUSTOM = "custom"
    START = "start"
    STEP = "step"
    INTERVAL = "interval"
    TARGET = "target"


class SettingsChoice(StrEnum):
    BEDTIME = "bedtime"
    ZONE = "zone"
    CHECKIN = "checkin"
    LANGUAGE = "language"
    DOSE_TIME = "dose_time"
    FORM = "form"


class SafetyAction(StrEnum):
    TAKING = "taking"  # "Are you taking it now?" [Yes]
    ASKING = "asking"  # [No, just asking]
    RESUME = "resume"  # /resume after an opioid: [Yes, go on]
    WAIT = "wait"  # [Not yet]


class BenefitAction(StrEnum):
    START = "start"
    LATER = "later"
    PAIN = "pain"
    SLEEP = "sleep"
    FATIGUE = "fatigue"
    MOOD = "mood"
    FOG = "fog"


@dataclasses.dataclass(frozen=True)
class ConsentButton(CallbackData):
    prefix = "ob:consent"
    answer: YesNo


@dataclasses.dataclass(frozen=True)
class ConfirmButton(CallbackData):
    prefix = "ob:confirm"
    choice: ConfirmChoice


@dataclasses.dataclass(frozen=True)
class ScreeningButton(CallbackData):
    prefix = "scr"
    question: Question
    answer: Answer


@dataclasses.dataclass(frozen=True)
class ZoneButton(CallbackData):
    prefix = "zone:pick"
    zone: str


@dataclasses.dataclass(frozen=True)
class TimeButton(CallbackData):
    """A time of day as ``HHMM`` (bedtime or check-in time)."""

    prefix = "bed:pick"
    hhmm: str


@dataclasses.dataclass(frozen=True)
class PlanButton(CallbackData):
    """The usual plan, different numbers, or a value for one field (``value``)."""

    prefix = "plan"
    choice: PlanChoice
    value: Decimal | None = None


@dataclasses.dataclass(frozen=True)
class DoseButton(CallbackData):
    prefix = "dose"
    action: DoseAction
    event_id: int


@dataclasses.dataclass(frozen=True)
class UndoButton(CallbackData):
    """[Undo] under tonight's "taken" or "skipped": the night ``event_id`` open again."""

    prefix = "undo"
    event_id: int


class FixStep(StrEnum):
    LIST = "list"  # [Correct a dose]: the last 7 nights
    PICK = "pick"  # one night picked: [Taken] [Not taken]
    SET = "set"  # the answer for that night


@dataclasses.dataclass(frozen=True)
class FixButton(CallbackData):
    """Correcting a night afterwards, from /today or /history."""

    prefix = "fix"
    step: FixStep
    event_id: int | None = None
    choice: NightChoice | None = None


@dataclasses.dataclass(frozen=True)
class StepButton(CallbackData):
    """[Step up to ``dose``] / [Stay at ``dose``]."""

    prefix = "step"
    choice: StepChoice
    dose: Decimal


@dataclasses.dataclass(frozen=True)
class SettingsButton(CallbackData):
    prefix = "set"
    choice: SettingsChoice


@dataclasses.dataclass(frozen=True)
class DoseTimeButton(CallbackData):
    """[At bedtime] / [In the morning] in /settings."""

    prefix = "dtime"
    choice: DoseTime


@dataclasses.dataclass(frozen=True)
class FormButton(CallbackData):
    """[Capsules] / [Tablets] / [Liquid] in /settings."""

    prefix = "form"
    form: DoseForm


@dataclasses.dataclass(frozen=True)
class SupplyButton(CallbackData):
    """/supply: [Start counting] (no supply yet), or a refill, a new count or [Stop counting]
    for the supply ``supply_id`` (checked against the presser's own)."""

    prefix = "supply"
    action: SupplyAction
    supply_id: int | None = None


@dataclasses.dataclass(frozen=True)
class LanguageButton(CallbackData):
    """[English] / [Deutsch] in /settings: a language code (checked against ``bot.i18n``)."""

    prefix = "lang"
    language: str


@dataclasses.dataclass(frozen=True)
class ForgetButton(CallbackData):
    prefix = "forget"
    answer: YesNo


@dataclasses.dataclass(frozen=True)
class EffectButton(CallbackData):
    """A tap on the morning check-in: an effect's code, ``none`` or ``done``."""

    prefix = "ci"
    choice: str
    checkin_id: int


@dataclasses.dataclass(frozen=True)
class SeverityButton(CallbackData):
    prefix = "sev"
    effect: str
    level: str
    checkin_id: int


@dataclasses.dataclass(frozen=True)
class BenefitButton(CallbackData):
    """The baseline offer's [Yes] / [Later], or a 0–10 score for one measure."""

    prefix = "ben"
    action: BenefitAction
    rating_id: int
    score: int | None = None


@dataclasses.dataclass(frozen=True)
class SafetyButton(CallbackData):
    """The answers after an opioid warning (``substance``: the generic's code, if one was
    named) and the confirmation /resume asks for after one."""

    prefix = "safe"
    action: SafetyAction
    substance: str | None = None


@dataclasses.dataclass(frozen=True)
class ExportFormatButton(CallbackData):
    """/export's first question: which format."""

    prefix = "exp:fmt"
    fmt: ExportFormat


@dataclasses.dataclass(frozen=True)
class ExportPeriodButton(CallbackData):
    """A report's period: the last 3 months or everything."""

    prefix = "exp:per"
    fmt: ExportFormat
    period: ExportPeriod


@dataclasses.dataclass(frozen=True)
class ExportSendButton(CallbackData):
    """[Send] / [Cancel] under the confirmation; ``issued``: the minute it was offered."""

    prefix = "exp:go"
    answer: YesNo
    fmt: ExportFormat
    issued: int
    period: ExportPeriod | None = None


@dataclasses.dataclass(frozen=True)
class HistoryButton(CallbackData):
    """/history's [90 days] / [All] / [30 days]: the chart of ``period`` for ``patient_id``."""

    prefix = "hist"
    period: HistoryPeriod
    patient_id: int


class CareAction(StrEnum):
    """A patient's press about one of their links."""

    ALLOW = "allow"  # [Allow] a caregiver who accepted the invite
    REFUSE = "refuse"
    MANAGE = "show"  # a caregiver's name under /caregivers: what can be done
    SCOPE = "scope"  # share ``scope`` from now on
    REMOVE = "rm"  # [Stop sharing]: asks first
    REMOVE_SURE = "rmok"
    KEEP = "keep"


class FollowAction(StrEnum):
    """A caregiver's press about one link."""

    AGREE = "agree"  # [I agree] under the invite
    DECLINE = "no"
    LEAVE = "leave"  # [Stop following]: asks first
    LEAVE_SURE = "leaveok"
    STAY = "stay"


@dataclasses.dataclass(frozen=True)
class InviteButton(CallbackData):
    """/invite: share ``scope`` with the person invited."""

    prefix = "inv"
    scope: Scope


@dataclasses.dataclass(frozen=True)
class CareButton(CallbackData):
    prefix = "care"
    action: CareAction
    link: int
    scope: Scope | None = None


@dataclasses.dataclass(frozen=True)
class FollowButton(CallbackData):
    prefix = "follow"
    action: FollowAction
    link: int


class Confirm(StrEnum):
    YES = "yes"
    HIGH = "high"  # yes, to a dose above 4.5 mg (its own button)
    NO = "no"


class StaffChangeKind(StrEnum):
    GRANT = "grant"
    REVOKE = "revoke"


@dataclasses.dataclass(frozen=True)
class AdminListButton(CallbackData):
    """/admin: page ``page`` (from 0) of every patient, or only those needing attention."""

    prefix = "adm:list"
    attention: YesNo
    page: int


@dataclasses.dataclass(frozen=True)
class AdminPatientButton(CallbackData):
    prefix = "adm:pt"
    patient_id: int


@dataclasses.dataclass(frozen=True)
class AdminActionButton(CallbackData):
    """A change on a patient's page (asks for a value or a confirmation first)."""

    prefix = "adm:act"
    action: AdminAction
    patient_id: int


@dataclasses.dataclass(frozen=True)
class AdminConfirmButton(CallbackData):
    prefix = "adm:ok"
    action: AdminAction
    patient_id: int
    answer: Confirm


@dataclasses.dataclass(frozen=True)
class AdminAuditButton(CallbackData):
    prefix = "adm:audit"
    page: int


@dataclasses.dataclass(frozen=True)
class StaffButton(CallbackData):
    """[Yes] / [No] under "/grant 123" or "/revoke 123"."""

    prefix = "adm:staff"
    change: StaffChangeKind
    telegram_id: int
    answer: YesNo


class CaregiverAction(StrEnum):
    """A caregiver's press under a summary or an alert (``bot.handlers.caregiving``)."""

    ACKNOWLEDGE = "ack"  # [Acknowledge] under an alert: the care task's id
    SUMMARY = "sum"  # /summary's choice of patient: the link's id


@dataclasses.dataclass(frozen=True)
class CaregiverButton(CallbackData):
    """A caregiver's [Acknowledge] under an alert, or a patient picked for /summary."""

    prefix = "cg"
    action: CaregiverAction
    id: int


class LinkPage(StrEnum):
    """A caregiver's press about one link they follow, under /patients."""

    SHOW = "show"  # the patient's name: what comes and when, and what can be changed
    SUMMARIES = "sum"  # [Summaries]: how often? (asks)
    ALERT = "alert"  # [Missed-dose alert]: after how many nights? (asks)


@dataclasses.dataclass(frozen=True)
class LinkPageButton(CallbackData):
    """/patients: a followed link's page, or one of its questions (``care`` checks the link)."""

    prefix = "fpage"
    action: LinkPage
    link: int


@dataclasses.dataclass(frozen=True)
class CadenceButton(CallbackData):
    """[Weekly] / [Daily] / [Off]: how often summaries about the link's patient come."""

    prefix = "fcad"
    link: int
    cadence: SummaryCadence


@dataclasses.dataclass(frozen=True)
class MissedAlertButton(CallbackData):
    """An alert after ``nights`` missed nights in a row (1–7; 0: off), for the link."""

    prefix = "fmiss"
    link: int
    nights: int


class OwnSetting(StrEnum):
    MENU = "menu"  # [Your time zone and language] under /patients
    ZONE = "zone"
    LANGUAGE = "lang"


@dataclasses.dataclass(frozen=True)
class OwnSettingsButton(CallbackData):
    """A caregiver's own settings (their zone as a caregiver, their language)."""

    prefix = "cgset"
    choice: OwnSetting


class StartAs(StrEnum):
    PATIENT = "patient"


@dataclasses.dataclass(frozen=True)
class StartButton(CallbackData):
    """[Start my own LDN tracking] under a caregiver's /start: the patient's onboarding."""

    prefix = "ob:start"
    role: StartAs


AREAS: tuple[type[CallbackData], ...] = (
    ConsentButton,
    ConfirmButton,
    ScreeningButton,
    ZoneButton,
    TimeButton,
    PlanButton,
    DoseButton,
    UndoButton,
    FixButton,
    StepButton,
    SettingsButton,
    LanguageButton,
    ForgetButton,
    EffectButton,
    SeverityButton,
    BenefitButton,
    SafetyButton,
    ExportFormatButton,
    ExportPeriodButton,
    ExportSendButton,
    HistoryButton,
    InviteButton,
    CareButton,
    FollowButton,
    AdminListButton,
    AdminPatientButton,
    AdminActionButton,
    AdminConfirmButton,
    AdminAuditButton,
    StaffButton,
    CaregiverButton,
    LinkPageButton,
    CadenceButton,
    MissedAlertButton,
    OwnSettingsButton,
    StartButton,
)


class TemplateAction(StrEnum):
    LINK = "link"
    RETIRE = "retire"  # asks first
    RETIRE_YES = "retire_yes"
    CONFIRM = "confirm"  # the high target is intended
    PATIENTS = "patients"
    APPLY = "apply"  # the template's current version to ``patient_id``: asks first
    APPLY_YES = "apply_yes"
    SWITCH = "switch"  # from ``patient_id``'s page: which active template? (template_id 0)
    SWITCH_TO = "switch_to"  # that template for that patient: asks first
    SWITCH_YES = "switch_yes"
    CANCEL = "cancel"


@dataclasses.dataclass(frozen=True)
class TemplateButton(CallbackData):
    """An admin's press under /templates (checked against the presser's role in care)."""

    prefix = "cl:tpl"
    action: TemplateAction
    template_id: int
    patient_id: int | None = None


@dataclasses.dataclass(frozen=True)
class RuleButton(CallbackData):
    """[Yes, change it] under a /setrule preview: the rule and its new value (checked again)."""

    prefix = "cl:rule"
    name: str
    value: int


@dataclasses.dataclass(frozen=True)
class ClinicConsentButton(CallbackData):
    """Consent under a clinic's welcome: the link's code rides along (checked again in care)."""

    prefix = "ob:cconsent"
    answer: YesNo
    code: str
