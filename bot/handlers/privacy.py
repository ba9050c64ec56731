"""The complete copy of everything stored, as a JSON file (sent by /export:
``bot.handlers.exports``), and /forget (asked first; then every row naming them is erased)."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from functools import partial
from typing import Any

from telegram import Update

from bot import care_texts as care_words
from bot import keyboards
from bot import privacy_texts as words
from bot.callbacks import ForgetButton, YesNo
from bot.handlers.common import Context, call, pressed_button, presser_id, refuse, reply, show
from bot.handlers.invites import tell
from bot.menus import set_chat_menu
from bot.services import services
from care.links import roles
from care.people import Refusal
from care.privacy import Export
from care.privacy import forget as erase_everything

log = logging.getLogger(__name__)


def file_name(export: Export) -> str:
    """``ldn-companion-export-2026-12-05.json``: the day in the patient's zone."""
    return f"ldn-companion-export-{export.made_at.astimezone(export.zone).date().isoformat()}.json"


def document(export: Export) -> bytes:
    """The export as a JSON document: notes first, then every table's rows; instants in the
    patient's zone as ISO 8601 with the offset."""

    def local(value: object) -> Any:
        if isinstance(value, datetime):
            return value.astimezone(export.zone).isoformat()
        raise TypeError(f"not exportable: {type(value).__name__}")

    zone = export.zone.key
    notes: dict[str, Any] = {
        "what": words.export_what(local(export.made_at)),
        "time_zone": zone,
        "times": words.export_times(zone),
        "tables": {
            table: note for table in export.tables if (note := words.table_note(table)) is not None
        },
        "left_out": {
            f"{table}.{column}": words.left_out(reason) for table, column, reason in export.left_out
        },
    }
    data = {"about": notes, **export.tables}
    return json.dumps(data, indent=2, ensure_ascii=False, default=local).encode()


async def forget(update: Update, context: Context) -> None:
    """/forget: asks first, with [Delete everything] [Keep my data]."""
    held = await call(context, roles, presser_id(update))
    if not held.patient and not held.caregiver:
        await reply(update, context, words.nothing_stored())
        return
    ask = words.forget_ask() if held.patient else care_words.forget_ask()
    await reply(update, context, ask, keyboards.forget())


async def forget_button(update: Update, context: Context) -> None:
    """The /forget question's answer: erase the presser's own data only."""
    pressed = await pressed_button(update, context, ForgetButton)
    if pressed is None:
        return
    if pressed.answer is YesNo.NO:
        await show(update, context, words.kept())
        return
    svc = services(context)
    result = await call(context, erase_everything, presser_id(update), svc.clock.now())
    if isinstance(result, Refusal):
        await _refuse(update, context, result)
        return
    if result.patient_id is not None:
        svc.dispatcher.withdraw(result.patient_id)
    if not result.scrubbed:
        log.warning("erased, but the write-ahead log was in use: old pages stay until it restarts")
    await show(update, context, words.forgotten())
    # Sharing ends at once: their caregivers are told only that, the patients they followed
    # that they stopped; their own chat's caregiver menu goes.
    for to in result.sharing_ended:
        await tell(context, to, partial(care_words.sharing_ended, to.name))
    for to in result.stopped_following:
        await tell(context, to, partial(care_words.caregiver_left, to.name))
    if result.stopped_following or result.caregiver:
        await set_chat_menu(context, presser_id(update))


async def _refuse(update: Update, context: Context, refusal: Refusal) -> None:
    if refusal is Refusal.NEED_START:  # no patient row: nothing to export or delete
        await reply(update, context, words.nothing_stored())
    else:
        await refuse(update, context, refusal)
