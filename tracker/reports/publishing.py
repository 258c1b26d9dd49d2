"""Published progress reports: store a PDF as a new immutable version, list, fetch, export.

Every publication gets the campaign's next `version`, the number in its stable URL. A
period published again in the same language is that period's next `revision`: readers
see "Version 2, replaces the one of 26 Nov", and the one it replaced stays at its URL,
listed as superseded by the newest. A revision is counted, not stored: reports are never
changed or deleted, so the reports of a period in the order of their versions number
themselves, and the unique version is all a race between two publications can break.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session

from tracker.errors import InvalidInput, NotFound
from tracker.models import Actor, Campaign, PublishedReport, utcnow
from tracker.reports.periods import Period

MAX_PDF_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Edition:
    """Which version of its period a report is: the first, or one replacing another."""

    revision: int = 1
    replaces_version: int | None = None  # the URL number of the report it replaces
    replaces_issued_at: datetime | None = None


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
    summary: str
    revision: int = 1
    replaces_version: int | None = None
    replaces_issued_at: datetime | None = None
    newest_version: int | None = None  # the newest revision of the same period and language
    newest_revision: int = 1
    newest_issued_at: datetime | None = None

    @property
    def superseded(self) -> bool:
        """Tell whether a newer version of the same period and language replaces this one."""
        return self.newest_version is not None and self.newest_version != self.version


def _same_period(other, report) -> ColumnElement[bool]:
    """Return the SQL condition: other is a report of the same campaign, period and language."""
    return and_(
        other.campaign_id == report.campaign_id,
        other.period_start == report.period_start,
        other.period_end == report.period_end,
        other.language == report.language,
    )


def next_edition(session: Session, campaign: Campaign, period: Period, language: str) -> Edition:
    """Return the edition that publishing the period in this language makes now."""
    same = (
        PublishedReport.campaign_id == campaign.id,
        PublishedReport.period_start == period.start,
        PublishedReport.period_end == period.end,
        PublishedReport.language == language,
    )
    count = session.scalar(select(func.count()).select_from(PublishedReport).where(*same))
    if not count:
        return Edition()
    version, issued_at = session.execute(
        select(PublishedReport.version, PublishedReport.issued_at)
        .where(*same)
        .order_by(PublishedReport.version.desc())
        .limit(1)
    ).one()
    return Edition(count + 1, version, issued_at)


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
    edition: Edition | None = None,
    summary: str = "",
) -> PublishedReport:
    """Store the PDF as the campaign's next report version; earlier ones stay as they are.

    `edition` is the one the PDF was rendered as (it prints "Version 2, replaces ..."):
    refused when another version of the period was published since.
    """
    if not pdf.startswith(b"%PDF-"):
        raise InvalidInput({"pdf": "This is not a PDF document."})
    if len(pdf) > MAX_PDF_BYTES:
        raise InvalidInput({"pdf": f"A report is at most {MAX_PDF_BYTES // 1024 // 1024} MB."})
    current = next_edition(session, campaign, period, language)
    if edition is not None and edition != current:
        raise InvalidInput({"revision": PUBLISHED_MEANWHILE})
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
        summary=summary,
        pdf=pdf,
        published_by=actor.user_id,
        published_label=actor.label[:254],
    )
    session.add(report)
    try:
        session.flush()
    except IntegrityError:
        # Another publication took this version between our read and our write.
        session.rollback()
        raise InvalidInput({"revision": PUBLISHED_MEANWHILE}) from None
    return report


PUBLISHED_MEANWHILE = (
    "Another version of this report was published meanwhile: look at it before publishing again."
)


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
    PublishedReport.summary,
)


def published_reports(
    session: Session, campaign: Campaign, *conditions, limit: int | None = None
) -> list[ReportListing]:
    """Return the campaign's published reports (those meeting the SQL conditions), newest
    first, each with the version it replaces and the newest of its period; no bytes."""
    group = aliased(PublishedReport)

    def among_same(column, *where):
        """Return a column over the reports of the same period and language (correlated)."""
        return select(column).where(_same_period(group, PublishedReport), *where).scalar_subquery()

    revision = among_same(func.count(), group.version <= PublishedReport.version)
    replaces = among_same(func.max(group.version), group.version < PublishedReport.version)
    replaced, latest = aliased(PublishedReport), aliased(PublishedReport)
    query = (
        select(
            *_LISTED,
            revision,
            replaced.version,
            replaced.issued_at,
            latest.version,
            among_same(func.count()),
            latest.issued_at,
        )
        .select_from(PublishedReport)
        .outerjoin(
            replaced,
            and_(
                replaced.campaign_id == campaign.id,
                replaced.version == replaces,
            ),
        )
        .join(
            latest,
            and_(
                latest.campaign_id == campaign.id,
                latest.version == among_same(func.max(group.version)),
            ),
        )
        .where(PublishedReport.campaign_id == campaign.id, *conditions)
        .order_by(PublishedReport.issued_at.desc(), PublishedReport.version.desc())
        .limit(limit)
    )
    return [ReportListing(*row) for row in session.execute(query)]


def listing_of(session: Session, campaign: Campaign, version: int) -> ReportListing:
    """Return the listing of the campaign's report of this version; NotFound otherwise."""
    found = published_reports(session, campaign, PublishedReport.version == version)
    if not found:
        raise NotFound(f"report {version}")
    return found[0]


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
            "revision": item.revision,
            "replaces_version": item.replaces_version,
            "summary": item.summary,
        }
        for item in reversed(published_reports(session, campaign))
    ]
