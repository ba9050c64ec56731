"""Buttons of a caregiver's own settings: /patients (a page per followed patient, and their own
time zone and language), each page's questions with the current choice ticked, and the /start
that offers their own LDN tracking. Each button names a link by its id; care checks the presser.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import care_texts
from bot import follow_texts as words
from bot.callbacks import (
    CadenceButton,
    CallbackData,
    FollowAction,
    FollowButton,
    LinkPage,
    LinkPageButton,
    MissedAlertButton,
    OwnSetting,
    OwnSettingsButton,
    StartAs,
    StartButton,
)
from bot.keyboards import rows
from storage.caregivers import Link
from titration.caregiving import SummaryCadence

NIGHTS = range(1, 8)  # the missed-dose alert: after 1–7 nights in a row


def _button(text: str, callback: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=callback.pack())


def _ticked(text: str, chosen: bool) -> str:
    return f"✓ {text}" if chosen else text


def followed(links: list[Link]) -> InlineKeyboardMarkup:
    """Under /patients: a page per patient, then the caregiver's own settings."""
    pages = [
        _button(words.page_button(link.patient_name), LinkPageButton(LinkPage.SHOW, link.id))
        for link in links
    ]
    own = _button(words.own_settings_button(), OwnSettingsButton(OwnSetting.MENU))
    return rows([*pages, own], 1)


def page(link: Link) -> InlineKeyboardMarkup:
    """A patient's page: its two questions (an active link) and [Stop following …]."""
    leave = _button(
        care_texts.leave_button(link.patient_name), FollowButton(FollowAction.LEAVE, link.id)
    )
    if not link.active:
        return rows([leave], 1)
    return rows(
        [
            _button(words.summaries_button(), LinkPageButton(LinkPage.SUMMARIES, link.id)),
            _button(words.alert_button(), LinkPageButton(LinkPage.ALERT, link.id)),
            leave,
        ],
        1,
    )


def cadences(link: Link) -> InlineKeyboardMarkup:
    return rows(
        [
            _button(
                _ticked(words.cadence_button(c), c is link.summaries), CadenceButton(link.id, c)
            )
            for c in SummaryCadence
        ],
        1,
    )


def alerts(link: Link) -> InlineKeyboardMarkup:
    """1–7 nights in two rows of four with [Off] last; the current choice ticked."""
    buttons = [
        _button(
            _ticked(words.nights_button(n), n == link.missed_alert_after),
            MissedAlertButton(link.id, n),
        )
        for n in NIGHTS
    ]
    off = _ticked(words.off_button(), link.missed_alert_after is None)
    return rows([*buttons, _button(off, MissedAlertButton(link.id, 0))], 4)


def own_settings() -> InlineKeyboardMarkup:
    return rows(
        [
            _button(words.zone_button(), OwnSettingsButton(OwnSetting.ZONE)),
            _button(words.language_button(), OwnSettingsButton(OwnSetting.LANGUAGE)),
        ],
        2,
    )


def start_own() -> InlineKeyboardMarkup:
    return rows([_button(words.start_own_button(), StartButton(StartAs.PATIENT))], 1)
