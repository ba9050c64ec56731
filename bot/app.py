"""The composition root: builds the Application and registers every handler, in priority order."""

from __future__ import annotations

import gc
import logging
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import menus
from bot.aiohttp_request import AiohttpRequest
from bot.callbacks import (
    AdminActionButton,
    AdminAuditButton,
    AdminConfirmButton,
    AdminListButton,
    AdminPatientButton,
    BenefitButton,
    CadenceButton,
    CallbackData,
    CareButton,
    CaregiverButton,
    ClinicConsentButton,
    ConfirmButton,
    ConsentButton,
    DoseButton,
    DoseTimeButton,
    EffectButton,
    ExportFormatButton,
    ExportPeriodButton,
    ExportSendButton,
    FixButton,
    FollowButton,
    ForgetButton,
    FormButton,
    HistoryButton,
    InviteButton,
    LanguageButton,
    LinkPageButton,
    MissedAlertButton,
    OwnSettingsButton,
    PlanButton,
    RuleButton,
    SafetyButton,
    ScreeningButton,
    SettingsButton,
    SeverityButton,
    StaffButton,
    StartButton,
    StepButton,
    SupplyButton,
    TemplateButton,
    TimeButton,
    UndoButton,
    ZoneButton,
)
from bot.care_sender import make_care_sender
from bot.config import Settings
from bot.conversation import Awaiting
from bot.handlers import (
    admin,
    admin_actions,
    care_links,
    caregiving,
    checkins,
    clinic,
    corrections,
    doses,
    errors,
    exports,
    follow_settings,
    free_text,
    gate,
    history,
    info,
    invites,
    onboarding,
    privacy,
    safety,
    settings,
    supply,
)
from bot.handlers.common import invalid_button
from bot.overflow import slow_down
from bot.pacing import Pacer
from bot.sender import make_sender
from bot.services import KEY, Services
from bot.summary_charts import SummaryCharts
from bot.updates import PerChatUpdateProcessor, Watermark
from care import staff
from care.admin_actions import AdminStep
from care.caregiver_settings import CaregiverSettingsStep
from care.checkins import CheckinStep
from care.invites import CaregiverStep
from care.links import roles
from care.onboarding import OnboardingStep
from care.settings import SettingsStep
from care.supply import SupplyStep
from scheduler.care_dispatch import CareDispatcher
from scheduler.clock import Clock
from scheduler.dispatch import Dispatcher
from scheduler.wakeup import Wakeup
from storage import updates
from storage.db import Store

log = logging.getLogger(__name__)

BotApp = Application[Any, Any, Any, Any, Any, Any]

UPDATE_CONCURRENCY = 1024  # updates handled at once (never two from the same chat)
# Updates waiting behind their own chat's take no slot (bot.updates), so one chat's flood cannot
# fill them; each chat may have BACKLOG updates accepted, the rest are dropped (bot.overflow).
FREEZE_HEAP = "freeze_heap_after_start"  # bot_data key: build_application(whole_process=...)


def build_application(
    config: Settings,
    store: Store,
    clock: Clock,
    *,
    rate_limit: bool = True,
    read_timeout: float = 10.0,
    whole_process: bool = False,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    pace: Pacer | None = None,
) -> BotApp:
    """The bot, its scheduler and its send queue, wired together but not yet started.

    ``whole_process``: the bot is all this process runs (``ldn-bot run``), so start-up may tune
    the interpreter for it; tests that build many bots in one process leave it off.
    ``request``, ``get_updates_request``: other transports than ``AiohttpRequest`` (tests).
    ``pace``: another pacer than Telegram's limits (``telegram_pace``), for tests.
    """
    builder = (
        ApplicationBuilder()
        .token(config.telegram_bot_token.get_secret_value())
        # A small pool with bounded concurrency is cheaper per send than a big one.
        .request(request or AiohttpRequest(connection_pool_size=16, read_timeout=read_timeout))
        .get_updates_request(
            get_updates_request or AiohttpRequest(connection_pool_size=2, read_timeout=40)
        )
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        # Waiting updates are cheap coroutines. Each button's edit waits its turn in the
        # pacer while reminders go out; enough slots keep a burst of presses from queueing
        # behind those edits, so every press is still answered at once. Only the first update
        # of each chat holds a slot; its chat's others wait without one.
        .concurrent_updates(PerChatUpdateProcessor(UPDATE_CONCURRENCY))
        .job_queue(None)  # our own single wake-up job replaces PTB's JobQueue
        .post_init(_post_init)
        .post_stop(_post_stop)
    )
    if config.telegram_api_base_url:
        base = config.telegram_api_base_url.rstrip("/")
        builder = builder.base_url(base).base_file_url(base.removesuffix("/bot") + "/file/bot")
    if rate_limit:
        builder = builder.rate_limiter(pace or telegram_pace())  # type: ignore[arg-type]
    app: BotApp = builder.build()
    assert isinstance(app.update_processor, PerChatUpdateProcessor)
    app.update_processor.application = app  # it forgets PTB's persistence marks (no persistence)
    app.update_processor.on_overflow = slow_down(app)
    dispatcher = Dispatcher(store, clock, make_sender(app.bot), concurrency=config.send_concurrency)
    charts = SummaryCharts()  # a worker process for the caregivers' summary charts, on first use
    care = CareDispatcher(store, clock, make_care_sender(app.bot, charts))
    wakeup = Wakeup(store, clock, dispatcher, care=care)
    app.bot_data[KEY] = Services(config, store, clock, wakeup, dispatcher, care, charts)
    app.bot_data[FREEZE_HEAP] = whole_process
    register_handlers(app)
    return app


