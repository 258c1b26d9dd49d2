"""Webhooks: a campaign's hooks, the events each owes its receiver, every attempt made."""

from datetime import datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from tracker.models.types import UTCDateTime, utcnow

WEBHOOK_KINDS = ("discord", "slack", "json")


class Webhook(SQLModel, table=True):
    """One receiver of a campaign's news (tracker/webhooks/)."""

    __tablename__ = "webhooks"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=10)  # discord, slack or json
    url: str = Field(sa_type=Text)
    # Signs the json kind's bodies (tracker/webhooks/signing.py); shown once, at creation.
    secret: str | None = Field(default=None, max_length=100)
    state: str = Field(default="active", max_length=10)  # active or paused
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Events up to this moment have become deliveries: the next look starts here.
    events_until: datetime = Field(sa_type=UTCDateTime)
    # The first failed attempt since the last success; a day of failures pauses the hook.
    failing_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    paused_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_success_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookDelivery(SQLModel, table=True):
    """One event a hook owes its receiver: sent once it is accepted, retried until then."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("webhook_id", "event_key", name="uq_webhook_deliveries_event"),
        # The worker's one query: pending deliveries whose next attempt is due.
        Index("ix_webhook_deliveries_due", "state", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    webhook_id: int = Field(foreign_key="webhooks.id", ondelete="CASCADE")
    uid: str = Field(max_length=36)  # the X-Tracker-Delivery header, the same on every retry
    event: str = Field(max_length=30)  # update.published, milestone.changed, report.published, ping
    event_key: str = Field(max_length=60)  # e.g. entry:12, so an event is owed once
    payload: str = Field(sa_type=Text)  # the event as JSON, formatted per kind when sent
    state: str = Field(default="pending", max_length=10)  # pending or delivered
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookAttempt(SQLModel, table=True):
    """One try to deliver an event: when, the receiver's status or the error, how long."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (Index("ix_webhook_attempts_hook_at", "webhook_id", "attempted_at"),)

    id: int | None = Field(default=None, primary_key=True)
    webhook_id: int = Field(foreign_key="webhooks.id", ondelete="CASCADE")
    delivery_id: int = Field(foreign_key="webhook_deliveries.id", index=True, ondelete="CASCADE")
    attempted_at: datetime = Field(sa_type=UTCDateTime)
    status_code: int | None = None
    error: str | None = Field(default=None, sa_type=Text)
    duration_ms: int = 0
