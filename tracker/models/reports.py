"""Published progress reports: immutable PDFs, one new version per publication."""

from datetime import date, datetime

from sqlalchemy import LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.types import UTCDateTime, utcnow


class PublishedReport(SQLModel, table=True):
    """One published PDF of a campaign, never changed once stored."""

    __tablename__ = "published_reports"
    __table_args__ = (
        UniqueConstraint("campaign_id", "version", name="uq_published_reports_version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # No index of its own: the unique key (campaign_id, version) serves every lookup.
    campaign_id: int = Field(foreign_key="campaigns.id", ondelete="CASCADE")
    version: int  # 1, 2, ... per campaign: the stable public URL names it
    title: str = Field(max_length=200)
    period_start: date
    period_end: date  # included
    language: str = Field(max_length=5)
    issued_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sha256: str = Field(max_length=64)
    size: int
    pages: int
    pdf: bytes = Field(sa_type=LargeBinary)
    # One paragraph of the report's key figures, written at publishing for the public list.
    summary: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""})
    published_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    published_label: str = Field(default="", max_length=254)  # who, e.g. an email or "cli"
