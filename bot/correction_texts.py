"""Words of correcting a tap: [Undo] under tonight's answer, and [Correct a dose] in /today and
/history. Warm and short; a correction never suggests taking a dose now."""

from __future__ import annotations

from bot.i18n import _, ngettext
from titration.corrections import CORRECTABLE_DAYS
from titration.record import NightStatus


def undo_button() -> str:
    return _("↩️ Undo")


def reopened(dose: str, *, morning: bool = False) -> str:
    if morning:
        return _("Undone — today's {dose} is open again. Tap below when you're ready.").format(
            dose=dose
        )
    return _("Undone — tonight's {dose} is open again. Tap below when you're ready.").format(
        dose=dose
    )


def undo_closed() -> str:
    return _(
        "That night has closed, so it can't be undone here any more. You can still correct it "
        "from /today or /history."
    )


def correct_button() -> str:
    return _("✏️ Correct a dose")


def pick_night() -> str:
    return ngettext(
        "Which dose do you want to correct? (the last {n} day)",
        "Which dose do you want to correct? (the last {n} days)",
        CORRECTABLE_DAYS,
    ).format(n=CORRECTABLE_DAYS)


def no_nights() -> str:
    return _("There's no dose from the last 7 days to correct yet.")


def status_label(status: NightStatus) -> str:
    if status in (NightStatus.TAKEN, NightStatus.LATE):
        return _("taken")
    if status is NightStatus.SKIPPED:
        return _("not taken")
    return _("missed")


def night_button(day: str, status: NightStatus, corrected: bool) -> str:
    label = status_label(status)
    if corrected:
        return _("{day} · {status} (corrected)").format(day=day, status=label)
    return _("{day} · {status}").format(day=day, status=label)


def ask(day: str, dose: str, status: NightStatus) -> str:
    return _("{day} ({dose}) is recorded as <b>{status}</b>. What happened?").format(
        day=day, dose=dose, status=status_label(status)
    )


def taken_button() -> str:
    return _("✅ I took it")


def not_taken_button() -> str:
    return _("I didn't take it")


def corrected(day: str, taken: bool) -> str:
    if taken:
        return _(
            "Thanks — {day} is now recorded as taken (confirmed afterwards, so not as on time)."
        ).format(day=day)
    return _("Thanks — {day} is now recorded as not taken. That's OK; never double up.").format(
        day=day
    )


def unchanged(day: str, status: NightStatus) -> str:
    return _("{day} is already recorded as {status} — nothing changed.").format(
        day=day, status=status_label(status)
    )


def too_old() -> str:
    return _("Only the last 7 days can be corrected, and that dose is older.")


def future() -> str:
    return _("That dose isn't due yet, so there's nothing to correct.")


def still_open() -> str:
    return _("That dose is still open: please answer it with the buttons on its reminder.")