MESSAGES_PER_SECOND = 28.5


def telegram_pace() -> Pacer:
    """Telegram allows about 30 messages a second overall; see ``bot.pacing``.

    Slots 1/28.5 s apart put at most 30 sends in any one-second window, and leave a 53 ms
    squeeze of jitter on the way (a pause in either process, the network) before a 31st
    arrives within one second: at 29/s a single 35 ms hiccup drew a 429. 10,000 reminders take
    351 s, well within the 6 minutes asked for; at 28/s they would take 357 s.
    """
    return Pacer(MESSAGES_PER_SECOND, max_retries=3)


def register_handlers(app: BotApp) -> None:
    """Every handler, in the order updates should meet them."""
    # Typed answers, commands and locations come from new messages only: an edit is not a new
    # answer (it could otherwise answer whatever question is open now). Edits meet only the
    # safety scan, which gives an urgent answer at most once per message and sign.
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    any_text = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGES & filters.TEXT

    # Before anything else: one pass per update, private chats only.
    app.add_handler(TypeHandler(Update, gate.gate), group=-2)
    # Then, for any free text: urgent signs get their answer at once (and handling goes on).
    # A crisis answer stops the message there (nothing else answers it).
    app.add_handler(MessageHandler(any_text & ~filters.COMMAND, safety.safety_scan), group=-1)

    # A caregiver opening a patient's invitation (t.me/<bot>?start=cg_…) comes before /start's
    # onboarding: the invitation is theirs to answer, not a patient's sign-up.
    invitation = filters.Regex(r"^/start(@\w+)?\s+cg_")
    app.add_handler(CommandHandler("start", invites.open_invite, filters=private & invitation))

    # Commands from the "/" menu.
    commands = {
        "start": onboarding.start,
        "cancel": onboarding.cancel,
        "help": info.help_command,
        "today": info.today,
        "plan": info.plan_command,
        "settings": settings.settings_command,
        "pause": settings.pause,
        "resume": settings.resume,
        "export": exports.export_command,
        "forget": privacy.forget,
        "checkin": checkins.checkin_command,
        "history": history.history_command,
        "supply": supply.supply_command,
        "invite": invites.invite_command,
        "caregivers": care_links.caregivers_command,
        "patients": care_links.patients_command,
        # Clinic staff (care.clinic checks the role; bot.clinic_texts.ADMIN_COMMANDS for menus).
        "templates": clinic.templates_command,
        "newtemplate": clinic.new_template,
        "edittemplate": clinic.edit_template,
        "rules": clinic.rules_command,
        "setrule": clinic.set_rule,
        # Clinic staff: listed only in an admin's own menu; care checks the role at each use.
        "admin": admin.admin_command,
        "grant": admin.grant_command,
        "revoke": admin.revoke_command,
        "summary": caregiving.summary_command,
    }
    for name, callback in commands.items():
        app.add_handler(CommandHandler(name, callback, filters=private))

    # Button presses, routed by the callback data's area.
    buttons: dict[type[CallbackData], Any] = {
        ConsentButton: onboarding.consent,
        ClinicConsentButton: onboarding.consent,
        TemplateButton: clinic.template_button,
        RuleButton: clinic.rule_button,
        ConfirmButton: onboarding.confirm,
        ScreeningButton: onboarding.screening,
        ZoneButton: onboarding.zone_pick,
        TimeButton: onboarding.time_pick,
        PlanButton: onboarding.plan_pick,
        DoseButton: doses.dose_button,
        UndoButton: corrections.undo_button,
        FixButton: corrections.fix_button,
        StepButton: doses.step_button,
        SupplyButton: supply.supply_button,
        SettingsButton: settings.settings_button,
        LanguageButton: settings.language_button,
        DoseTimeButton: settings.dose_time_button,
        FormButton: settings.form_button,
        ForgetButton: privacy.forget_button,
        EffectButton: checkins.effect_button,
        SeverityButton: checkins.severity_button,
        BenefitButton: checkins.benefit_button,
        SafetyButton: safety.safety_button,
        ExportFormatButton: exports.format_button,
        ExportPeriodButton: exports.period_button,
        ExportSendButton: exports.send_button,
        HistoryButton: history.history_button,
        InviteButton: invites.invite_button,
        CareButton: care_links.care_button,
        FollowButton: care_links.follow_button,
        AdminListButton: admin.list_button,
        AdminPatientButton: admin.patient_button,
        AdminAuditButton: admin.audit_button,
        AdminActionButton: admin_actions.action_button,
        AdminConfirmButton: admin_actions.confirm_button,
        StaffButton: admin.staff_button,
        CaregiverButton: caregiving.caregiver_button,
        # A caregiver's own settings: each followed patient's page, their zone and language.
        LinkPageButton: follow_settings.page_button,
        CadenceButton: follow_settings.cadence_button,
        MissedAlertButton: follow_settings.missed_alert_button,
        OwnSettingsButton: follow_settings.own_settings_button,
        StartButton: onboarding.start_own,
    }
    for area, callback in buttons.items():
        app.add_handler(CallbackQueryHandler(callback, pattern=area.pattern()))
    app.add_handler(CallbackQueryHandler(invalid_button))

    # Typed answers and shared locations.
    other_words = Awaiting(services_of(app).open_questions, CheckinStep)
    app.add_handler(
        MessageHandler(
            private & filters.TEXT & ~filters.COMMAND & other_words, checkins.other_answer
        )
    )
    typed = private & filters.TEXT & ~filters.COMMAND
    questions = services_of(app).open_questions
    # An admin's open question (a dose, reason, time or zone) before their own as a patient.
    app.add_handler(
        MessageHandler(typed & Awaiting(questions, AdminStep), admin_actions.typed_answer)
    )
    app.add_handler(
        MessageHandler(typed & Awaiting(questions, OnboardingStep), onboarding.typed_answer)
    )
    app.add_handler(
        MessageHandler(typed & Awaiting(questions, SettingsStep), settings.typed_answer)
    )
    app.add_handler(MessageHandler(typed & Awaiting(questions, SupplyStep), supply.typed_amount))
    app.add_handler(MessageHandler(typed & Awaiting(questions, CaregiverStep), invites.zone_typed))
    app.add_handler(
        MessageHandler(
            typed & Awaiting(questions, CaregiverSettingsStep), follow_settings.zone_typed
        )
    )
    app.add_handler(MessageHandler(private & filters.LOCATION, onboarding.location))
    app.add_handler(MessageHandler(typed, free_text.not_awaited))  # nobody asked

    # Catch-alls: unknown commands, other media, block/unblock.
    app.add_handler(MessageHandler(private & filters.COMMAND, gate.unknown_command))
    app.add_handler(ChatMemberHandler(gate.member_changed, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(private, gate.not_text))

    app.add_error_handler(errors.on_error)


async def _post_init(app: BotApp) -> None:
    await _set_command_menus(app)
    svc = services_of(app)
    svc.seen_updates = Watermark(await svc.store.run(updates.highest))
    svc.dispatcher.start()
    if svc.care_dispatcher is not None:
        svc.care_dispatcher.start()
    await svc.wakeup.start()
    if app.bot_data.get(FREEZE_HEAP):
        # Everything made so far lives as long as the process: keep it out of the garbage
        # collector's full passes, which otherwise walk it all and stall the event loop for
        # tens of milliseconds in the middle of an evening's fan-out.
        gc.freeze()


async def _post_stop(app: BotApp) -> None:
    services_of(app).wakeup.shutdown()
    await services_of(app).dispatcher.stop()
    care = services_of(app).care_dispatcher
    if care is not None:
        await care.stop()
    charts = services_of(app).summary_charts
    if charts is not None:
        charts.shutdown()


async def _set_command_menus(app: BotApp) -> None:
    """The "/" menu in each language; ``ADMIN_IDS`` made admins (see ``care.staff``), and each
    admin's own menu with the clinic's commands (a revoked admin's taken back)."""
    await menus.set_everyones(app.bot)
    svc = services_of(app)
    found = await svc.store.run(staff.bootstrap, svc.settings.admin_ids, svc.clock.now())
    for telegram_id in found.kept_out:
        log.warning(
            "ADMIN_IDS names %s, whose admin role was revoked: not granted again "
            "(ldn-bot admin grant %s restores it)",
            telegram_id,
            telegram_id,
        )
    for telegram_id in (*found.admins, *found.revoked):
        await menus.apply(app.bot, telegram_id, await svc.store.run(roles, telegram_id))


def services_of(app: BotApp) -> Services:
    found = app.bot_data[KEY]
    assert isinstance(found, Services)
    return found
