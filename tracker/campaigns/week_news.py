"""A campaign's news of one week, as backers see it on the timeline: for e-mails."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlmodel import Session

from tracker.campaigns.timeline import Cursor, TimelineItem, timeline_page
from tracker.dates import zone
from tracker.models import Campaign

MAX_ITEMS = 50  # a week with more lists these and links to the timeline


@dataclass(frozen=True)
class Week:
    """Monday 00:00 to the next Monday 00:00 in a campaign's time zone, as UTC moments."""

    start: datetime
    end: datetime

    @property
    def key(self) -> str:
        """Return the ISO week's name, e.g. 2026-W48."""
        year, week, _ = (self.start + timedelta(hours=12)).isocalendar()
        return f"{year}-W{week:02d}"


def last_week(now: datetime, zone_name: str | None = None) -> Week:
    """Return the whole week before the one `now` falls in, in the zone."""
    local = now.astimezone(zone(zone_name))
    monday = local.date() - timedelta(days=local.weekday())
    end = datetime.combine(monday, time(), tzinfo=local.tzinfo)
    start = datetime.combine(monday - timedelta(days=7), time(), tzinfo=local.tzinfo)
    return Week(start.astimezone(UTC), end.astimezone(UTC))


def week_news(session: Session, campaign: Campaign, week: Week) -> list[TimelineItem]:
    """Return the week's own updates and public milestone changes, oldest first."""
    page = timeline_page(session, campaign, before=Cursor(week.end, 0, 0), limit=MAX_ITEMS)
    items = [
        item
        for item in page.items
        if item.kind in ("update", "milestone") and week.start <= item.at < week.end
    ]
    return sorted(items, key=lambda item: (item.at, item.sort_id))
