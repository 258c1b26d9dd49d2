"""Published reports as the public pages list them: with their stable URLs, newest first.

The caller checks that the campaign is visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import url_for
from sqlmodel import Session

from tracker.models import Campaign
from tracker.reports.publishing import published_reports
from tracker.views.absolute_urls import absolute_url


@dataclass(frozen=True)
class ReportLink:
    """A published report as the public page and the Atom feed list it."""

    version: int
    title: str
    period_start: date
    period_end: date
    language: str
    issued_at: datetime
    url: str
    revision: int = 1  # of its period: 2 and on replace the one before
    replaces_issued_at: datetime | None = None
    superseded: bool = False
    newest_revision: int = 1
    newest_issued_at: datetime | None = None
    newest_url: str | None = None  # of the newest version of the period
    pages: int = 0
    summary: str = ""  # one paragraph of the report's key figures, in its language


def published_report_links(
    session: Session, campaign: Campaign, *, external: bool = False, limit: int | None = None
) -> list[ReportLink]:
    """Return the campaign's published reports with their stable URLs, newest first."""
    link = absolute_url if external else url_for

    def pdf_url(version):
        return link("reports.published_pdf", slug=campaign.slug, version=version)

    return [
        ReportLink(
            version=item.version,
            title=item.title,
            period_start=item.period_start,
            period_end=item.period_end,
            language=item.language,
            issued_at=item.issued_at,
            url=pdf_url(item.version),
            revision=item.revision,
            replaces_issued_at=item.replaces_issued_at,
            superseded=item.superseded,
            newest_revision=item.newest_revision,
            newest_issued_at=item.newest_issued_at,
            newest_url=pdf_url(item.newest_version),
            pages=item.pages,
            summary=item.summary,
        )
        for item in published_reports(session, campaign, limit=limit)
    ]
