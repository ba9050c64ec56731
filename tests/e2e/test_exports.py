"""/export end to end over the emulator: the formats as buttons, a period, a confirmation tap,
then documents in the patient's own chat only. The PDF's text holds the plan and the adherence
figures, the CSV tables read back (a typed note with a comma, a quote and a newline intact), the
FHIR Bundle validates (fhir.resources, R4B models); a known history gives the same adherence
figures in the chat, the PDF and the CSV. Forged, replayed and stale [Send] buttons are refused."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.e2e.export_history import (
    EXPECTED,
    FIRST_DAY,
    NOTE,
    seed_known_history,
    today,
)
from tests.e2e.harness import HANDLER_FLOW, BotHarness, BotOptions
from tests.emulator import BotApiEmulator, SentMessage
from tests.seeding import consented_patient

pytestmark = pytest.mark.e2e
ANA, BEA = 1001, 1002


@pytest.fixture
def bot_options() -> BotOptions:
    return HANDLER_FLOW


def documents(bot: BotHarness, user: int) -> list[SentMessage]:
    return [m for m in bot.emu.messages(user) if m.document is not None]


async def export(bot: BotHarness, user: int, fmt: str, period: str | None) -> list[SentMessage]:
    """/export → ``fmt`` → ``period`` → [Send]; the documents that arrived."""
    before = len(documents(bot, user))
    await bot.say(user, "/export", expect="take to your doctor")
    await bot.tap(user, fmt)
    if period is not None:
        await bot.tap(user, period, expect="Send it now?")
    await bot.tap(user, "Send", expect="Sent to this chat")
    return documents(bot, user)[before:]


def embedded_fonts(reader: PdfReader) -> set[str]:
    """The names of the fonts whose TrueType program is inside the file (a subset of it)."""
    found = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        fonts = resources["/Font"]
        for ref in fonts.get_object().values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            if "/FontFile2" in descendant["/FontDescriptor"].get_object():
                found.add(str(font["/BaseFont"]))
    return found


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"), newline="")))


FIGURES = re.compile(
    r"Nights taken: (?P<taken>\d+) of (?P<scheduled>\d+) \(\d+%\) · on time (?P<on_time>\d+) · "
    r"late (?P<late>\d+) · skipped (?P<skipped>\d+) · missed (?P<missed>\d+)"
)


def chat_figures(caption: str) -> dict[str, int]:
    """The adherence figures of a caption's line "Nights taken: 18 of 21 (86%) · on time 15 …"."""
    found = FIGURES.search(caption)
    assert found is not None, caption
    return {name: int(value) for name, value in found.groupdict().items()}


def csv_figures(doses: list[dict[str, str]]) -> dict[str, int]:
    """Adherence counted from the doses table alone: the times, not the stored status."""
    closed = [d for d in doses if d["status"] != "pending"]
    taken = [d for d in closed if d["status"] in ("taken", "late")]
    on_time = [
        d
        for d in taken
        if datetime.fromisoformat(d["answered_local_time"])
        - datetime.fromisoformat(d["scheduled_local_time"])
        <= timedelta(minutes=30)
    ]
    return {
        "scheduled": len(closed),
        "taken": len(taken),
        "on_time": len(on_time),
        "late": len(taken) - len(on_time),
        "skipped": sum(d["status"] == "skipped" for d in closed),
        "missed": sum(d["status"] == "missed" for d in closed),
    }


async def test_pdf_report_holds_the_plan_and_the_same_adherence_as_chat_and_csv(
    bot: BotHarness,
) -> None:
    bot.seed_patient(BEA, zone="Europe/Berlin", bedtime="22:00")
    seed_known_history(bot, ANA)
    [report] = await export(bot, ANA, "Report for my doctor", "Last 3 months")
    assert documents(bot, BEA) == []  # nothing to anyone else
    assert report.filename == f"ldn-report-{today().isoformat()}.pdf"
    assert report.document is not None and report.document.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(report.document))
    assert 1 <= len(reader.pages) <= 2
    assert embedded_fonts(reader) and all("DejaVuSans" in f for f in embedded_fonts(reader))
    text = pdf_text(report.document)
    assert "Plan: start at 0.5 mg, up 0.5 mg every 14 days, to 4.5 mg" in text
    assert "start of the plan" in text and "step up (agreed)" in text
    assert "19 Sept 2026" in text or "19 Sep 2026" in text  # the first step's date
    assert "Scheduled nights 21" in text
    assert "Taken 18 (86%)" in text
    assert "on time (within 30 min of the reminder) 15" in text
    assert "late (more than 30 min after it) 3" in text
    assert "Skipped 1" in text and "Missed 2" in text
    assert "vivid dreams on 5 mornings (worst: moderate)" in text
    assert "vivid dreams at 0.5 mg: persistent since 23 Sep 2026, still ongoing" in text
    assert "suggested discussing a morning dose or a lower dose" in text
    assert "week 9 on LDN" in text and "Pain 7 4 -3" in text
    assert "vivid dreams is a custom item" in " ".join(text.split())
    assert chat_figures(report.caption or "") == EXPECTED


