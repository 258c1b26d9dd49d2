"""Published progress reports: store a PDF as a new immutable version, list, fetch, export."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.errors import InvalidInput, NotFound
from tracker.models import Actor, Campaign, PublishedReport, utcnow
from tracker.reports.periods import Period

MAX_PDF_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ReportListing:
    """A published report without its bytes: what lists, feeds and the export show."""

    version: int
    title: str
    period_start: date
    period_end: date
    language: str
    issued_at: datetime
    sha256: str
    size: int
    pages: int


def publish_report(
    session: Session,
    campaign: Campaign,
    *,
    pdf: bytes,
    pages: int,
    period: Period,
    language: str,
    title: str,
    actor: Actor,
    issued_at: datetime | None = None,
) -> PublishedReport:
    """Store the PDF as the campaign's next report version; earlier ones stay as they are."""
    if not pdf.startswith(b"%PDF-"):
        raise InvalidInput({"pdf": "This is not a PDF document."})
    if len(pdf) > MAX_PDF_BYTES:
        raise InvalidInput({"pdf": f"A report is at most {MAX_PDF_BYTES // 1024 // 1024} MB."})
    last = session.execute(
        select(func.max(PublishedReport.version)).where(PublishedReport.campaign_id == campaign.id)
    ).scalar_one()
    report = PublishedReport(
        campaign_id=campaign.id,
        version=(last or 0) + 1,
        title=title[:200],
        period_start=period.start,
        period_end=period.end,
        language=language,
        issued_at=issued_at or utcnow(),
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        pages=pages,
        pdf=pdf,
        published_by=actor.user_id,
        published_label=actor.label[:254],
    )
    session.add(report)
    session.flush()
    return report


_LISTED = (
    PublishedReport.version,
    PublishedReport.title,
    PublishedReport.period_start,
    PublishedReport.period_end,
    PublishedReport.language,
    PublishedReport.issued_at,
    PublishedReport.sha256,
    PublishedReport.size,
    PublishedReport.pages,
)


def published_reports(session: Session, campaign: Campaign) -> list[ReportListing]:
    """Return the campaign's published reports, newest version first, without the bytes."""
    rows = session.execute(
        select(*_LISTED)
        .where(PublishedReport.campaign_id == campaign.id)
        .order_by(PublishedReport.version.desc())
    )
    return [ReportListing(*row) for row in rows]


def get_published_report(session: Session, campaign: Campaign, version: int) -> PublishedReport:
    """Return the campaign's report of this version, bytes included; NotFound otherwise."""
    report = session.execute(
        select(PublishedReport).where(
            PublishedReport.campaign_id == campaign.id, PublishedReport.version == version
        )
    ).scalar_one_or_none()
    if report is None:
        raise NotFound(f"report {version}")
    return report


def export_reports(session: Session, campaign: Campaign) -> list[dict]:
    """Return the published reports' metadata for the export (the PDFs stay at their URLs)."""
    return [
        {
            "version": item.version,
            "title": item.title,
            "period_start": item.period_start.isoformat(),
            "period_end": item.period_end.isoformat(),
            "language": item.language,
            "issued_at": item.issued_at.isoformat(),
            "sha256": item.sha256,
            "size": item.size,
            "pages": item.pages,
        }
        for item in reversed(published_reports(session, campaign))
    ]
