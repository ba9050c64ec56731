"""Buttons of caregiver links: what to share, [I agree], [Allow] / [Refuse], and the choices
under /caregivers and /patients. Each button names a link by its id; care checks the presser."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import care_texts as words
from bot.callbacks import (
    CallbackData,
    CareAction,
    CareButton,
    FollowAction,
    FollowButton,
    InviteButton,
)
from bot.keyboards import rows
from care.links import Shared
from titration.caregiving import Scope


def _button(text: str, callback: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=callback.pack())


def scopes() -> InlineKeyboardMarkup:
    return rows([_button(words.scope_button(s), InviteButton(s)) for s in Scope], 1)


def agree(link_id: int) -> InlineKeyboardMarkup:
    return rows(
        [
            _button(words.agree_button(), FollowButton(FollowAction.AGREE, link_id)),
            _button(words.decline_button(), FollowButton(FollowAction.DECLINE, link_id)),
        ],
        2,
    )


def allow(link_id: int) -> InlineKeyboardMarkup:
    return rows(
        [
            _button(words.allow_button(), CareButton(CareAction.ALLOW, link_id)),
            _button(words.refuse_button(), CareButton(CareAction.REFUSE, link_id)),
        ],
        2,
    )


def shared(links: list[Shared]) -> InlineKeyboardMarkup:
    """One button per caregiver under /caregivers."""
    return rows(
        [_button(s.caregiver_name, CareButton(CareAction.MANAGE, s.link.id)) for s in links], 1
    )


def manage(found: Shared) -> InlineKeyboardMarkup:
    link = found.link
    choices = [
        _button(
            f"✓ {words.scope_button(s)}" if s is link.scope else words.scope_button(s),
            CareButton(CareAction.SCOPE, link.id, s),
        )
        for s in Scope
    ]
    remove = CareButton(CareAction.REMOVE, link.id)
    return rows([*choices, _button(words.remove_button(found.caregiver_name), remove)], 1)


def remove_sure(link_id: int) -> InlineKeyboardMarkup:
    return rows(
        [
            _button(words.remove_sure_button(), CareButton(CareAction.REMOVE_SURE, link_id)),
            _button(words.keep_button(), CareButton(CareAction.KEEP, link_id)),
        ],
        1,
    )


def leave_sure(link_id: int) -> InlineKeyboardMarkup:
    return rows(
        [
            _button(words.leave_sure_button(), FollowButton(FollowAction.LEAVE_SURE, link_id)),
            _button(words.stay_button(), FollowButton(FollowAction.STAY, link_id)),
        ],
        1,
    )
