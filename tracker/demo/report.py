"""The demo's published progress report: its first weeks, rendered when the demo is loaded.

The PDF is made by the caller's `render` (the CLI passes the report document of the app,
which needs Flask), so this module stays Flask-free and the demo ships a real PDF, not a
stored file that would drift from the data beside it.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from tracker.demo.files import read_demo_file
from tracker.models import Actor, Campaign
from tracker.reports.periods import Period
from tracker.reports.publishing import publish_report, published_reports


@dataclass(frozen=True)
class RenderedReport:
    """A report rendered for publishing, in plain values."""

    pdf: bytes
    pages: int
    title: str
    language: str
    summary: str = ""


# render(session, campaign, period, note_md) -> RenderedReport
ReportRenderer = Callable[[Session, Campaign, Period, str], RenderedReport]


def load_demo_report(
    session: Session, campaign: Campaign, *, today: date, render: ReportRenderer, actor: Actor
) -> bool:
    """Publish the demo's report unless the campaign has published one; say whether it did."""
    if published_reports(session, campaign, limit=1):
        return False
    spec = json.loads(read_demo_file("campaign.json"))["report"]
    last_day = min(campaign.starts_on + timedelta(days=spec["days"] - 1), today)
    period = Period(campaign.starts_on, last_day, "range", campaign.timezone)
    rendered = render(session, campaign, period, spec["note_md"])
    publish_report(
        session,
        campaign,
        pdf=rendered.pdf,
        pages=rendered.pages,
        period=period,
        language=rendered.language,
        title=rendered.title,
        actor=actor,
        summary=rendered.summary,
    )
    return True
