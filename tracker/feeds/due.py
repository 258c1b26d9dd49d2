"""How many channels are due for a poll, asked in SQLAlchemy Core alone.

A cron job runs `tracker feeds poll` every few minutes and most runs find nothing due;
asked here, such a run ends before the ORM, the models, the parsers and the HTTP client
are imported (bench/startup.py times it). The poller claims what is due through the
models (tracker.feeds.claims); tests/feeds/test_due.py keeps the two in agreement.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Boolean, Connection, DateTime, String, column, func, select, table

# The columns of tracker.models.Channel that decide whether a channel is due.
_channels = table(
    "channels",
    column("state", String),
    column("polled", Boolean),
    column("next_poll_at", DateTime(timezone=True)),
)


def count_due(connection: Connection, *, now: datetime) -> int:
    """Return how many active, polled channels are due at `now`."""
    now = now.astimezone(UTC)
    if connection.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # stored as naive UTC there (models.types.UTCDateTime)
    query = (
        select(func.count())
        .select_from(_channels)
        .where(
            _channels.c.state == "active",
            _channels.c.polled.is_(True),
            _channels.c.next_poll_at <= now,
        )
    )
    return connection.scalar(query) or 0
