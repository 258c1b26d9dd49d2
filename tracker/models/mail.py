"""E-mail: backers' subscriptions (kept apart from everything else) and the outbox."""

from datetime import datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.types import UTCDateTime, utcnow


class Subscriber(SQLModel, table=True):
    """An address that asked for a campaign's news; the one personal data the tracker keeps.

    Never joined into exports or public pages: only counts leave this table. The row is
    deleted on unsubscribe.
    """

    __tablename__ = "subscribers"
    __table_args__ = (
        UniqueConstraint("campaign_id", "address", name="uq_subscribers_campaign_address"),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", ondelete="CASCADE")
    address: str = Field(max_length=254)  # lower-cased domain, as email_validator gives it
    language: str = Field(max_length=5)  # en or de
    receives: str = Field(max_length=10)  # reports, digest or both
    state: str = Field(default="pending", max_length=10)  # pending or confirmed
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Set when the address's server refused a message for good (5xx): nothing more goes there.
    bounced_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SubscribeAttempt(SQLModel, table=True):
    """One use of the subscribe form, by a keyed hash of the address or the client address."""

    __tablename__ = "subscribe_attempts"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, index=True)  # HMAC-SHA256 hex: no address is kept here
    attempted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class MailRound(SQLModel, table=True):
    """A round of e-mails queued for a campaign: one weekly digest, one alert, ... ever.

    Every worker queues the periodic jobs; the unique key lets one of them send a round.
    """

    __tablename__ = "mail_rounds"
    __table_args__ = (
        UniqueConstraint("kind", "campaign_id", "period", name="uq_mail_rounds_period"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # digest, summary or alert
    campaign_id: int = Field(foreign_key="campaigns.id", ondelete="CASCADE")
    period: str = Field(max_length=20)  # 2026-W48 for a week, 2026-11-27 for an alert's day
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    messages: int = 0  # how many it queued


class OutboxMessage(SQLModel, table=True):
    """One e-mail to one recipient, from queued to sent, deferred (retrying) or bounced.

    A report's e-mail to a subscriber is composed when it is sent (kind "report": the
    report and the subscriber say what it holds); other kinds carry their text.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_due", "state", "next_attempt_at"),
        Index("ix_outbox_messages_campaign", "campaign_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int | None = Field(default=None, foreign_key="campaigns.id", ondelete="CASCADE")
    subscriber_id: int | None = Field(
        default=None, foreign_key="subscribers.id", ondelete="SET NULL", index=True
    )
    report_id: int | None = Field(
        default=None, foreign_key="published_reports.id", ondelete="CASCADE"
    )
    kind: str = Field(max_length=20)  # confirm, report, test, or another area's word
    recipient: str = Field(max_length=254)  # masked once the subscriber is gone
    language: str = Field(default="en", max_length=5)
    subject: str = Field(default="", max_length=300)
    text_body: str = Field(default="", sa_type=Text)
    html_body: str | None = Field(default=None, sa_type=Text)
    unsubscribe_url: str | None = Field(default=None, max_length=500)
    # queued, sending (its SMTP transaction began), sent, deferred (a retry is due at
    # next_attempt_at) or bounced (refused for good, or too many retries)
    state: str = Field(default="queued", max_length=10)
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # A worker's claim on the row until lease_until; an expired one may be taken over.
    lease: str | None = Field(default=None, max_length=36)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