async def test_csv_tables_read_back_and_count_the_same(bot: BotHarness) -> None:
    seed_known_history(bot, ANA)
    sent = await export(bot, ANA, "Tables (CSV)", "Everything")
    day = today().isoformat()
    assert [m.filename for m in sent] == [
        f"ldn-doses-{day}.csv",
        f"ldn-checkins-{day}.csv",
        f"ldn-ratings-{day}.csv",
    ]
    doses, checkins, ratings = (rows(m.document or b"") for m in sent)
    assert b"\r\n" in (sent[0].document or b"")  # RFC 4180 line ends
    assert csv_figures(doses) == EXPECTED == chat_figures(sent[0].caption or "")
    assert doses[0] == {
        "dose_day": FIRST_DAY.isoformat(),
        "scheduled_local_time": f"{FIRST_DAY.isoformat()}T22:00:00+02:00",
        "time_zone": "Europe/Berlin",
        "dose_mg": "0.5",
        "status": "taken",
        "answered_local_time": f"{FIRST_DAY.isoformat()}T22:05:00+02:00",
        "on_time": "yes",
    }
    assert {d["dose_mg"] for d in doses[14:]} == {"1.0"}
    [other] = [c for c in checkins if c["effect"] == "other"]
    assert other["note"] == NOTE  # comma, quote and newline intact
    assert [c["effect"] for c in checkins].count("dreams") == 5
    assert [c["severity"] for c in checkins if c["effect"] == "dreams"][:2] == ["mild", "moderate"]
    assert [(r["kind"], r["pain"], r["sleep"]) for r in ratings] == [
        ("baseline", "7", "3"),
        ("weekly", "4", "6"),
    ]


async def test_fhir_bundle_validates(bot: BotHarness) -> None:
    from fhir.resources.R4B.bundle import Bundle

    seed_known_history(bot, ANA)
    [sent] = await export(bot, ANA, "For clinic systems", "Everything")
    assert sent.filename == f"ldn-fhir-{today().isoformat()}.json"
    data: dict[str, Any] = json.loads(sent.document or b"")
    bundle = Bundle.model_validate(data)
    assert bundle.type == "collection"
    broken = json.loads(sent.document or b"")
    del broken["entry"][2]["resource"]["subject"]  # the validation looks inside each resource
    with pytest.raises(ValueError, match="subject"):
        Bundle.model_validate(broken)
    resources = [e["resource"] for e in data["entry"]]
    kinds = [r["resourceType"] for r in resources]
    assert kinds.count("MedicationRequest") == 1
    given = [
        {**r, "taken": r["status"] == "completed"}
        for r in resources
        if r["resourceType"] == "MedicationAdministration"
    ]
    assert len(given) == EXPECTED["scheduled"]
    assert sum(r["status"] == "completed" for r in given) == EXPECTED["taken"]
    reasons = sorted(r["statusReason"][0]["coding"][0]["code"] for r in given if not r["taken"])
    assert reasons == ["missed", "missed", "skipped"]
    observations = [r for r in resources if r["resourceType"] == "Observation"]
    pain = [o for o in observations if o["code"]["coding"][0]["code"] == "72514-3"]
    assert [o["valueInteger"] for o in pain] == [7, 4]
    assert all(o["code"]["coding"][0]["system"] == "http://loinc.org" for o in pain)
    dreams = [o for o in observations if o["code"]["coding"][0]["code"] == "dreams"]
    assert len(dreams) == 5
    assert all("custom item" in " ".join(n["text"] for n in o["note"]) for o in dreams)
    [request] = [r for r in resources if r["resourceType"] == "MedicationRequest"]
    assert [d["doseAndRate"][0]["doseQuantity"]["value"] for d in request["dosageInstruction"]] == [
        0.5,
        1.0,
    ]


async def test_german_report_has_umlauts_and_german_figures(bot: BotHarness) -> None:
    seed_known_history(bot, ANA, language="de")
    await bot.say(ANA, "/export")
    await bot.tap(ANA, "PDF")
    await bot.tap(ANA, "3 Monate")
    await bot.tap(ANA, "Senden")
    [report] = documents(bot, ANA)
    text = pdf_text(report.document or b"")
    assert "Ärztin" in text or "ärztliche" in text or "Verschreib" in text
    assert "Plan: Start mit 0,5 mg" in text
    assert "ä" in text and "ü" in text
    assert "lebhafte Träume" in text
    assert "18 von 21" in (report.caption or "")


