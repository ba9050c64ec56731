"""Clinic staff in chat: /templates (with Link, Retire, Patients and Apply buttons),
/newtemplate, /edittemplate, /rules, /setrule. Each is parse → one call into ``care.clinic``
(which checks the presser is an admin now) → render. A plan change applied to a patient is
told to them in their language.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot import clinic_texts as words
from bot import i18n
from bot.callbacks import RuleButton, TemplateAction, TemplateButton
from bot.handlers.common import (
    Context,
    call,
    pressed_button,
    presser_id,
    refuse,
    reply,
    send,
    show_answer,
)
from bot.services import services
from care import clinic
from care.clinic import Applied, Field, Listed, Outcome, TemplateResult
from care.people import Refusal

log = logging.getLogger(__name__)


def _text_after_command(update: Update) -> str:
    message = update.effective_message
    assert message is not None and message.text is not None
    return message.text.partition(" ")[2].strip()[:1000]


SHOWN = 10  # templates in one /templates message (the rest: ldn-bot admin template list)
_ASKS = {
    TemplateAction.RETIRE,
    TemplateAction.APPLY,
    TemplateAction.SWITCH,
    TemplateAction.SWITCH_TO,
    TemplateAction.CANCEL,
}
_CONFIRMED = {
    TemplateAction.RETIRE: TemplateAction.RETIRE_YES,
    TemplateAction.APPLY: TemplateAction.APPLY_YES,
    TemplateAction.SWITCH_TO: TemplateAction.SWITCH_YES,
}


async def _ask(
    update: Update, context: Context, question: str, yes: str, pressed: TemplateButton
) -> None:
    """The second confirmation an admin change needs: [Yes, …] / [Cancel]. The press itself is
    checked in care (an admin now) only when [Yes] comes."""
    confirmed = _button(yes, _CONFIRMED[pressed.action], pressed.template_id, pressed.patient_id)
    cancel = _button(words.cancel_button(), TemplateAction.CANCEL, pressed.template_id)
    await reply(update, context, question, InlineKeyboardMarkup([[confirmed, cancel]]))


def _template_keyboard(listed: list[Listed]) -> InlineKeyboardMarkup | None:
    rows = []
    for item in listed:
        tid = item.stored.id
        if item.stored.status == "active":
            rows.append(
                [
                    _button(words.link_button(tid), TemplateAction.LINK, tid),
                    _button(words.patients_button(tid), TemplateAction.PATIENTS, tid),
                    _button(words.retire_button(tid), TemplateAction.RETIRE, tid),
                ]
            )
        elif item.stored.status == "unconfirmed":
            target = item.stored.template.plan.target_mg
            rows.append([_button(words.confirm_target_button(target), TemplateAction.CONFIRM, tid)])
    return InlineKeyboardMarkup(rows) if rows else None


def _button(
    text: str, action: TemplateAction, template_id: int, patient_id: int | None = None
) -> InlineKeyboardButton:
    data = TemplateButton(action, template_id, patient_id).pack()
    return InlineKeyboardButton(text, callback_data=data)


async def templates_command(update: Update, context: Context) -> None:
    """/templates: every template, with its buttons."""
    now = services(context).clock.now()
    listed = await call(context, clinic.list_templates, presser_id(update), now)
    if isinstance(listed, Refusal):
        await refuse(update, context, listed)
        return
    shown = listed[-SHOWN:]  # the newest; a message holds 4,096 characters
    text = words.templates_list(shown, more=len(listed) - len(shown))
    await reply(update, context, text, _template_keyboard(shown))


async def new_template(update: Update, context: Context) -> None:
    """/newtemplate Name; plan; form."""
    parts = [part.strip() for part in _text_after_command(update).split(";")]
    if len(parts) not in (2, 3):
        await reply(update, context, words.usage_new())
        return
    name, plan = parts[0], parts[1]
    form = parts[2] if len(parts) == 3 else "capsule"
    now = services(context).clock.now()
    result = await call(context, clinic.create_template, presser_id(update), name, plan, form, now)
    await _saved(update, context, result)


async def edit_template(update: Update, context: Context) -> None:
    """/edittemplate <id> <part> <value> [confirm]."""
    words_in = _text_after_command(update).split(maxsplit=2)
    fields = {f.value for f in Field}
    if len(words_in) != 3 or not words_in[0].isdigit() or words_in[1] not in fields:
        await reply(update, context, words.usage_edit())
        return
    value = words_in[2]
    confirmed = value.lower().endswith(" confirm")
    value = value[: -len(" confirm")] if confirmed else value
    now = services(context).clock.now()
    result = await call(
        context,
        clinic.edit_template,
        presser_id(update),
        int(words_in[0][:18]),
        Field(words_in[1]),
        value,
        now,
        confirmed=confirmed,
    )
    await _saved(update, context, result)


async def _saved(update: Update, context: Context, result: TemplateResult | Refusal) -> None:
    if isinstance(result, Refusal):
        await refuse(update, context, result)
    elif result.outcome is Outcome.REJECTED:
        assert result.problem is not None
        await reply(update, context, words.problem(result.problem, result.value))
    elif result.outcome is Outcome.NOT_FOUND or result.stored is None:
        await reply(update, context, words.not_found())
    elif result.outcome is Outcome.CONFIRM_TARGET:
        stored = result.stored
        button = _button(
            words.confirm_target_button(stored.template.plan.target_mg),
            TemplateAction.CONFIRM,
            stored.id,
        )
        await reply(update, context, words.confirm_target(stored), InlineKeyboardMarkup([[button]]))
    elif result.stored.version > 1:
        await reply(update, context, words.edited(result.stored, result.followers))
    else:
        await reply(update, context, words.saved(result.stored))


async def template_button(update: Update, context: Context) -> None:
    """A press under /templates: link, retire, confirm a high target, patients, apply."""
    pressed = await pressed_button(update, context, TemplateButton)
    if pressed is None:
        return
    who, tid, now = presser_id(update), pressed.template_id, services(context).clock.now()
    if pressed.action in _ASKS:  # a question or a cancel: no change, but admins only all the same
        refused = await call(context, clinic.may_administer, who, pressed.action.value, now)
        if refused is not None:
            await refuse(update, context, refused)
            return
    if pressed.action is TemplateAction.LINK:
        code = await call(context, clinic.make_link, who, tid, now)
        if isinstance(code, Refusal):
            await refuse(update, context, code)
        elif isinstance(code, str):
            url = f"https://t.me/{context.bot.username}?start={code}"
            await reply(update, context, words.link(url, f"#{tid}"))
        else:
            await reply(update, context, words.not_found())
    elif pressed.action is TemplateAction.RETIRE:
        await _ask(update, context, words.retire_question(tid), words.yes_retire(), pressed)
    elif pressed.action is TemplateAction.CANCEL:
        await show_answer(update, context, words.cancel_button())
        await reply(update, context, words.nothing_changed())
    elif pressed.action is TemplateAction.RETIRE_YES:
        result = await call(context, clinic.retire_template, who, tid, now)
        if isinstance(result, Refusal):
            await refuse(update, context, result)
        elif result.stored is None:
            await reply(update, context, words.not_found())
        else:
            await show_answer(update, context, words.yes_retire())
            await reply(update, context, words.retired(result.stored, result.followers))
    elif pressed.action is TemplateAction.CONFIRM:
        await _saved(update, context, await call(context, clinic.confirm_template, who, tid, now))
    elif pressed.action is TemplateAction.PATIENTS:
        await _followers(update, context, tid)
    elif pressed.patient_id is not None and pressed.action is TemplateAction.APPLY:
        question = words.apply_question(tid, pressed.patient_id)
        await _ask(update, context, question, words.yes_apply(), pressed)
    elif pressed.patient_id is not None and pressed.action is TemplateAction.APPLY_YES:
        await _apply(update, context, tid, pressed.patient_id)
    elif pressed.patient_id is not None and pressed.action in _SWITCHING:
        await _switching(update, context, pressed, pressed.patient_id)
    else:
        await refuse(update, context, Refusal.STALE)


async def _followers(update: Update, context: Context, template_id: int) -> None:
    now = services(context).clock.now()
    found = await call(context, clinic.followers, presser_id(update), template_id, now)
    if isinstance(found, Refusal):
        await refuse(update, context, found)
        return
    older = [f.patient_id for f in found if not f.current]
    current = [f.patient_id for f in found if f.current]
    rows = [
        [_button(words.apply_button(p), TemplateAction.APPLY, template_id, p)] for p in older[:20]
    ]
    markup = InlineKeyboardMarkup(rows) if rows else None
    await reply(update, context, words.followers_list(template_id, older, current), markup)


async def _apply(update: Update, context: Context, template_id: int, patient_id: int) -> None:
    now = services(context).clock.now()
    result = await call(
        context, clinic.apply_template, presser_id(update), template_id, patient_id, now
    )
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    await _tell_patient(context, result)
    await show_answer(update, context, words.yes_apply())
    await reply(update, context, words.applied(patient_id))


_SWITCHING = {TemplateAction.SWITCH, TemplateAction.SWITCH_TO, TemplateAction.SWITCH_YES}


async def _switching(
    update: Update, context: Context, pressed: TemplateButton, patient_id: int
) -> None:
    """[Switch template] on a patient's page: pick an active template, confirm, switched."""
    who, now = presser_id(update), services(context).clock.now()
    if pressed.action is TemplateAction.SWITCH_YES:
        result = await call(
            context, clinic.switch_template, who, pressed.template_id, patient_id, now
        )
        if isinstance(result, Refusal):
            await refuse(update, context, result)
            return
        await _tell_patient(context, result)
        await show_answer(update, context, words.yes_switch())
        await reply(update, context, words.switched(patient_id, result.template))
        return
    active = await call(context, clinic.switch_choices, who, patient_id, now)
    if isinstance(active, Refusal):
        await refuse(update, context, active)
        return
    if pressed.action is TemplateAction.SWITCH:
        if not active:
            await reply(update, context, words.no_active_templates())
            return
        rows = [
            [_button(words.switch_choice(s), TemplateAction.SWITCH_TO, s.id, patient_id)]
            for s in active[:20]
        ]
        await reply(update, context, words.switch_choose(patient_id), InlineKeyboardMarkup(rows))
        return
    chosen = next((s for s in active if s.id == pressed.template_id), None)
    if chosen is None:
        await refuse(update, context, Refusal.STALE)
        return
    question = words.switch_question(patient_id, chosen)
    await _ask(update, context, question, words.yes_switch(), pressed)


