"""Small helpers several handlers share: the ownership check behind every button that names a
stored object (a dose event, a check-in, a rating)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from sqlite_utils import Database
from telegram import Update
from telegram.ext import ContextTypes

from bot import texts
from bot.services import services
from storage import patients
from storage.patients import Patient


class Owned(Protocol):
    """A stored object that belongs to one patient."""

    @property
    def patient_id(self) -> int: ...


ObjectT = TypeVar("ObjectT", bound=Owned)


async def owned_by_presser(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    fetch: Callable[[Database, int], ObjectT | None],
    object_id: int | None,
) -> tuple[Patient, ObjectT] | None:
    """The presser's patient and the object the pressed button names (``fetch(db, object_id)``),
    only if the object belongs to that patient. Otherwise (no id, no such object or patient, or
    someone else's object) the presser is told the button isn't theirs and this returns None."""
    query = update.callback_query
    assert query is not None
    store = services(context).store
    patient = await store.run(patients.by_telegram_id, query.from_user.id)
    found = await store.run(fetch, object_id) if object_id is not None else None
    if patient is None or found is None or found.patient_id != patient.id:
        await context.bot.send_message(query.from_user.id, texts.NOT_YOURS)
        return None
    return patient, found
