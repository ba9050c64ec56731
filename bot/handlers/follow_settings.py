"""A caregiver's own settings: each followed patient's page under /patients (how often summaries
come, the missed-dose alert), and their time zone and language (the button under /patients, or
/settings for someone who takes no LDN here themselves).

Each press or typed answer is one call into ``care`` (``care.link_settings``,
``care.summaries.set_preferences``, ``care.caregiver_settings``), which checks the presser
against the link or their own row; here it is only rendered.
"""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update

from bot import follow_keyboards, i18n, keyboards, texts
from bot import follow_texts as words
from bot import onboarding_texts as onboarding_words
from bot import settings_texts as settings_words
from bot.callbacks import (
    CadenceButton,
    LinkPage,
    LinkPageButton,
    MissedAlertButton,
    OwnSetting,
    OwnSettingsButton,
)
from bot.handlers import zone_answers
from bot.handlers.common import (
    Context,
    call,
    pressed_button,
    presser_id,
    refuse,
    reply,
    show,
    show_answer,
    typed_text,
)
from bot.services import services
from care import caregiver_settings, link_settings, summaries
from care.caregiver_settings import OwnOutcome, OwnSettings
from care.people import Refusal
from care.summaries import Preferences
from titration.timing import zone_label

# A followed patient's page -------------------------------------------------------------------


async def page_button(update: Update, context: Context) -> None:
    """A patient's name under /patients, or [Summaries] / [Missed-dose alert] on their page."""
    pressed = await pressed_button(update, context, LinkPageButton)
    if pressed is None:
        return
    now = services(context).clock.now()
    found = await call(context, link_settings.link_page, presser_id(update), pressed.link, now)
    if isinstance(found, Refusal):
        await refuse(update, context, found)
        return
    link = found.link
    if pressed.action is LinkPage.SHOW or not link.active:
        if link.active:
            text = words.page(
                link.patient_name,
                link.summaries,
                link.missed_alert_after,
                found.next_summary,
                found.zone,
            )
        else:
            text = words.page_waiting(link.patient_name)
        await reply(update, context, text, follow_keyboards.page(link))
    elif pressed.action is LinkPage.SUMMARIES:
        text = words.ask_cadence(link.patient_name)
        await show(update, context, text, follow_keyboards.cadences(link))
    else:
        await show(
            update, context, words.ask_alert(link.patient_name), follow_keyboards.alerts(link)
        )


async def cadence_button(update: Update, context: Context) -> None:
    """[Weekly] / [Daily] / [Off]: saved, with when the next summary comes."""
    pressed = await pressed_button(update, context, CadenceButton)
    if pressed is None:
        return
    now = services(context).clock.now()
    result = await call(
        context,
        summaries.set_preferences,
        presser_id(update),
        pressed.link,
        now,
        cadence=pressed.cadence,
    )
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    await show_answer(update, context, words.cadence_button(pressed.cadence))
    await _saved(update, context, words.cadence_saved(result.patient_name, result.cadence), result)


async def missed_alert_button(update: Update, context: Context) -> None:
    """After 1–7 nights, or [Off]: saved, with when the next summary comes."""
    pressed = await pressed_button(update, context, MissedAlertButton)
    if pressed is None:
        return
    now = services(context).clock.now()
    nights = pressed.nights or None  # 0: off
    result = await call(
        context,
        summaries.set_preferences,
        presser_id(update),
        pressed.link,
        now,
        missed_alert_after=nights,
    )
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    label = words.nights_button(nights) if nights is not None else words.off_button()
    await show_answer(update, context, label)
    text = words.alert_saved(result.patient_name, result.missed_alert_after)
    await _saved(update, context, text, result)


async def _saved(update: Update, context: Context, text: str, result: Preferences) -> None:
    services(context).wakeup.poke()
    await reply(update, context, f"{text}\n{words.next_summary(result.next_summary, result.zone)}")


# The caregiver's own time zone and language --------------------------------------------------


