"""What every handler needs (settings, storage, clock, scheduler), kept in ``bot_data``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram.ext import CallbackContext

from bot.config import Settings
from bot.conversation import OpenQuestions
from bot.summary_charts import SummaryCharts
from bot.updates import Watermark
from scheduler.care_dispatch import CareDispatcher
from scheduler.clock import Clock
from scheduler.dispatch import Dispatcher
from scheduler.wakeup import Wakeup
from storage.db import Store

KEY = "services"


@dataclass
class Services:
    settings: Settings
    store: Store
    clock: Clock
    wakeup: Wakeup
    dispatcher: Dispatcher
    care_dispatcher: CareDispatcher | None = None  # caregivers' summaries and alerts
    summary_charts: SummaryCharts | None = None  # their charts' worker process
    seen_updates: Watermark = field(default_factory=Watermark)  # set from the database at start
    open_questions: OpenQuestions = field(default_factory=OpenQuestions)  # noted by the gate


def services(context: CallbackContext[Any, Any, Any, Any]) -> Services:
    found = context.bot_data[KEY]
    assert isinstance(found, Services)
    return found