async def _tell_patient(context: Context, applied: Applied) -> None:
    """The patient hears, in their own language, what the clinic changed."""
    await send(context, applied.chat_id, told_text(applied))


def told_text(applied: Applied) -> str:
    """What the patient reads of a plan the clinic changed, in the patient's language."""
    admin_language = i18n.current()
    i18n.use(applied.language)
    try:
        return words.plan_changed_for_patient(applied.template.template.plan)
    finally:
        i18n.use(admin_language)


async def tell_applied(bot: object, applied: Applied) -> None:
    """The same message from the operator's command line (a failed send is logged only)."""
    try:
        await bot.send_message(applied.chat_id, told_text(applied))  # type: ignore[attr-defined]
    except TelegramError as error:
        log.info(
            "patient %s not told of a plan change: %s", applied.patient_id, type(error).__name__
        )


async def rules_command(update: Update, context: Context) -> None:
    """/rules: every schedule rule, its value and range."""
    now = services(context).clock.now()
    rules = await call(context, clinic.rules_in_force, presser_id(update), now)
    if isinstance(rules, Refusal):
        await refuse(update, context, rules)
        return
    await reply(update, context, words.rules_list(rules))


async def set_rule(update: Update, context: Context) -> None:
    """/setrule <name> <value>: checked and shown (before → after) with [Yes, change it]."""
    parts = _text_after_command(update).split()
    if len(parts) != 2:
        await reply(update, context, words.usage_rule())
        return
    now = services(context).clock.now()
    name = parts[0][:40]
    result = await call(context, clinic.preview_rule, presser_id(update), name, parts[1], now)
    if isinstance(result, Refusal):
        await refuse(update, context, result)
    elif result.problem is not None:
        await reply(update, context, words.rule_problem(result))
    else:
        data = RuleButton(result.name, result.after).pack()
        yes = InlineKeyboardButton(words.yes_change(), callback_data=data)
        cancel = _button(words.cancel_button(), TemplateAction.CANCEL, 0)
        markup = InlineKeyboardMarkup([[yes, cancel]])
        await reply(update, context, words.rule_question(result), markup)


async def rule_button(update: Update, context: Context) -> None:
    """[Yes, change it] under a /setrule preview: the change is checked and made now."""
    pressed = await pressed_button(update, context, RuleButton)
    if pressed is None:
        return
    now = services(context).clock.now()
    result = await call(
        context, clinic.set_rule, presser_id(update), pressed.name, str(pressed.value), now
    )
    if isinstance(result, Refusal):
        await refuse(update, context, result)
    elif result.problem is not None:
        await reply(update, context, words.rule_problem(result))
    else:
        await show_answer(update, context, words.yes_change())
        await reply(update, context, words.rule_set(result))
