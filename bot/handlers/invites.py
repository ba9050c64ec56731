"""Linking a caregiver: /invite (what to share, then the one-time link), ``/start <code>`` (the
invitation the caregiver opens), [I agree], the caregiver's own time zone, and the patient's
[Allow] / [Refuse]. Each step is one call into ``care.invites``; here it is only rendered, and
the other person is told in their own language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from telegram import ReplyKeyboardRemove, Update
from telegram.error import TelegramError

from bot import care_keyboards, i18n, keyboards, texts
from bot import care_texts as words
from bot import onboarding_texts as onboarding_words
from bot.callbacks import CareAction, CareButton, FollowAction, FollowButton, InviteButton
from bot.handlers import zone_answers
from bot.handlers.common import (
    Context,
    Markup,
    call,
    pressed_button,
    presser_id,
    refuse,
    reply,
    send,
    show,
    show_answer,
    typed_text,
)
from bot.menus import set_chat_menu
from bot.services import services
from care import invites
from care.caregiving import Recipient
from care.invites import Joining, JoinOutcome, OpenOutcome
from care.people import Refusal, enrolled_presser
from titration import invite_codes, timing

log = logging.getLogger(__name__)


async def tell(
    context: Context,
    to: Recipient,
    text: Callable[[], str],
    markup: Callable[[], Markup] | None = None,
) -> None:
    """A message to someone else, in their language (the presser's is kept for what follows).
    A person who blocked the bot is simply not told."""
    previous = i18n.current()
    i18n.use(to.language)
    try:
        body, buttons = text(), markup() if markup is not None else None
    finally:
        i18n.use(previous)
    try:
        await send(context, to.chat_id, body, buttons)
    except TelegramError as error:
        log.info("could not tell chat %s: %s", to.chat_id, type(error).__name__)


# /invite ---------------------------------------------------------------------------------------


async def invite_command(update: Update, context: Context) -> None:
    """/invite: what should the caregiver see?"""
    patient = await call(context, enrolled_presser, presser_id(update))
    if isinstance(patient, Refusal):
        await refuse(update, context, patient)
        return
    await reply(update, context, words.invite_ask(), care_keyboards.scopes())


async def invite_button(update: Update, context: Context) -> None:
    """A scope picked under /invite: the one-time link."""
    pressed = await pressed_button(update, context, InviteButton)
    if pressed is None:
        return
    assert update.effective_user is not None
    name = update.effective_user.first_name
    now = services(context).clock.now()
    result = await call(context, invites.invite, presser_id(update), pressed.scope, name, now)
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    if result.code is None or result.expires_at is None:
        await show(update, context, words.too_many_invites(invite_codes.MAX_PENDING))
        return
    await show_answer(update, context, words.scope_button(pressed.scope))
    link = f"https://t.me/{context.bot.username}?start={result.code}"
    zone = timing.zone(result.zone_name or "UTC")
    await reply(update, context, words.invite_link(link, pressed.scope, result.expires_at, zone))


# The caregiver's side -------------------------------------------------------------------------


async def open_invite(update: Update, context: Context) -> None:
    """``/start <code>``: the invitation, or one clear refusal (and silence once rate-limited)."""
    assert update.effective_user is not None and context.args
    user = update.effective_user
    language = i18n.language_for(user.language_code)
    now = services(context).clock.now()
    code = context.args[0]
    result = await call(context, invites.open_invite, user.id, code, user.first_name, language, now)
    if result.outcome is OpenOutcome.OPENED:
        assert result.link is not None
        await set_chat_menu(context, user.id)
        text = words.invitation(result.patient_name, result.link.scope)
        await reply(update, context, text, care_keyboards.agree(result.link.id))
    elif result.outcome is OpenOutcome.NOT_VALID:
        await reply(update, context, words.code_not_valid())
    elif result.outcome is OpenOutcome.TOO_MANY_TRIES:
        await reply(update, context, words.too_many_tries())
    elif result.outcome is OpenOutcome.OWN_INVITE:
        await reply(update, context, words.own_invite())
    elif result.outcome is OpenOutcome.ALREADY_LINKED:
        await reply(update, context, words.already_linked(result.patient_name))
    # IGNORED: guessing past the limit gets no answer at all


async def agree_button(update: Update, context: Context, pressed: FollowButton) -> None:
    """[I agree] / [No thanks] under an invitation."""
    now = services(context).clock.now()
    agreed = pressed.action is FollowAction.AGREE
    intention = invites.agree if agreed else invites.decline
    result = await call(context, intention, presser_id(update), pressed.link, now)
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    await show_answer(update, context, words.agree_button() if agreed else words.decline_button())
    await _joined(update, context, result)


async def zone_typed(update: Update, context: Context) -> None:
    """A place typed while the caregiver's zone question is open."""
    text = await typed_text(update, context)
    if text is None:
        return
    now = services(context).clock.now()
    match = await zone_answers.read_place(context, text)
    result = await call(
        context, invites.zone_typed, presser_id(update), match.zones, match.sure, now
    )
    if not isinstance(result, Refusal) and result.outcome is JoinOutcome.PICK_ZONE:
        await zone_answers.offer(update, context, match, result.zones)
        return
    await _joined(update, context, result)


async def zone_chosen(
    update: Update, context: Context, zone: str | None, *, shared: bool = False
) -> None:
    """A zone tapped, or found at a shared location (None: none there)."""
    now = services(context).clock.now()
    result = await call(context, invites.choose_zone, presser_id(update), zone, now)
    outcome = None if isinstance(result, Refusal) else result.outcome
    if shared and outcome is JoinOutcome.ZONE_NOT_FOUND:
        await reply(update, context, onboarding_words.zone_not_at_location())
        return
    if not shared and zone is not None and outcome is JoinOutcome.PATIENT_ASKED:
        await show_answer(update, context, keyboards.city(zone))
    await _joined(update, context, result)


async def cancel(update: Update, context: Context) -> None:
    """/cancel at the caregiver's zone question: nothing is shared, the patient is not asked."""
    now = services(context).clock.now()
    if await call(context, invites.cancel_joining, presser_id(update), now):
        await reply(update, context, words.joining_cancelled(), ReplyKeyboardRemove())
    else:
        await reply(update, context, onboarding_words.nothing_to_cancel())


async def _joined(update: Update, context: Context, result: Joining | Refusal) -> None:
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    outcome = result.outcome
    if outcome is JoinOutcome.DECLINED:
        await reply(update, context, words.declined())
    elif outcome is JoinOutcome.ASK_ZONE:
        default = services(context).settings.default_timezone
        await reply(update, context, words.ask_zone(), keyboards.zone_choices(default))
    elif outcome is JoinOutcome.ZONE_NOT_FOUND:
        await reply(update, context, onboarding_words.zone_not_found())
    elif outcome is JoinOutcome.PICK_ZONE:
        await reply(update, context, onboarding_words.pick_zone(), keyboards.zones(result.zones))
    elif outcome is JoinOutcome.NOT_NOW:
        await reply(update, context, texts.not_text())
    if result.zone_saved is not None:
        now = services(context).clock.now()
        saved = onboarding_words.zone_saved(timing.zone(result.zone_saved), now)
        await reply(update, context, saved, ReplyKeyboardRemove())
    for ask in result.asks:
        link = ask.link
        await reply(update, context, words.waiting_for(link.patient_name))
        question = partial(words.patient_ask, ask.to.name, link.scope)
        await tell(context, ask.to, question, partial(care_keyboards.allow, link.id))


# The patient's answer -------------------------------------------------------------------------


async def decide_button(update: Update, context: Context, pressed: CareButton) -> None:
    """The patient's [Allow] / [Refuse]; the caregiver is told either way."""
    allow = pressed.action is CareAction.ALLOW
    now = services(context).clock.now()
    result = await call(context, invites.decide, presser_id(update), pressed.link, allow, now)
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    to, scope = result.caregiver, result.link.scope
    if allow:
        await show(update, context, words.allowed(result.caregiver_name))
        await tell(context, to, partial(words.allowed_to_caregiver, to.name, scope))
        await set_chat_menu(context, to.chat_id)
    else:
        await show(update, context, words.refused(result.caregiver_name))
        await tell(context, to, partial(words.refused_to_caregiver, to.name))
