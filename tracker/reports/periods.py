"""The period a progress report covers: a calendar month, a date range, or everything
since the last published report. Days are the campaign's local days, both ends included."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.dates import local_day, local_midnight
from tracker.errors import InvalidInput
from tracker.models import Campaign, PublishedReport
from tracker.validation import check_day, parse_day

MONTH_RE = re.compile(r"^([0-9]{4})-([0-9]{2})$")
PERIOD_KINDS = ("month", "range", "since_last")
MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    """First and last day of a report (both included) and how they were chosen."""

    start: date
    end: date
    kind: str = "range"  # PERIOD_KINDS
    zone_name: str = "UTC"  # the campaign's: its days begin at its midnight

    @property
    def starts_at(self) -> datetime:
        return local_midnight(self.start, self.zone_name)

    @property
    def ends_before(self) -> datetime:
        """Return the first moment after the period (exclusive bound for queries)."""
        return local_midnight(self.end + timedelta(days=1), self.zone_name)

    @property
    def month(self) -> str | None:
        return self.start.strftime("%Y-%m") if self.kind == "month" else None

    def contains(self, moment: datetime | date) -> bool:
        return self.start <= local_day(moment, self.zone_name) <= self.end


def month_period(text: str) -> Period:
    """Return the calendar month written YYYY-MM, e.g. 2026-11."""
    match = MONTH_RE.match((text or "").strip())
    try:
        start = date(int(match.group(1)), int(match.group(2)), 1) if match else None
    except ValueError:  # month 13, year 0
        start = None
    if start is None:
        shown = (text or "").strip()[:40]
        raise InvalidInput(
            {"period": f"{shown!r} is not a month: write it as YYYY-MM, e.g. 2026-11."}
        )
    check_day(start, field="period")
    following = (start + timedelta(days=32)).replace(day=1)
    return Period(start, following - timedelta(days=1), "month")


def range_period(start: date | None, end: date | None) -> Period:
    """Return the days from start to end, both included."""
    errors = {}
    if start is None:
        errors["start"] = "Give the first day of the report."
    if end is None:
        errors["end"] = "Give the last day of the report."
    if not errors and start > end:
        errors["end"] = "The last day comes before the first day."
    elif not errors and (end - start).days >= MAX_DAYS:
        errors["end"] = f"A report covers at most {MAX_DAYS} days."
    if errors:
        raise InvalidInput(errors)
    return Period(check_day(start, field="start"), check_day(end, field="end"), "range")


def since_last_period(session: Session, campaign: Campaign, *, today: date) -> Period:
    """Return the days after the newest published report's period, up to today."""
    last_end = session.execute(
        select(func.max(PublishedReport.period_end)).where(
            PublishedReport.campaign_id == campaign.id
        )
    ).scalar_one()
    start = last_end + timedelta(days=1) if last_end else min(campaign.starts_on, today)
    if start > today:
        raise InvalidInput({"period": "The last published report already covers today."})
    return Period(start, today, "since_last")


def parse_date(text: str | None, field: str) -> date | None:
    """Return the ISO date written in text, None when empty; InvalidInput otherwise."""
    if not text or not text.strip():
        return None
    return parse_day(text, field=field)


def choose_period(
    session: Session,
    campaign: Campaign,
    *,
    kind: str,
    month: str | None = None,
    start: date | None = None,
    end: date | None = None,
    today: date,
) -> Period:
    """Return the period a form or the CLI asked for, in the campaign's days."""
    if kind == "month":
        period = month_period(month or "")
    elif kind == "range":
        period = range_period(start, end)
    elif kind == "since_last":
        period = since_last_period(session, campaign, today=today)
    else:
        raise InvalidInput({"kind": f"Choose one of: {', '.join(PERIOD_KINDS)}."})
    return replace(period, zone_name=campaign.timezone)
