"""/history end to end: a PNG chart of the last 30 days with a two-line summary (adherence from
the domain's one computation), the text per dose after it, [90 days] / [Since the start] buttons,
forged buttons refused, and a German patient's chart in German."""

from __future__ import annotations

import io
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from bot import charts, i18n, texts
from bot.callbacks import HistoryButton
from bot.chart_texts import chart_labels
from bot.charts import render
from bot.handlers import history as history_handlers
from care.views import HistoryPeriod
from storage import record as stored
from tests.e2e.harness import HANDLER_FLOW, BotHarness, BotOptions, onboard
from tests.emulator import SentMessage

pytestmark = pytest.mark.e2e
ANA, BEN = 1001, 1002
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def bot_options() -> BotOptions:
    return HANDLER_FLOW


def png_size(message: SentMessage) -> tuple[int, int]:
    assert message.media == "photo" and message.photo is not None
    image = Image.open(io.BytesIO(message.photo))
    image.load()  # decodes every pixel
    assert image.format == "PNG"
    return image.size


async def four_nights(bot: BotHarness) -> None:
    """Taken on time, taken 90 minutes late, skipped, and one never answered (missed)."""
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await bot.tap(ANA, "Taken", expect="taken at")
    await bot.advance_to_local("Europe/Berlin", "23:30", days=1)
    await bot.tap(ANA, "Taken", expect="taken at")
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await bot.tap(ANA, "Skip", expect="Skipped")
    await bot.advance_to_local("Europe/Berlin", "22:00")
    await bot.advance_to_local("Europe/Berlin", "21:00")  # the night before is closed as missed


def chart_as_rendered(bot: BotHarness, user: int, days: int, language: str) -> bytes:
    """The chart the test itself draws from the stored record, in ``language``."""
    (patient_id,) = bot.db("SELECT id FROM patients WHERE telegram_id = ?", [user])[0]
    last = bot.clock.now().astimezone(BERLIN).date()
    assert bot.store is not None
    record = bot.store.run_sync(
        stored.load, patient_id, BERLIN, last - timedelta(days=days - 1), last
    )
    i18n.use(language)
    try:
        return render(record, chart_labels())
    finally:
        i18n.use("en")


