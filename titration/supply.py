"""Supply on hand and refills (pure; codes and values): what one dose takes from the supply, how
many days a supply lasts, when to say "time to reorder", and reading a typed amount.

Units follow the dose form: a liquid is counted in ml (one dose takes its volume, ``dose /
concentration``, to the hundredth of a ml the patient measures); capsules and tablets are counted
one per dose. Compounded LDN capsules are made at the prescribed dose, so one capsule is one dose;
a step-up needs capsules of the new strength, which is why the days ahead of a capsule supply are
counted at one a day and the step-up is named beside them rather than folded in.

A supply is never counted below zero: a dose taken with less on hand than it needs takes what is
left, and the patient is told to check their supply.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from enum import StrEnum

from titration.dose_form import DoseForm, volume

REORDER_DAYS = 7  # "about 7 days left — time to reorder"
MAX_CAPSULES = Decimal(1000)  # more than this on hand is a typo (or a warehouse)
MAX_ML = Decimal(2000)
_AMOUNT = re.compile(
    r"^(?P<sign>[-−–])?\s*(?P<number>\d{1,7}(?:[.,]\d{1,3})?)\s*"
    r"(?:ml|milliliters?|millilitres?|capsules?|caps?|tablets?|tabs?|kapseln?|tabletten?|stück)?$"
)


class SupplyUnit(StrEnum):
    """What a supply is counted in (the column ``supplies.unit``)."""

    CAPSULE = "capsule"  # capsules or tablets, one per dose
    ML = "ml"  # a liquid


def unit_for(form: DoseForm) -> SupplyUnit:
    """The unit a supply of LDN in ``form`` is counted in."""
    return SupplyUnit.ML if form is DoseForm.LIQUID else SupplyUnit.CAPSULE


def per_dose(unit: SupplyUnit, dose_mg: Decimal, mg_per_ml: Decimal | None) -> Decimal:
    """How much one dose takes from the supply: one capsule, or the liquid's measured volume."""
    if unit is SupplyUnit.CAPSULE:
        return Decimal(1)
    if mg_per_ml is None:
        raise ValueError("a liquid supply needs the liquid's concentration")
    return volume(dose_mg, mg_per_ml).ml


def take(on_hand: Decimal, needed: Decimal) -> Decimal:
    """What a dose takes from ``on_hand``: what it needs, never more than is there."""
    return max(Decimal(0), min(on_hand, needed))


@dataclass(frozen=True)
class Step:
    """From ``start`` on, each dose takes ``amount`` (a period of the plan ahead)."""

    start: date
    amount: Decimal


@dataclass(frozen=True)
class Lasts:
    """How long a supply lasts from ``first`` (the first dose still to take): ``doses`` whole
    doses, the last one on ``last_day`` (None: not even one); ``counts_step`` when a step-up
    ahead changes what a dose takes within that time (the number is then an estimate: steps
    come only when the patient takes their doses and agrees)."""

    doses: int
    last_day: date | None
    counts_step: bool


def lasts(on_hand: Decimal, first: date, steps: Sequence[Step]) -> Lasts:
    """Whole doses ``on_hand`` covers, day by day from ``first``, each day's dose taking what
    its period of ``steps`` (sorted by start, the first starting on or before ``first``) says."""
    left, day, counted, counts_step = on_hand, first, 0, False
    for index, step in enumerate(steps):
        end = steps[index + 1].start if index + 1 < len(steps) else None
        if end is not None and end <= day:
            continue
        if step.amount <= 0:
            raise ValueError("a dose takes something from the supply")
        if day < step.start:
            day = step.start
        if index > 0 and day == step.start and left >= step.amount:
            counts_step = True
        whole = int((left / step.amount).to_integral_value(rounding=ROUND_FLOOR))
        room = whole if end is None else min(whole, (end - day).days)
        counted += room
        left -= step.amount * room
        day += timedelta(days=room)
        if end is None or day < end:
            break
    last_day = first + timedelta(days=counted - 1) if counted else None
    return Lasts(counted, last_day, counts_step)


class Notice(StrEnum):
    """What to tell the patient after a dose was counted."""

    REORDER = "reorder"  # about REORDER_DAYS days left, once per supply
    RAN_OUT = "ran_out"  # that dose used the last of it (once per supply)
    CHECK = "check"  # nothing was on hand for this dose: the count may be off (once per supply)


@dataclass(frozen=True)
class Told:
    """Which notices already went out for the supply (each goes out once; a refill resets)."""

    reorder: bool = False
    empty: bool = False
    check: bool = False


def notice_after(before: Decimal, left: Decimal, days_left: int, told: Told) -> Notice | None:
    """The one notice a dose counted now calls for, if any: ``before`` and ``left`` on hand
    before and after it, ``days_left`` whole doses still on hand afterwards."""
    if before <= 0:
        return None if told.check else Notice.CHECK
    if left <= 0:
        return None if told.empty else Notice.RAN_OUT
    if days_left <= REORDER_DAYS and not told.reorder:
        return Notice.REORDER
    return None


def told_after(told: Told, notice: Notice | None, left: Decimal) -> Told:
    """What has been told once ``notice`` went out (an empty supply needs no reorder notice)."""
    return Told(
        reorder=told.reorder or notice is not None,
        empty=told.empty or left <= 0,
        check=told.check or notice is Notice.CHECK,
    )


def within_limits(value: Decimal, unit: SupplyUnit) -> bool:
    """Whether ``value`` is an amount a home supply can hold."""
    return Decimal(0) <= value <= (MAX_CAPSULES if unit is SupplyUnit.CAPSULE else MAX_ML)


class AmountProblem(StrEnum):
    """Why a typed amount was not accepted (``AmountError.value``: the number read, if any)."""

    NOT_A_NUMBER = "not_a_number"
    NEGATIVE = "negative"
    NOTHING_ADDED = "nothing_added"  # a refill of 0
    NOT_WHOLE = "not_whole"  # half a capsule
    TOO_MUCH = "too_much"


class AmountError(ValueError):
    def __init__(self, problem: AmountProblem, value: Decimal | None = None) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.value = value


def read_amount(text: str, unit: SupplyUnit, *, refill: bool) -> Decimal:
    """An amount as typed ("30", "30 capsules", "12,5 ml", "12.5"), or AmountError. A refill
    adds something (not 0); a count may be 0 ("I have none left")."""
    match = _AMOUNT.match(text.strip().lower())
    if match is None:
        raise AmountError(AmountProblem.NOT_A_NUMBER)
    try:
        value = Decimal(match.group("number").replace(",", "."))
    except InvalidOperation as error:  # pragma: no cover - the pattern reads digits only
        raise AmountError(AmountProblem.NOT_A_NUMBER) from error
    if match.group("sign"):
        raise AmountError(AmountProblem.NEGATIVE, value)
    if unit is SupplyUnit.CAPSULE and value != value.to_integral_value():
        raise AmountError(AmountProblem.NOT_WHOLE, value)
    if not within_limits(value, unit):
        raise AmountError(AmountProblem.TOO_MUCH, value)
    if refill and value == 0:
        raise AmountError(AmountProblem.NOTHING_ADDED, value)
    return value.to_integral_value() if value == value.to_integral_value() else value
