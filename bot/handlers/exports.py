"""/export: the patient picks a format ([Report for my doctor (PDF)], [Tables (CSV)], [For clinic
systems (FHIR)], [All my data (JSON)]), a period for the first three, then confirms with [Send].

The file is made off the event loop (``asyncio.to_thread``; fpdf2 and matplotlib are imported
there, on first use) and sent as a document to the presser's own chat only. A [Send] that is
forged (not on the pressed message), replayed after sending, or older than the offer's
15 minutes is refused politely; nothing is made or sent then.
"""

from __future__ import annotations

import asyncio
import io

from telegram import Update

from bot import export_keyboards as keyboards
from bot import export_texts as words
from bot import privacy_texts
from bot.callbacks import ExportFormatButton, ExportPeriodButton, ExportSendButton, YesNo
from bot.handlers import privacy
from bot.handlers.common import (
    Context,
    call,
    genuine_press,
    pressed_button,
    presser_id,
    refuse,
    reply,
    show,
)
from bot.services import services
from care import exports
from care.exports import ExportFormat, Offer, ReportData
from care.people import Refusal

Document = tuple[str, bytes, str | None]  # file name, contents, caption


async def export_command(update: Update, context: Context) -> None:
    """/export: which format."""
    offered = await _offer(update, context)
    if offered is None:
        return
    text = words.ask_format() if offered.reports else words.ask_format_no_plan()
    await reply(update, context, text, keyboards.formats(offered.reports))


async def format_button(update: Update, context: Context) -> None:
    """A format: a report asks for its period; the complete copy goes to the confirmation."""
    pressed = await pressed_button(update, context, ExportFormatButton)
    if pressed is None or (offered := await _offer(update, context)) is None:
        return
    if pressed.fmt is ExportFormat.JSON:
        await _ask_to_send(update, context, pressed.fmt, None)
    elif not offered.reports:
        await refuse(update, context, Refusal.NOT_ACTIVE)
    else:
        await show(update, context, words.ask_period(pressed.fmt), keyboards.periods(pressed.fmt))


async def period_button(update: Update, context: Context) -> None:
    """A report's period: the confirmation."""
    pressed = await pressed_button(update, context, ExportPeriodButton)
    if pressed is None or (offered := await _offer(update, context)) is None:
        return
    if not offered.reports or pressed.fmt is ExportFormat.JSON:
        await refuse(update, context, Refusal.NOT_ACTIVE)
        return
    await _ask_to_send(update, context, pressed.fmt, pressed.period)


async def _ask_to_send(
    update: Update, context: Context, fmt: ExportFormat, period: exports.ExportPeriod | None
) -> None:
    issued = exports.offer_minute(services(context).clock.now())
    await show(update, context, words.confirm(fmt, period), keyboards.send(fmt, period, issued))


async def send_button(update: Update, context: Context) -> None:
    """[Send]: make the file(s) and send them to the presser's own chat; [Cancel]: nothing."""
    pressed = await pressed_button(update, context, ExportSendButton)
    if pressed is None:
        return
    if not genuine_press(update):  # forged, or pressed again after the file went out
        await refuse(update, context, Refusal.STALE)
        return
    if pressed.answer is YesNo.NO:
        await show(update, context, words.cancelled())
        return
    if pressed.fmt is ExportFormat.JSON:
        await _send_everything(update, context, pressed.issued)
        return
    if pressed.period is None:
        await refuse(update, context, Refusal.STALE)
        return
    now = services(context).clock.now()
    result = await call(
        context,
        exports.report_data,
        presser_id(update),
        pressed.fmt,
        pressed.period,
        pressed.issued,
        now,
    )
    if isinstance(result, Refusal):
        await refuse(update, context, result)
        return
    await show(update, context, words.preparing())
    documents = await asyncio.to_thread(make, pressed.fmt, result)  # keeps the language
    for name, body, caption in documents:
        await context.bot.send_document(
            result.chat_id, io.BytesIO(body), filename=name, caption=caption
        )
    await show(update, context, words.sent())


async def _send_everything(update: Update, context: Context, issued: int) -> None:
    now = services(context).clock.now()
    result = await call(context, exports.full_export, presser_id(update), issued, now)
    if isinstance(result, Refusal):
        if result is Refusal.NEED_START:
            await show(update, context, privacy_texts.nothing_stored())
        else:
            await refuse(update, context, result)
        return
    await show(update, context, words.preparing())
    body = await asyncio.to_thread(privacy.document, result)
    await context.bot.send_document(
        result.chat_id,
        io.BytesIO(body),
        filename=privacy.file_name(result),
        caption=privacy_texts.export_caption(),
    )
    await show(update, context, words.sent())


def make(fmt: ExportFormat, data: ReportData) -> list[Document]:
    """The documents of ``fmt`` (runs off the event loop: renderers are imported here)."""
    rec = data.record
    made = data.made_at.astimezone(rec.zone).date().isoformat()
    figures = words.adherence_line(rec.adherence)
    if fmt is ExportFormat.PDF:
        from bot import report_pdf

        caption = f"{words.report_caption(rec.first, rec.last)}\n{figures}"
        return [(f"ldn-report-{made}.pdf", report_pdf.render(data), caption)]
    if fmt is ExportFormat.CSV:
        from bot import export_csv

        caption = f"{words.tables_caption(rec.first, rec.last)}\n{figures}"
        tables = export_csv.tables(data)
        return [
            (f"ldn-{part}-{made}.csv", body, caption if index == 0 else None)
            for index, (part, body) in enumerate(tables)
        ]
    from bot import export_fhir

    caption = f"{words.fhir_caption(rec.first, rec.last)}\n{figures}"
    return [(f"ldn-fhir-{made}.json", export_fhir.document(data), caption)]


async def _offer(update: Update, context: Context) -> Offer | None:
    now = services(context).clock.now()
    result = await call(context, exports.offer, presser_id(update), now)
    if isinstance(result, Refusal):
        if result is Refusal.NEED_START:  # no patient row: nothing to export
            await reply(update, context, privacy_texts.nothing_stored())
        else:
            await refuse(update, context, result)
        return None
    return result
