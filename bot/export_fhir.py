"""The record as a FHIR R4 Bundle (type ``collection``), built from plain dicts.

- a Patient (no name or identifier: the file is the patient's own, they hand it over);
- a MedicationRequest (intent ``plan``, patient-reported) for the titration plan, with a dosage
  per dose step and its dates;
- a MedicationAdministration per scheduled night: ``completed`` when taken, ``not-done`` with a
  ``statusReason`` (``missed`` or ``skipped``) otherwise; a late confirmation gets a note;
- an Observation per benefit rating and measure (pain: LOINC 72514-3, the 0–10 numeric rating;
  the others a local code, noted as not from a validated instrument);
- an Observation per side effect reported on a check-in, its severity as SNOMED CT mild /
  moderate / severe (vivid dreams noted as a custom item).

Ids are UUIDs derived from the record (the same record gives the same Bundle). Notes are in the
patient's language; codes are language-neutral.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from bot import export_texts as words
from bot.checkin_texts import MEASURE_NAMES, effect_name, severity_label
from bot.i18n import _, mg
from bot.view_texts import STATUS_WORDS
from care.exports import ReportData
from titration.benefits import Measure
from titration.record import Night, NightStatus
from titration.side_effects import Effect, Severity
from titration.steps import spans

Json = dict[str, Any]

LOCAL = "urn:ldn-companion"  # local code systems: f"{LOCAL}:side-effect" etc.
LOINC, SNOMED, UCUM = "http://loinc.org", "http://snomed.info/sct", "http://unitsofmeasure.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
PAIN_LOINC = "72514-3"
SEVERITY_SNOMED = {
    Severity.MILD: ("255604002", "Mild"),
    Severity.MODERATE: ("6736007", "Moderate"),
    Severity.SEVERE: ("24484000", "Severe"),
}
NAMESPACE = uuid.UUID("6f1d3a52-6a0b-4c55-9a4e-2f9b1c0e7d11")

MEDICATION: Json = {
    "coding": [{"system": RXNORM, "code": "7243", "display": "naltrexone"}],
    "text": "naltrexone (low dose)",
}
SURVEY: list[Json] = [
    {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                "code": "survey",
                "display": "Survey",
            }
        ]
    }
]


def bundle(data: ReportData) -> Json:
    """The Bundle as a dict (``document`` serialises it)."""
    rec = data.record
    seed = f"{rec.zone.key}:{rec.first}:{data.made_at.isoformat()}"

    def url(kind: str, key: object) -> str:
        return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{seed}:{kind}:{key}')}"

    patient = url("patient", "")
    request = url("plan", "")
    entries = [_entry(patient, {"resourceType": "Patient"})]
    entries.append(_entry(request, _request(data, patient)))
    entries += [
        _entry(url("night", n.day), _administration(data, n, patient, request))
        for n in rec.nights
        if n.status is not NightStatus.PENDING
    ]
    for rating in rec.ratings:
        for m in Measure:
            resource = _rating(m, rating.scores[m], rating.day, rating.kind, patient)
            entries.append(_entry(url("rating", f"{rating.day}:{rating.kind}:{m}"), resource))
    for report in rec.checkins:
        for effect, level in report.effects.items():
            note = report.note if effect is Effect.OTHER else None
            resource = _effect(effect, level, report.day, note, patient)
            entries.append(_entry(url("effect", f"{report.day}:{effect}"), resource))
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": data.made_at.astimezone(rec.zone).isoformat(),
        "entry": entries,
    }


def document(data: ReportData) -> bytes:
    return json.dumps(bundle(data), indent=1, ensure_ascii=False).encode()


def _entry(full_url: str, resource: Json) -> Json:
    return {"fullUrl": full_url, "resource": {**resource, "id": full_url.rsplit(":", 1)[1]}}


def _mg(dose: Decimal) -> Json:
    return {"value": float(dose), "unit": "mg", "system": UCUM, "code": "mg"}


def _notes(*texts: str | None) -> list[Json]:
    return [{"text": text} for text in texts if text]


def _request(data: ReportData, patient: str) -> Json:
    rec = data.record
    plan = rec.plan
    line = (
        words.plan_line(
            mg(plan.start_mg),
            mg(plan.step_mg),
            plan.interval_days,
            mg(plan.target_mg),
            morning=data.morning,
        )
        if plan is not None
        else words.no_plan()
    )
    dosages = []
    for index, span in enumerate(spans(rec), start=1):
        bounds = {"start": span.step.start.isoformat()}
        if not span.ongoing:
            bounds["end"] = span.last.isoformat()
        dosages.append(
            {
                "sequence": index,
                "text": f"{mg(span.step.dose_mg)} · {words.reason(span.step.reason)}",
                "timing": {
                    "repeat": {
                        "boundsPeriod": bounds,
                        "frequency": 1,
                        "period": 1,
                        "periodUnit": "d",
                        "when": ["MORN" if data.morning else "HS"],  # morning or bedtime
                    }
                },
                "doseAndRate": [{"doseQuantity": _mg(span.step.dose_mg)}],
            }
        )
    resource: Json = {
        "resourceType": "MedicationRequest",
        "status": "active",
        "intent": "plan",
        "reportedBoolean": True,
        "medicationCodeableConcept": MEDICATION,
        "subject": {"reference": patient},
        "note": _notes(words.fhir_plan(line), words.fhir_reported()),
        "dosageInstruction": dosages,
    }
    if rec.steps:
        resource["authoredOn"] = rec.steps[0].start.isoformat()
    return resource


def _administration(data: ReportData, night: Night, patient: str, request: str) -> Json:
    zone = data.record.zone
    resource: Json = {
        "resourceType": "MedicationAdministration",
        "status": "completed" if night.taken else "not-done",
        "medicationCodeableConcept": MEDICATION,
        "subject": {"reference": patient},
        "request": {"reference": request},
        "dosage": {"dose": _mg(night.dose_mg)},
    }
    if night.taken and night.answered_at is not None:
        resource["effectiveDateTime"] = night.answered_at.astimezone(zone).isoformat()
    else:
        resource["effectiveDateTime"] = night.scheduled_at.astimezone(zone).isoformat()
    if not night.taken:
        code = night.status.value
        resource["statusReason"] = [
            {
                "coding": [{"system": f"{LOCAL}:night-status", "code": code}],
                "text": _(STATUS_WORDS[code]),
            }
        ]
    late = night.taken and not night.on_time and night.answered_at is not None
    if late and night.answered_at is not None:
        minutes = int((night.answered_at - night.scheduled_at).total_seconds() // 60)
        resource["note"] = _notes(words.fhir_late(minutes))
    return resource


def _rating(measure: Measure, score: int, day: date, kind: str, patient: str) -> Json:
    name = _(MEASURE_NAMES[measure])
    if measure is Measure.PAIN:
        code: Json = {
            "coding": [
                {
                    "system": LOINC,
                    "code": PAIN_LOINC,
                    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
                }
            ],
            "text": name,
        }
        notes = _notes(words.fhir_reported())
    else:
        code = {"coding": [{"system": f"{LOCAL}:benefit", "code": measure.value}], "text": name}
        notes = _notes(words.fhir_reported(), words.fhir_custom_item())
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": SURVEY,
        "code": code,
        "subject": {"reference": patient},
        "effectiveDateTime": day.isoformat(),
        "valueInteger": score,
        "method": {"coding": [{"system": f"{LOCAL}:rating-kind", "code": kind}]},
        "note": notes,
    }


def _effect(effect: Effect, level: Severity, day: date, note: str | None, patient: str) -> Json:
    snomed, display = SEVERITY_SNOMED[level]
    custom = words.fhir_dreams() if effect is Effect.DREAMS else words.fhir_custom_item()
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": SURVEY,
        "code": {
            "coding": [{"system": f"{LOCAL}:side-effect", "code": effect.value}],
            "text": effect_name(effect),
        },
        "subject": {"reference": patient},
        "effectiveDateTime": day.isoformat(),
        "valueCodeableConcept": {
            "coding": [{"system": SNOMED, "code": snomed, "display": display}],
            "text": severity_label(level),
        },
        "note": _notes(words.fhir_reported(), custom, note),
    }
