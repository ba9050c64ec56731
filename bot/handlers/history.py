"""/history: side effects per dose ("at 1.0 mg: trouble sleeping on 4 of 7") and benefits."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal

from telegram import Update
from telegram.ext import ContextTypes

from bot import checkin_texts as words
from bot import texts
from bot.services import services
from storage import checkins, patients
from titration.benefits import changes, week_of
from titration.doses import format_mg
from titration.side_effects import Effect

DAYS_SHOWN = 28


async def history_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    svc = services(context)
    patient = await svc.store.run(patients.by_telegram_id, update.effective_user.id)
    if patient is None or patient.current_dose_mg is None:
        await message.reply_text(texts.NOT_ACTIVE)
        return
    today = svc.clock.now().astimezone(patient.zone).date()
    answered = await svc.store.run(
        checkins.answered_since, patient.id, today - timedelta(days=DAYS_SHOWN)
    )
    lines = [f"Your last {DAYS_SHOWN} days:"]
    by_dose: dict[Decimal, list[checkins.Checkin]] = {}
    for checkin in answered:
        by_dose.setdefault(checkin.dose_mg, []).append(checkin)
    for dose, group in sorted(by_dose.items(), reverse=True):
        counts: Counter[Effect] = Counter(e for c in group for e in c.effects)
        lines.append(words.history_line(format_mg(dose), len(group), dict(counts.most_common())))
    if not answered:
        lines.append("No check-ins yet. Send /checkin to tell me how last night was.")
    ratings = await svc.store.run(checkins.ratings, patient.id)
    changes_list = await svc.store.run(patients.dose_changes, patient.id)
    if ratings and changes_list:
        week = week_of(changes_list[0][1], today)
        result = changes(ratings[0].values, ratings[-1].values, week) if len(ratings) > 1 else None
        lines += ["", words.benefits_done(week, result).removeprefix("Thanks! ")]
    await message.reply_text("\n".join(lines))
