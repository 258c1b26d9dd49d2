"""The pledge ledger: pledges by platform key, their add-ons, status changes, imports,
pushed totals and the API tokens that push them. No backer personal data, by design."""

from datetime import datetime

from sqlalchemy import BigInteger, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from tracker.models.types import UTCDateTime, utcnow

_RUNNING = text("status = 'running'")


class PledgeImport(SQLModel, table=True):
    """One imported file: what it was, what it changed, whether it is still running."""

    __tablename__ = "pledge_imports"
    # One running import per campaign: a second one, or a double click, is refused by the
    # database itself, whatever the timing.
    __table_args__ = (
        Index(
            "uq_pledge_imports_one_running",
            "campaign_id",
            unique=True,
            sqlite_where=_RUNNING,
            postgresql_where=_RUNNING,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", index=True, ondelete="CASCADE")
    filename: str = Field(max_length=255)
    sha256: str = Field(max_length=64)
    format: str = Field(max_length=20)
    generation: str | None = Field(default=None, max_length=30)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejected_rows: str = Field(default="[]", sa_type=Text)  # JSON: line, column, value, reason
    # JSON {"CAD": 5}: good rows in currencies other than the campaign's, kept apart.
    other_currency_rows: str = Field(
        default="{}", sa_type=Text, sa_column_kwargs={"server_default": "{}"}
    )
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    actor_label: str = Field(default="", max_length=254)
    imported_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Rows are written in committed batches: 'running' until the last, then 'done'; a
    # failed import keeps the batches it wrote, which a re-run finds unchanged.
    status: str = Field(default="done", max_length=10, sa_column_kwargs={"server_default": "done"})
    last_batch_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Pledge(SQLModel, table=True):
    """One pledge, keyed by the platform's own id for it."""

    __tablename__ = "pledges"
    # The unique key also serves every per-campaign query; more indexes would slow
    # imports by a third for aggregates that are cached per ledger version anyway.
    __table_args__ = (
        UniqueConstraint("campaign_id", "platform", "platform_key", name="uq_pledges_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", ondelete="CASCADE")
    platform: str = Field(max_length=20)  # the export format the key belongs to
    platform_key: str = Field(max_length=100)
    # The platform's other id for it, where one of its exports keys by that instead
    # (Open Collective's legacy transaction number, kept by the API connector).
    alias_key: str | None = Field(default=None, max_length=100)
    amount_minor: int = Field(sa_type=BigInteger)
    currency: str = Field(max_length=3)
    status: str = Field(max_length=12)  # pledged, collected, failed, dropped or refunded
    status_raw: str = Field(max_length=40)
    pledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    tier: str | None = Field(default=None, max_length=200)
    country: str | None = Field(default=None, max_length=2)
    fulfilment: str | None = Field(default=None, max_length=12)
    digest: str = Field(max_length=16)  # of the fields above: tells unchanged rows apart fast
    import_id: int = Field(foreign_key="pledge_imports.id")  # the import that last changed it


class PledgeAddon(SQLModel, table=True):
    __tablename__ = "pledge_addons"

    pledge_id: int = Field(foreign_key="pledges.id", primary_key=True, ondelete="CASCADE")
    name: str = Field(max_length=200, primary_key=True)
    quantity: int


class PledgeStatusChange(SQLModel, table=True):
    """A pledge whose status changed between two imports (e.g. collected -> dropped)."""

    __tablename__ = "pledge_status_changes"

    id: int | None = Field(default=None, primary_key=True)
    pledge_id: int = Field(foreign_key="pledges.id", index=True, ondelete="CASCADE")
    import_id: int = Field(foreign_key="pledge_imports.id", index=True, ondelete="CASCADE")
    old_status: str = Field(max_length=12)
    new_status: str = Field(max_length=12)
    changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class FundingSnapshot(SQLModel, table=True):
    """Totals pushed by a script, the dashboard or the CLI when no backer report exists."""

    __tablename__ = "funding_snapshots"
    __table_args__ = (Index("ix_funding_snapshots_campaign_taken", "campaign_id", "taken_at"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", ondelete="CASCADE")
    taken_at: datetime = Field(sa_type=UTCDateTime)
    amount_minor: int = Field(sa_type=BigInteger)
    backers: int
    source: str = Field(max_length=20)  # cli, dashboard, api
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ApiToken(SQLModel, table=True):
    """A per-campaign secret for scripts; only its hash is stored."""

    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=80)
    prefix: str = Field(max_length=12)  # shown so founders can tell tokens apart
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
