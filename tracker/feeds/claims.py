"""Claim due channels for one poller, so that several pollers never fetch one twice.

Several pollers may run at once on PostgreSQL: each claims a batch of due channels with
SELECT ... FOR UPDATE SKIP LOCKED and pushes their next_poll_at forward by a lease
before committing, so no other poller sees them as due while they are fetched. SQLite
has no row locks (the FOR UPDATE clause is dropped there): run one poller on SQLite.

All of it is SQLAlchemy Core over the channels columns the poller reads and writes
(`CHANNELS`), as is the write of the polls whose feeds answered 304, the common case,
several in one statement (`record_not_modified`): a cron poll that finds nothing due, or
only feeds that did not change, imports neither the ORM nor the models (bench/startup.py,
bench/poll_feeds.py). The functions take a Session or a Connection.
tests/feeds/test_claims.py keeps CHANNELS equal to the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    Connection,
    DateTime,
    Integer,
    String,
    Text,
    bindparam,
    column,
    func,
    select,
    table,
    update,
)
from sqlalchemy.types import TypeDecorator

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

LEASE = timedelta(minutes=10)  # longer than any single fetch (30 s) by far


class _UTCDateTime(TypeDecorator):
    """tracker.models.types.UTCDateTime's storage, for a module that loads no models."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = value.astimezone(UTC)
        # SQLite keeps no zone: naive UTC there, timestamptz elsewhere.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# The columns of tracker.models.Channel (table "channels") that polling reads and writes.
CHANNELS = table(
    "channels",
    column("id", Integer),
    column("feed_url", Text),
    column("state", String),
    column("polled", Boolean),
    column("poll_interval", Integer),
    column("etag", Text),
    column("last_modified", String),
    column("next_poll_at", _UTCDateTime),
    column("last_polled_at", _UTCDateTime),
    column("last_success_at", _UTCDateTime),
    column("consecutive_errors", Integer),
    column("kind", String),
    column("connector_memo", Text),
)
_c = CHANNELS.c


def _due(now: datetime):
    return (_c.state == "active", _c.polled.is_(True), _c.next_poll_at <= now)


def count_due(db: Session | Connection, *, now: datetime) -> int:
    """Return how many channels are due now."""
    return db.scalar(select(func.count()).select_from(CHANNELS).where(*_due(now))) or 0


@dataclass(frozen=True)
class Claim:
    """What a poller needs of a claimed channel to fetch it."""

    id: int
    feed_url: str
    etag: str | None
    last_modified: str | None
    poll_interval: int
    kind: str = "feed"  # which connector reads it (tracker.connectors.kinds)
    memo: str | None = None  # what its connector remembers between polls


def claim_due(
    db: Session | Connection, *, now: datetime, limit: int, lease: timedelta = LEASE
) -> list[Claim]:
    """Claim up to `limit` due channels for this poller and commit the claim."""
    rows = db.execute(
        select(
            _c.id,
            _c.feed_url,
            _c.etag,
            _c.last_modified,
            _c.poll_interval,
            _c.kind,
            _c.connector_memo,
        )
        .where(*_due(now))
        .order_by(_c.next_poll_at, _c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    claims = [Claim(*row) for row in rows if row[1] is not None]
    if rows:
        ids = [row[0] for row in rows]
        db.execute(update(CHANNELS).where(_c.id.in_(ids)).values(next_poll_at=now + lease))
    db.commit()
    return claims


@dataclass(frozen=True)
class NotModified:
    """A claimed channel whose feed answered 304 Not Modified, as it is to be written."""

    claim_id: int
    polled_at: datetime
    etag: str | None
    last_modified: str | None
    next_poll_at: datetime


def record_not_modified(db: Session | Connection, polls: Sequence[NotModified]) -> None:
    """Write polls whose feeds answered 304: a success, the validators, the next poll."""
    if not polls:
        return
    # Bound names differ from the column names, which UPDATE keeps for itself.
    at = bindparam("b_polled_at", type_=_UTCDateTime())
    statement = (
        update(CHANNELS)
        .where(_c.id == bindparam("b_id"))
        .values(
            last_polled_at=at,
            last_success_at=at,
            consecutive_errors=0,
            etag=bindparam("b_etag", type_=Text()),
            last_modified=bindparam("b_last_modified", type_=String()),
            next_poll_at=bindparam("b_next_poll_at", type_=_UTCDateTime()),
        )
    )
    rows = [
        {
            "b_id": poll.claim_id,
            "b_polled_at": poll.polled_at,
            "b_etag": poll.etag,
            "b_last_modified": poll.last_modified,
            "b_next_poll_at": poll.next_poll_at,
        }
        for poll in polls
    ]
    db.execute(statement, rows)


def next_due_at(db: Session | Connection) -> datetime | None:
    """Return when the next active channel is due."""
    return db.scalar(
        select(func.min(_c.next_poll_at)).where(_c.state == "active", _c.polled.is_(True))
    )
