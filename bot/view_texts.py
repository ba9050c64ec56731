"""Words of /today, /plan and /history: where the patient stands, in a few short lines.

Every sentence goes through gettext (``bot.i18n``); doses, days and times are formatted per
language. See ``bot.checkin_texts`` for the names of effects and the benefit summary.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.checkin_texts import effect_name
from bot.i18n import N_, _, day, ngettext, when
from titration.side_effects import Effect

STATUS_WORDS = {
    "pending": N_("not logged yet"),
    "taken": N_("taken ✅"),
    "late": N_("taken (late) ✅"),
    "skipped": N_("skipped"),
    "missed": N_("missed"),
}


# /today --------------------------------------------------------------------------------------


def tonight(dose: str, status: str, *, morning: bool = False) -> str:
    if morning:
        return _("Today: <b>{dose}</b> — {status}.").format(
            dose=dose, status=_(STATUS_WORDS.get(status, STATUS_WORDS["pending"]))
        )
    return _("Tonight: <b>{dose}</b> — {status}.").format(
        dose=dose, status=_(STATUS_WORDS.get(status, STATUS_WORDS["pending"]))
    )


def paused() -> str:
    return _("Reminders are paused. Send /resume to turn them back on.")


def next_reminder(
    dose: str, at: datetime, zone: ZoneInfo, *, tonight_known: bool, morning: bool = False
) -> str:
    """The next reminder: tomorrow's once tonight's (today's) is out, else tonight's (today's)."""
    if tonight_known:
        return _("Next reminder: <b>{dose}</b>, {when}.").format(dose=dose, when=when(at, zone))
    if morning:
        return _("Today: <b>{dose}</b>, reminder {when}.").format(dose=dose, when=when(at, zone))
    return _("Tonight: <b>{dose}</b>, reminder {when}.").format(dose=dose, when=when(at, zone))


def at_target() -> str:
    return _("You're on your target dose.")


def nights_at_dose(taken: int, interval: int) -> str:
    return ngettext(
        "{taken} of {n} night taken at this dose.",
        "{taken} of {n} nights taken at this dose.",
        interval,
    ).format(taken=taken, n=interval)


# /plan ---------------------------------------------------------------------------------------


def plan_summary(start: str, step: str, interval: int, target: str) -> str:
    return ngettext(
        "Your plan: start at {start}, up {step} every {n} day, to {target}.",
        "Your plan: start at {start}, up {step} every {n} days, to {target}.",
        interval,
    ).format(start=start, step=step, n=interval, target=target)


def period_past(dose: str, start: date, end: date, nights: int) -> str:
    return ngettext(
        "✓ {dose} · {start} – {end} · {n} night taken",
        "✓ {dose} · {start} – {end} · {n} nights taken",
        nights,
    ).format(dose=dose, start=day(start), end=day(end), n=nights)


def period_current(dose: str, start: date, nights: int) -> str:
    return ngettext(
        "▶ <b>{dose}</b> since {start} · {n} night taken",
        "▶ <b>{dose}</b> since {start} · {n} nights taken",
        nights,
    ).format(dose=dose, start=day(start), n=nights)


def period_ahead(dose: str, start: date) -> str:
    return _("· {dose} from about {start}").format(dose=dose, start=day(start))


def taken_in_the_morning() -> str:
    return _("You take it in the morning.")


def dates_ahead() -> str:
    return _("Dates ahead assume every dose is taken and each step agreed.")


# /history ------------------------------------------------------------------------------------


def last_days(days: int) -> str:
    return ngettext("Your last {n} day:", "Your last {n} days:", days).format(n=days)


def no_checkins() -> str:
    return _("No check-ins yet. Send /checkin to tell me how last night was.")


def history_line(dose: str, count: int, effects: Iterable[tuple[Effect, int]]) -> str:
    """ "At 1 mg: trouble sleeping on 4, headache on 2 (of 7 check-ins)."."""
    parts = [
        _("{effect} on {count}").format(effect=effect_name(effect), count=n)
        for effect, n in effects
    ]
    if not parts:
        return ngettext(
            "At {dose}: no side effects on {n} check-in.",
            "At {dose}: no side effects on {n} check-ins.",
            count,
        ).format(dose=dose, n=count)
    return ngettext(
        "At {dose}: {effects} (of {n} check-in).",
        "At {dose}: {effects} (of {n} check-ins).",
        count,
    ).format(dose=dose, effects=", ".join(parts), n=count)
