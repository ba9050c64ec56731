"""A caregiver's page for one patient they follow (from /patients): how often summaries come,
when the next one is due in the caregiver's own time, and after how many missed nights an alert
comes. Changing them is ``care.summaries.set_preferences``; this only reads.

Only the caregiver the link names sees the page, and only while the link is live (awaiting the
patient's answer or active); nothing on it is the patient's health data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from care.links import followed_link
from care.people import Refusal
from scheduler.caregiving import zone_of
from storage import care_tasks, caregivers
from storage.caregivers import Link
from storage.db import write_transaction
from titration.care_summary import next_summary
from titration.caregiving import SummaryCadence


@dataclass(frozen=True)
class LinkPage:
    """One followed link as the caregiver set it up; ``next_summary`` None: none will come."""

    link: Link
    zone: ZoneInfo  # the caregiver's own
    next_summary: datetime | None


def link_page(db: Database, telegram_id: int, link_id: int, now: datetime) -> LinkPage | Refusal:
    """The page of one link of the presser's (refused for anyone else's, or an ended one)."""
    with write_transaction(db):
        link = followed_link(db, telegram_id, link_id)
        if isinstance(link, Refusal):
            return link
        caregiver = caregivers.by_id(db, link.caregiver_id)
        assert caregiver is not None
        zone = zone_of(caregiver)
        due = None
        if link.active and link.summaries is not SummaryCadence.OFF:
            pending = care_tasks.pending_summary(db, link.id)
            due = (
                pending.due_at
                if pending is not None
                else next_summary(link.summaries, zone, now)[1]
            )
        return LinkPage(link, zone, due)