async def test_forged_replayed_and_stale_send_buttons_are_refused(bot: BotHarness) -> None:
    bot.seed_patient(BEA, zone="Europe/Berlin", bedtime="22:00")
    seed_known_history(bot, ANA)
    await bot.say(ANA, "/export", expect="take to your doctor")
    await bot.tap(ANA, "Report for my doctor")
    confirm = await bot.tap(ANA, "Everything", expect="Send it now?")
    [send, _cancel] = confirm.buttons()
    data = send["callback_data"]

    # Forged: the data is not on the pressed message (a newer /export question).
    other = await bot.say(ANA, "/export", expect="take to your doctor")
    await bot.forge(ANA, other.message_id, data)
    assert "isn't valid any more" in bot.emu.messages(ANA)[-1].body
    # Forged with a fresh minute on the real message: not what the button says.
    fresh = data.rsplit(":", 2)
    await bot.forge(ANA, confirm.message_id, f"{fresh[0]}:{int(fresh[1]) + 1}:{fresh[2]}")
    assert "isn't valid any more" in bot.emu.messages(ANA)[-1].body
    # Stale: 16 minutes later the offer has run out.
    await bot.advance(timedelta(minutes=16))
    await bot.forge(ANA, confirm.message_id, data)
    assert "isn't valid any more" in bot.emu.messages(ANA)[-1].body
    assert documents(bot, ANA) == [] and documents(bot, BEA) == []

    # A new offer works once; pressing it again (replayed) sends nothing more.
    await bot.say(ANA, "/export")
    await bot.tap(ANA, "Report for my doctor")
    offer = await bot.tap(ANA, "Everything", expect="Send it now?")
    again = offer.buttons()[0]["callback_data"]
    await bot.tap(ANA, "Send", expect="Sent to this chat")
    await bot.forge(ANA, offer.message_id, again)
    assert "isn't valid any more" in bot.emu.messages(ANA)[-1].body
    assert len(documents(bot, ANA)) == 1 and documents(bot, BEA) == []
    # Bea pressing Ana's button: Bea's chat has no such message; she gets no file, nor does Ana.
    await bot.forge(BEA, offer.message_id, again)
    assert documents(bot, BEA) == [] and len(documents(bot, ANA)) == 1


async def test_cancel_sends_nothing_and_no_plan_offers_only_the_copy(bot: BotHarness) -> None:
    seed_known_history(bot, ANA)
    await bot.say(ANA, "/export")
    await bot.tap(ANA, "All my data")
    await bot.tap(ANA, "Cancel", expect="nothing sent")
    assert documents(bot, ANA) == []
    await bot.say(BEA, "/export", expect="I don't have any data about you.")

    assert bot.store is not None
    bot.store.run_sync(consented_patient, BEA, now=bot.clock.now())  # onboarding not finished
    offer = await bot.say(BEA, "/export", expect="Once your plan has started")
    assert [b["text"] for b in offer.buttons()] == ["🗂 All my data (JSON)"]
    await bot.forge(BEA, offer.message_id, "v1:exp:fmt:pdf")  # a report button she never had
    assert "Reminders aren't running yet" in bot.emu.messages(BEA)[-1].body
    await bot.tap(BEA, "All my data")
    await bot.tap(BEA, "Send", expect="Sent to this chat")
    assert [m.filename for m in documents(bot, BEA)] == [
        f"ldn-companion-export-{today().isoformat()}.json"
    ]


async def test_documents_cross_real_http_as_multipart_uploads_intact(
    emu: BotApiEmulator, tmp_path: Path
) -> None:
    """The other tests hand calls to the emulator in-process; here the files go over HTTP as
    multipart/form-data, and every byte (UTF-8, CRLF, quotes) arrives as made."""
    bot = BotHarness(emu, tmp_path / "ldn.db", rate_limit=False)
    await bot.start()
    try:
        seed_known_history(bot, ANA, language="de")
        await bot.say(ANA, "/export")
        await bot.tap(ANA, "CSV")
        await bot.tap(ANA, "Alles")
        await bot.tap(ANA, "Senden", expect="In diesen Chat geschickt")
        doses, checkins, _ratings = documents(bot, ANA)
        [other] = [c for c in rows(checkins.document or b"") if c["effect"] == "other"]
        assert other["note"] == NOTE
        assert csv_figures(rows(doses.document or b"")) == EXPECTED
        assert "18 von 21 Abenden" in (doses.caption or "")
    finally:
        await bot.stop()
