"""/caregivers (the patient: who follows, change what is shared, stop sharing) and /patients (the
caregiver: whom they follow, stop following), and the routing of both button areas.

Every press is one call into ``care.links`` or ``care.invites``, which checks the presser against
the link it names; the person on the other side is told in their own language, and a caregiver
whose sharing ended is told only that.
"""

from __future__ import annotations

from functools import partial

from telegram import Update

from bot import care_keyboards, follow_keyboards
from bot import care_texts as words
from bot.callbacks import CareAction, CareButton, FollowAction, FollowButton
from bot.handlers import invites
from bot.handlers.common import Context, call, pressed_button, presser_id, refuse, reply, show
from bot.services import services
from care import links
from care.people import Refusal

# /caregivers ----------------------------------------------------------------------------------


async def caregivers_command(update: Update, context: Context) -> None:
    """/caregivers: each link with what it shares and since when; a button per caregiver."""
    now = services(context).clock.now()
    result = await call(context, links.caregivers_of, presser_id(update), now)
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    waiting = words.invites_open(result.invites_open) if result.invites_open else ""
    if not result.shared:
        await reply(update, context, words.no_caregivers() + waiting)
        return
    lines = [
        words.caregiver_line(s.caregiver_name, s.link.scope, s.link.allowed_at, result.zone)
        for s in result.shared
    ]
    text = words.caregivers_list(lines) + waiting
    await reply(update, context, text, care_keyboards.shared(result.shared))


async def care_button(update: Update, context: Context) -> None:
    """A patient's press about one of their links: [Allow] / [Refuse], or /caregivers' buttons."""
    pressed = await pressed_button(update, context, CareButton)
    if pressed is None:
        return
    if pressed.action in (CareAction.ALLOW, CareAction.REFUSE):
        await invites.decide_button(update, context, pressed)
        return
    uid, now = presser_id(update), services(context).clock.now()
    if pressed.action is CareAction.SCOPE and pressed.scope is not None:
        changed = await call(context, links.change_scope, uid, pressed.link, pressed.scope, now)
        if isinstance(changed, Refusal):
            await refuse(update, context, changed)
            return
        scope = changed.link.scope
        await show(update, context, words.scope_changed(changed.other_name, scope))
        if changed.tell is not None:
            to = changed.tell
            await invites.tell(
                context, to, lambda: words.scope_changed_to_caregiver(to.name, scope)
            )
        return
    if pressed.action is CareAction.REMOVE_SURE:
        removed = await call(context, links.remove, uid, pressed.link, now)
        if isinstance(removed, Refusal):
            await refuse(update, context, removed)
            return
        await show(update, context, words.removed(removed.other_name))
        if removed.tell is not None:
            to = removed.tell
            await invites.tell(context, to, partial(words.sharing_ended, to.name))
        return
    found = await call(context, links.shared_link, uid, pressed.link)
    if isinstance(found, Refusal):
        await refuse(update, context, found)
    elif pressed.action is CareAction.MANAGE:
        text = words.manage(found.caregiver_name, found.link.scope)
        await reply(update, context, text, care_keyboards.manage(found))
    elif pressed.action is CareAction.REMOVE:
        text = words.remove_ask(found.caregiver_name)
        await show(update, context, text, care_keyboards.remove_sure(found.link.id))
    else:  # KEEP, or a scope button without its scope
        await show(update, context, words.nothing_changed())


# /patients ------------------------------------------------------------------------------------


async def patients_command(update: Update, context: Context) -> None:
    """/patients: whom the caregiver follows, a button to each one's page (summaries, alerts,
    stop following) and one to their own time zone and language."""
    now = services(context).clock.now()
    result = await call(context, links.followed, presser_id(update), now)
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    if not result.links:
        await reply(update, context, words.no_patients())
        return
    lines = [
        words.patient_line(link.patient_name, link.scope, link.allowed_at, result.zone)
        for link in result.links
    ]
    markup = follow_keyboards.followed(result.links)
    await reply(update, context, words.patients_list(lines), markup)


async def follow_button(update: Update, context: Context) -> None:
    """A caregiver's press: [I agree] / [No thanks], or /patients' buttons."""
    pressed = await pressed_button(update, context, FollowButton)
    if pressed is None:
        return
    if pressed.action in (FollowAction.AGREE, FollowAction.DECLINE):
        await invites.agree_button(update, context, pressed)
        return
    uid, now = presser_id(update), services(context).clock.now()
    if pressed.action is FollowAction.LEAVE_SURE:
        result = await call(context, links.leave, uid, pressed.link, now)
        if isinstance(result, Refusal):
            await refuse(update, context, result)
            return
        await show(update, context, words.left(result.other_name))
        if result.tell is not None:
            to = result.tell
            await invites.tell(context, to, partial(words.caregiver_left, to.name))
        return
    found = await call(context, links.followed_link, uid, pressed.link)
    if isinstance(found, Refusal):
        await refuse(update, context, found)
    elif pressed.action is FollowAction.LEAVE:
        text = words.leave_ask(found.patient_name)
        await show(update, context, text, care_keyboards.leave_sure(found.id))
    else:  # STAY
        await show(update, context, words.nothing_changed())
