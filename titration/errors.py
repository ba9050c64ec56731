"""Errors for input a person typed: a code saying what was wrong and the values that go with it.

The domain speaks no language: the bot turns each ``Problem`` into a sentence in the reader's
language (``bot.onboarding_texts.problem``).
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum


class Problem(StrEnum):
    """Why a typed value was not accepted."""

    NOT_A_NUMBER = "not_a_number"  # not a plain number of mg (``example``: what would work)
    BELOW_SMALLEST_DOSE = "below_smallest_dose"  # under MIN_DOSE
    DOSE_LOOKS_HIGH = "dose_looks_high"  # ``value`` is probably a typo for ``suggestion``
    NOT_A_LOW_DOSE = "not_a_low_dose"  # ``value`` ≥ NOT_LOW_DOSE, no plausible typo
    DOSE_NEEDS_CLINIC = "dose_needs_clinic"  # above MAX_PATIENT_DOSE, below NOT_LOW_DOSE
    STEP_OUT_OF_RANGE = "step_out_of_range"  # outside MIN_STEP–MAX_STEP (maybe ``suggestion``)
    NOT_DAYS = "not_days"  # not a whole number of days
    INTERVAL_OUT_OF_RANGE = "interval_out_of_range"  # outside MIN_INTERVAL–MAX_INTERVAL
    BAD_TIME = "bad_time"  # not a time of day
    START_ABOVE_TARGET = "start_above_target"  # a plan whose start dose exceeds its target
    STEP_NOT_POSITIVE = "step_not_positive"  # a plan that could never reach its target


class InputError(ValueError):
    """A value a person typed was not accepted.

    ``problem`` says why; ``value`` is the number as read (when there was one), ``example`` a
    value that would have been read, and ``suggestion`` the value we think they meant (4.5 when
    they typed 45), if there is one.
    """

    def __init__(
        self,
        problem: Problem,
        *,
        value: Decimal | None = None,
        suggestion: Decimal | None = None,
        example: Decimal | None = None,
    ) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.value = value
        self.suggestion = suggestion
        self.example = example
