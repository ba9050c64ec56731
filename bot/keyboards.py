"""Inline and reply keyboards: buttons over typing, a few per row for thumbs on a phone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time
from decimal import Decimal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot import correction_texts, dose_texts, history_texts, i18n, privacy_texts, safety_texts
from bot import form_texts as form_words
from bot import onboarding_texts as onboarding_words
from bot import settings_texts as settings_words
from bot import supply_texts as supply_words
from bot.callbacks import (
    CallbackData,
    ClinicConsentButton,
    ConfirmButton,
    ConfirmChoice,
    ConsentButton,
    DoseButton,
    DoseTimeButton,
    FixButton,
    FixStep,
    ForgetButton,
    FormButton,
    HistoryButton,
    LanguageButton,
    PlanButton,
    PlanChoice,
    SafetyAction,
    SafetyButton,
    ScreeningButton,
    SettingsButton,
    SettingsChoice,
    StepButton,
    SupplyButton,
    TimeButton,
    UndoButton,
    YesNo,
    ZoneButton,
)
from bot.i18n import mg
from care.corrections import CorrectableNight, NightChoice
from care.doses import DoseAction, StepChoice
from care.supply import SupplyAction, SupplyView
from care.views import HistoryPeriod
from titration import timing
from titration.dose_form import DoseForm
from titration.dose_time import DoseTime
from titration.screening import Answer, Question
from titration.timing import COMMON_ZONES, known_zone, zone_label
from titration.zone_words import Place

BEDTIMES = ("21:00", "21:30", "22:00", "22:30", "23:00", "23:30")


def _button(text: str, callback: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=callback.pack())


def rows(buttons: Sequence[InlineKeyboardButton], per_row: int) -> InlineKeyboardMarkup:
    grouped = [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]
    return InlineKeyboardMarkup(grouped)


def consent() -> InlineKeyboardMarkup:
    return rows(
        [
            _button(onboarding_words.consent_yes(), ConsentButton(YesNo.YES)),
            _button(onboarding_words.consent_no(), ConsentButton(YesNo.NO)),
        ],
        2,
    )


def clinic_consent(code: str) -> InlineKeyboardMarkup:
    """Consent under a clinic's welcome: the same words, the link's code on the buttons."""
    return rows(
        [
            _button(onboarding_words.consent_yes(), ClinicConsentButton(YesNo.YES, code)),
            _button(onboarding_words.consent_no(), ClinicConsentButton(YesNo.NO, code)),
        ],
        2,
    )


def screening_label(answer: Answer) -> str:
    """A screening answer as its button says it."""
    labels = {
        Answer.YES: onboarding_words.yes,
        Answer.NO: onboarding_words.no,
        Answer.UNSURE: onboarding_words.unsure,
    }
    return labels[answer]()


def screening(question: Question) -> InlineKeyboardMarkup:
    answers = [Answer.YES, Answer.NO]
    if question in (Question.OPIOIDS, Question.ALLERGY):
        answers.append(Answer.UNSURE)
    return rows(
        [_button(screening_label(a), ScreeningButton(question, a)) for a in answers],
        3,
    )


def city(zone: str) -> str:
    """A zone as a button shows it: its city ("America/New_York" → "New York"; a fixed offset,
    "Etc/GMT-2", as "UTC+2")."""
    if zone.startswith("Etc/") and known_zone(zone):
        return zone_label(timing.zone(zone), datetime.now(UTC))
    return zone.split("/")[-1].replace("_", " ")


def places(choices: Sequence[Place], now: datetime) -> InlineKeyboardMarkup:
    """Zones to pick from, each with its place and the local time there now ("Paris, FR ·
    21:14"), so the right one is easy to see."""
    buttons = []
    for place in choices:
        name = city(place.zone) if place.name is None else place.name
        if place.country is not None:
            name = f"{name}, {place.country}"
        local = i18n.clock_time(now.astimezone(timing.zone(place.zone)))
        buttons.append(_button(f"{name} · {local}", ZoneButton(place.zone)))
    return rows(buttons, 2)


def zone_choices(default_zone: str) -> ReplyKeyboardMarkup:
    """Nine cities to tap (the default zone's first) and [Share my location], under the
    time-zone question; a tapped city arrives as typed text."""
    names = [default_zone, *(z for z in COMMON_ZONES if z != default_zone)][:9]
    grid = [[KeyboardButton(city(n)) for n in names[i : i + 3]] for i in range(0, len(names), 3)]
    grid.append([KeyboardButton(onboarding_words.share_location(), request_location=True)])
    return ReplyKeyboardMarkup(grid, resize_keyboard=True, one_time_keyboard=True)


def zones(names: Sequence[str]) -> InlineKeyboardMarkup:
    return rows([_button(city(name), ZoneButton(name)) for name in names], 3)


CHECKIN_TIMES = ("07:00", "07:30", "08:00", "08:30", "09:00", "10:00")


def bedtimes(times: tuple[str, ...] = BEDTIMES) -> InlineKeyboardMarkup:
    return rows([_button(t, TimeButton(t.replace(":", ""))) for t in times], 3)


def time_choices(times: Sequence[time]) -> InlineKeyboardMarkup:
    """The readings of a bare hour ("10 pm (22:00)" / "10 am (10:00)")."""
    buttons = [
        _button(onboarding_words.half_of_day(t), TimeButton(t.strftime("%H%M"))) for t in times
    ]
    return rows(buttons, 2)


def plan_choice() -> InlineKeyboardMarkup:
    return rows(
        [
            _button(onboarding_words.usual_plan(), PlanButton(PlanChoice.DEFAULT)),
            _button(onboarding_words.different_numbers(), PlanButton(PlanChoice.CUSTOM)),
        ],
        1,
    )


PLAN_FIELD_CHOICES = {
    PlanChoice.START: (Decimal("0.5"), Decimal("1.0"), Decimal("1.5")),
    PlanChoice.STEP: (Decimal("0.25"), Decimal("0.5"), Decimal("1.0")),
    PlanChoice.INTERVAL: (Decimal(7), Decimal(10), Decimal(14)),
    PlanChoice.TARGET: (Decimal("3.0"), Decimal("4.0"), Decimal("4.5")),
}


def plan_value_label(field: PlanChoice, value: Decimal) -> str:
    """A plan number as its button says it: "1 mg", "14 days"."""
    return onboarding_words.days(int(value)) if field is PlanChoice.INTERVAL else i18n.mg(value)


def plan_field(field: PlanChoice) -> InlineKeyboardMarkup:
    return rows(
        [
            _button(plan_value_label(field, value), PlanButton(field, value))
            for value in PLAN_FIELD_CHOICES[field]
        ],
        3,
    )


def did_you_mean(field: PlanChoice, value: Decimal) -> InlineKeyboardMarkup:
    return rows([_button(onboarding_words.did_you_mean(value), PlanButton(field, value))], 1)


def confirm_setup() -> InlineKeyboardMarkup:
    return rows(
        [
            _button(onboarding_words.start_button(), ConfirmButton(ConfirmChoice.START)),
            _button(onboarding_words.change_button(), ConfirmButton(ConfirmChoice.EDIT)),
        ],
        2,
    )


def setup_fields(clinic_plan: bool) -> InlineKeyboardMarkup:
    """[Change something] under the summary: which part (a clinic's plan is not offered)."""
    buttons = [
        _button(settings_words.zone_button(), ConfirmButton(ConfirmChoice.ZONE)),
        _button(settings_words.bedtime_button(), ConfirmButton(ConfirmChoice.BEDTIME)),
    ]
    if not clinic_plan:
        buttons.append(_button(onboarding_words.plan_button(), ConfirmButton(ConfirmChoice.PLAN)))
    return rows(buttons, 1)


def dose(event_id: int, *, snooze: bool = True, morning: bool = False) -> InlineKeyboardMarkup:
    buttons = [_button(dose_texts.taken_button(), DoseButton(DoseAction.TAKEN, event_id))]
    if snooze:
        buttons.append(_button(dose_texts.snooze_button(), DoseButton(DoseAction.SNOOZE, event_id)))
    skip = dose_texts.skip_button(morning=morning)
    buttons.append(_button(skip, DoseButton(DoseAction.SKIP, event_id)))
    return rows(buttons, 2)


def log_taken(event_id: int) -> InlineKeyboardMarkup:
    """[Taken] alone, under "I took it" typed while the dose's reminder is open."""
    return rows([_button(dose_texts.taken_button(), DoseButton(DoseAction.TAKEN, event_id))], 1)


def undo(event_id: int) -> InlineKeyboardMarkup:
    """The small [Undo] under tonight's "taken" or "skipped"."""
    return rows([_button(correction_texts.undo_button(), UndoButton(event_id))], 1)


def correct_a_night() -> InlineKeyboardMarkup:
    """[Correct a dose] under /today and /history."""
    return rows([_button(correction_texts.correct_button(), FixButton(FixStep.LIST))], 1)


def nights_to_correct(nights: Sequence[CorrectableNight]) -> InlineKeyboardMarkup:
    """The last 7 nights, each with what it says now, one per row."""
    buttons = [
        _button(
            correction_texts.night_button(i18n.day(night.day), night.status, night.corrected),
            FixButton(FixStep.PICK, night.event_id),
        )
        for night in nights
    ]
    return rows(buttons, 1)


def correct_night(event_id: int) -> InlineKeyboardMarkup:
    return rows(
        [
            _button(
                correction_texts.taken_button(),
                FixButton(FixStep.SET, event_id, NightChoice.TAKEN),
            ),
            _button(
                correction_texts.not_taken_button(),
                FixButton(FixStep.SET, event_id, NightChoice.NOT_TAKEN),
            ),
        ],
        2,
    )


def step_offer(current: Decimal, following: Decimal) -> InlineKeyboardMarkup:
    return rows(
        [
            _button(dose_texts.step_up_button(mg(following)), StepButton(StepChoice.UP, following)),
            _button(dose_texts.stay_button(mg(current)), StepButton(StepChoice.STAY, current)),
        ],
        1,
    )


def settings() -> InlineKeyboardMarkup:
    return rows(
        [
            _button(settings_words.bedtime_button(), SettingsButton(SettingsChoice.BEDTIME)),
            _button(settings_words.zone_button(), SettingsButton(SettingsChoice.ZONE)),
            _button(settings_words.checkin_button(), SettingsButton(SettingsChoice.CHECKIN)),
            _button(settings_words.language_button(), SettingsButton(SettingsChoice.LANGUAGE)),
            _button(form_words.dose_time_button(), SettingsButton(SettingsChoice.DOSE_TIME)),
            _button(form_words.form_button(), SettingsButton(SettingsChoice.FORM)),
        ],
        2,
    )


MORNING_TIMES = ("06:00", "06:30", "07:00", "07:30", "08:00", "09:00")


def dose_times() -> InlineKeyboardMarkup:
    """[At bedtime] / [In the morning]."""
    return rows(
        [
            _button(form_words.at_bedtime_button(), DoseTimeButton(DoseTime.BEDTIME)),
            _button(form_words.in_the_morning_button(), DoseTimeButton(DoseTime.MORNING)),
        ],
        2,
    )


def dose_forms() -> InlineKeyboardMarkup:
    """[Capsules] / [Tablets] / [Liquid]."""
    return rows([_button(form_words.form_name(f), FormButton(f)) for f in DoseForm], 3)


def languages() -> InlineKeyboardMarkup:
    """Each language under its own name ("Deutsch"), whatever the current one."""
    return rows(
        [_button(i18n.NAMES[code], LanguageButton(code)) for code in i18n.LANGUAGES],
        2,
    )


def forget() -> InlineKeyboardMarkup:
    return rows(
        [
            _button(privacy_texts.forget_yes(), ForgetButton(YesNo.YES)),
            _button(privacy_texts.forget_no(), ForgetButton(YesNo.NO)),
        ],
        2,
    )


def taking_opioid_now(substance: str | None) -> InlineKeyboardMarkup:
    """Under the opioid warning: [Yes] [No, just asking]."""
    return rows(
        [
            _button(safety_texts.taking_yes(), SafetyButton(SafetyAction.TAKING, substance)),
            _button(safety_texts.taking_no(), SafetyButton(SafetyAction.ASKING, substance)),
        ],
        2,
    )


def confirm_resume() -> InlineKeyboardMarkup:
    """/resume after an opioid was reported: [Yes, go on] [Not yet]."""
    return rows(
        [
            _button(safety_texts.resume_yes(), SafetyButton(SafetyAction.RESUME)),
            _button(safety_texts.resume_not_yet(), SafetyButton(SafetyAction.WAIT)),
        ],
        2,
    )


def history(patient_id: int, shown: HistoryPeriod) -> InlineKeyboardMarkup:
    """Under /history's chart: the other periods ([90 days] [Since the start] under 30 days)."""
    return rows(
        [
            _button(history_texts.period_button(p), HistoryButton(p, patient_id))
            for p in HistoryPeriod
            if p is not shown
        ],
        2,
    )


def supply(view: SupplyView) -> InlineKeyboardMarkup:
    """Under /supply: [Start counting], or a refill, a new count and [Stop counting]."""
    found = view.supply
    if found is None:
        return rows([_button(supply_words.start_button(), SupplyButton(SupplyAction.START))], 1)
    buttons = [
        _button(supply_words.refill_button(view.unit), SupplyButton(SupplyAction.REFILL, found.id)),
        _button(supply_words.count_button(), SupplyButton(SupplyAction.COUNT, found.id)),
        _button(supply_words.stop_button(), SupplyButton(SupplyAction.STOP, found.id)),
    ]
    if view.form_changed:
        buttons = buttons[1:]
    return rows(buttons, 1)