async def own_settings_button(update: Update, context: Context) -> None:
    """[Your time zone and language], then [Time zone] or [Language]."""
    pressed = await pressed_button(update, context, OwnSettingsButton)
    if pressed is None:
        return
    uid, now = presser_id(update), services(context).clock.now()
    if pressed.choice is OwnSetting.ZONE:
        result = await call(context, caregiver_settings.open_zone, uid, now)
    else:
        result = await call(context, caregiver_settings.own_settings, uid)
    if isinstance(result, Refusal):
        await refuse(update, context, result)
    elif pressed.choice is OwnSetting.LANGUAGE:
        await reply(update, context, settings_words.ask_language(), keyboards.languages())
    else:
        await render(update, context, result)


async def zone_typed(update: Update, context: Context) -> None:
    """A place typed while the caregiver's zone question is open."""
    text = await typed_text(update, context)
    if text is None:
        return
    now = services(context).clock.now()
    match = await zone_answers.read_place(context, text)
    result = await call(
        context, caregiver_settings.answer_zone, presser_id(update), match.zones, match.sure, now
    )
    if not isinstance(result, Refusal) and result.outcome is OwnOutcome.PICK_ZONE:
        await zone_answers.offer(update, context, match, result.zones)
        return
    await _render_or_refuse(update, context, result)


async def zone_chosen(
    update: Update, context: Context, zone: str | None, *, shared: bool = False
) -> None:
    """A zone tapped, or found at a shared location (None: none there)."""
    now = services(context).clock.now()
    result = await call(context, caregiver_settings.save_zone, presser_id(update), zone, now)
    outcome = None if isinstance(result, Refusal) else result.outcome
    if shared and outcome is OwnOutcome.ZONE_NOT_FOUND:
        await reply(update, context, onboarding_words.zone_not_at_location())
        return
    if not shared and zone is not None and outcome is OwnOutcome.SAVED:
        await show_answer(update, context, keyboards.city(zone))
    await _render_or_refuse(update, context, result)


async def cancel(update: Update, context: Context) -> None:
    """/cancel at the caregiver's zone question: nothing changes."""
    now = services(context).clock.now()
    if await call(context, caregiver_settings.cancel, presser_id(update), now):
        await reply(update, context, words.zone_unchanged(), ReplyKeyboardRemove())
    else:
        await reply(update, context, onboarding_words.nothing_to_cancel())


async def _render_or_refuse(
    update: Update, context: Context, result: OwnSettings | Refusal
) -> None:
    if isinstance(result, Refusal):
        await refuse(update, context, result)
    else:
        await render(update, context, result)


async def render(update: Update, context: Context, result: OwnSettings) -> None:
    """What the caregiver's own settings say after a step (also /settings' menu for them)."""
    now = services(context).clock.now()
    outcome = result.outcome
    if outcome is OwnOutcome.MENU:
        label = zone_label(result.zone, now) if result.zone_chosen else None
        text = words.own_menu(
            label, i18n.NAMES.get(result.language, result.language), result.is_patient
        )
        await reply(update, context, text, follow_keyboards.own_settings())
    elif outcome is OwnOutcome.ASK_ZONE:
        default = services(context).settings.default_timezone
        await reply(update, context, words.ask_zone(), keyboards.zone_choices(default))
    elif outcome is OwnOutcome.ZONE_NOT_FOUND:
        await reply(update, context, onboarding_words.zone_not_found())
    elif outcome is OwnOutcome.PICK_ZONE:
        await reply(update, context, onboarding_words.pick_zone(), keyboards.zones(result.zones))
    elif outcome is OwnOutcome.NOT_NOW:
        await reply(update, context, texts.not_text())
    else:  # SAVED
        services(context).wakeup.poke()
        saved = onboarding_words.zone_saved(result.zone, now)
        await reply(update, context, saved, ReplyKeyboardRemove())
        lines = [(n.patient_name, i18n.when(n.at, result.zone)) for n in result.next_summaries]
        await reply(update, context, words.next_summaries(lines))
