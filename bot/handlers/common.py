"""Small helpers several handlers share: the ownership check behind every button that names a
stored object (a dose event, a check-in, a rating), and the audit entry for something a patient
did with their own record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol, TypeVar

from sqlite_utils import Database
from telegram import Update
from telegram.ext import ContextTypes

from bot import texts
from bot.services import services
from storage import audit, patients
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
    presser = query.from_user.id

    def lookup(db: Database) -> tuple[Patient, ObjectT] | None:
        # Both lookups in one trip to the database thread (a press makes several such trips).
        patient = patients.by_telegram_id(db, presser)
        found = fetch(db, object_id) if object_id is not None and patient is not None else None
        if patient is None or found is None or found.patient_id != patient.id:
            return None
        return patient, found

    owned = await services(context).store.run(lookup)
    if owned is None:
        await context.bot.send_message(presser, texts.NOT_YOURS)
    return owned


async def audit_patient(
    context: ContextTypes.DEFAULT_TYPE,
    patient: Patient,
    action: str,
    *,
    detail: str = "",
    now: datetime | None = None,
) -> None:
    """Append an audit entry: the patient did ``action`` to their own record, at ``now`` (the
    clock's time unless given). ``detail`` names what changed, never health content."""
    svc = services(context)
    await svc.store.run(
        audit.record,
        now=now if now is not None else svc.clock.now(),
        actor_telegram_id=patient.telegram_id,
        actor_role="patient",
        action=action,
        target_patient_id=patient.id,
        detail=detail,
    )