async def test_history_is_a_chart_with_a_summary_then_the_text(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.tap(ANA, "Later", expect="ask in a week")
    await four_nights(bot)
    assert bot.clock.now().astimezone(BERLIN).date() == date(2026, 12, 2)  # nights 28 Nov–1 Dec
    before = bot.count(ANA)
    chart = await bot.say(ANA, "/history", expect="Last 30 days")
    assert png_size(chart) == (1000, charts.FULL_HEIGHT_PX)
    assert chart.photo == chart_as_rendered(bot, ANA, 30, "en")
    assert chart.body.splitlines() == [
        "Last 30 days: 2 of 4 nights taken (50%), 1 of them late. Now on 0.5 mg.",
        "No check-ins in this period.",
    ]
    assert [b["text"] for b in chart.buttons()] == ["📈 90 days", "📈 Since the start"]
    # The text /history comes right after it, as before.
    messages = bot.emu.messages(ANA)[before:]
    assert [m.media for m in messages] == ["photo", None]
    assert messages[1].body.startswith("Your last 30 days:")
    assert "No check-ins yet." in messages[1].body


async def test_the_summary_names_the_side_effect_noted_most(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.tap(ANA, "Later", expect="ask in a week")
    for effects in (["Vivid dreams", "Headache"], ["Vivid dreams"], []):
        await bot.advance_to_local("Europe/Berlin", "22:00")
        await bot.tap(ANA, "Taken", expect="taken at")
        await bot.advance_to_local("Europe/Berlin", "09:00")
        for label in effects:
            await bot.tap(ANA, label, expect="Good morning")
        await bot.tap(ANA, "Done" if effects else "None of these")
        for _ in effects:
            await bot.tap(ANA, "Mild")
    chart = await bot.say(ANA, "/history", expect="Last 30 days")
    assert chart.body.splitlines()[1] == "Most noted: vivid dreams, on 2 of 3 check-ins."
    assert chart.body.splitlines()[0].startswith("Last 30 days: 3 of 3 nights taken (100%).")


async def test_the_90_day_and_all_buttons_change_the_chart(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.tap(ANA, "Later", expect="ask in a week")
    await four_nights(bot)
    month = await bot.say(ANA, "/history", expect="Last 30 days")
    month_png, month_caption = month.photo, month.body
    before = bot.count(ANA)
    quarter = await bot.tap(ANA, "90 days", expect="Last 90 days")
    assert bot.count(ANA) == before and quarter.message_id == month.message_id  # replaced
    assert quarter.edits == [month_caption]
    assert png_size(quarter) == (1000, charts.FULL_HEIGHT_PX)
    assert quarter.photo == chart_as_rendered(bot, ANA, 90, "en") != month_png
    assert "2 of 4 nights taken (50%)" in quarter.body
    assert [b["text"] for b in quarter.buttons()] == ["📈 30 days", "📈 Since the start"]
    everything = await bot.tap(ANA, "Since the start", expect="Since you started")
    assert everything.message_id == month.message_id and bot.count(ANA) == before
    assert png_size(everything) == (1000, charts.FULL_HEIGHT_PX)
    assert "2 of 4 nights taken (50%)" in everything.body
    back = await bot.tap(ANA, "30 days", expect="Last 30 days")
    assert back.photo == month_png


async def test_a_forged_history_button_is_refused(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    bot.seed_patient(BEN, zone="Europe/Berlin", bedtime="22:00")
    chart = await bot.say(ANA, "/history", expect="Last 30 days")
    ((ben_id,),) = bot.db("SELECT id FROM patients WHERE telegram_id = ?", [BEN])
    for data, answer in [
        (HistoryButton(HistoryPeriod.ALL, ben_id).pack(), texts.not_yours()),
        ("v1:hist:365:1", texts.invalid_button()),  # no such period
    ]:
        before = await bot.forge(ANA, chart.message_id, data)
        new = bot.emu.messages(ANA)[before:]
        assert [(m.media, m.body) for m in new] == [(None, answer)]
    # Naming Ana herself, the same press is hers: the chart changes (sent anew when forged
    # onto a message that does not carry that button).
    ((ana_id,),) = bot.db("SELECT id FROM patients WHERE telegram_id = ?", [ANA])
    before = await bot.forge(ANA, chart.message_id, HistoryButton(HistoryPeriod.ALL, ana_id).pack())
    assert bot.count(ANA) == before and chart.body.startswith("Since you started")
    (welcome,) = [m for m in bot.emu.messages(ANA) if "All set" in m.body]
    forged = HistoryButton(HistoryPeriod.QUARTER, ana_id).pack()
    before = await bot.forge(ANA, welcome.message_id, forged)
    assert [(m.media, m.body[:12]) for m in bot.emu.messages(ANA)[before:]] == [
        ("photo", "Last 90 days")
    ]
    assert "All set" in welcome.body  # untouched


async def test_a_german_patient_gets_the_chart_in_german(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.tap(ANA, "Later", expect="ask in a week")
    await four_nights(bot)
    english = await bot.say(ANA, "/history", expect="Last 30 days")
    bot.db("UPDATE patients SET language = 'de' WHERE telegram_id = ?", [ANA])
    chart = await bot.say(ANA, "/history", expect="Letzte 30 Tage")
    assert png_size(chart) == (1000, charts.FULL_HEIGHT_PX)
    assert chart.photo == chart_as_rendered(bot, ANA, 30, "de") != english.photo
    assert chart.body.splitlines()[0] == (
        "Letzte 30 Tage: 2 von 4 Nächten genommen (50 %), davon 1 spät. Jetzt bei 0,5 mg."
    )
    assert [b["text"] for b in chart.buttons()] == ["📈 90 Tage", "📈 Seit dem Start"]
    quarter = await bot.tap(ANA, "90 Tage", expect="Letzte 90 Tage")
    assert quarter.photo == chart_as_rendered(bot, ANA, 90, "de")


async def test_an_old_chart_button_after_forget_shows_nothing(bot: BotHarness) -> None:
    await onboard(bot, ANA)
    await bot.say(ANA, "/history", expect="Last 30 days")
    await bot.say(ANA, "/forget", expect="can't be undone")
    await bot.tap(ANA, "Delete everything", expect="everything is deleted")
    before = bot.count(ANA)
    await bot.tap(ANA, "90 days")
    new = bot.emu.messages(ANA)[before:]
    assert [(m.media, m.body) for m in new] == [(None, texts.data_deleted())]


@pytest.mark.parametrize("bot_options", [BotOptions(rate_limit=False)])  # the real HTTP stack
async def test_the_photo_goes_over_http_as_a_multipart_upload(
    bot: BotHarness, bot_options: BotOptions
) -> None:
    await onboard(bot, ANA)
    chart = await bot.say(ANA, "/history", expect="Last 30 days")
    assert png_size(chart) == (1000, charts.FULL_HEIGHT_PX)
    assert chart.photo == chart_as_rendered(bot, ANA, 30, "en")
    (upload,) = [c for c in bot.emu.calls if c.method == "sendPhoto"]
    assert upload.status == 200


async def test_a_chart_that_fails_to_draw_still_gives_the_figures(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(job: object) -> bytes:
        raise RuntimeError("drawing failed")

    await onboard(bot, ANA)
    monkeypatch.setattr(history_handlers, "render_off_loop", broken)
    before = bot.count(ANA)
    await bot.say(ANA, "/history", expect="Last 30 days")
    new = bot.emu.messages(ANA)[before:]
    assert [m.media for m in new] == [None, None]  # the summary as text, then the details
    assert new[0].body.startswith("Last 30 days: ") and new[0].buttons()
    assert new[1].body.startswith("Your last 30 days:")
