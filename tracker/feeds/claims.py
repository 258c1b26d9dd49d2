"""Claim due channels for one poller, so that several pollers never fetch one twice.

Several pollers may run at once on PostgreSQL: each claims a batch of due channels with
SELECT ... FOR UPDATE SKIP LOCKED and pushes their next_poll_at forward by a lease
before committing, so no other poller sees them as due while they are fetched. SQLite
has no row locks (the FOR UPDATE clause is dropped there): run one poller on SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlmodel import Session

from tracker.feeds import due
from tracker.models import Channel

LEASE = timedelta(minutes=10)  # longer than any single fetch (30 s) by far


def _due(now: datetime):
    return (
        Channel.state == "active",
        Channel.polled.is_(True),
        Channel.next_poll_at <= now,
    )


def count_due(session: Session, *, now: datetime) -> int:
    """Return how many channels are due now."""
    return due.count_due(session.connection(), now=now)


@dataclass(frozen=True)
class Claim:
    """What a poller needs of a claimed channel to fetch it."""

    id: int
    feed_url: str
    etag: str | None
    last_modified: str | None
    poll_interval: int


def claim_due(
    session: Session, *, now: datetime, limit: int, lease: timedelta = LEASE
) -> list[Claim]:
    """Claim up to `limit` due channels for this poller and commit the claim."""
    rows = session.execute(
        select(
            Channel.id,
            Channel.feed_url,
            Channel.etag,
            Channel.last_modified,
            Channel.poll_interval,
        )
        .where(*_due(now))
        .order_by(Channel.next_poll_at, Channel.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    claims = [Claim(*row) for row in rows if row[1] is not None]
    if rows:
        ids = [row[0] for row in rows]
        session.execute(update(Channel).where(Channel.id.in_(ids)).values(next_poll_at=now + lease))
    session.commit()
    return claims


def next_due_at(session: Session) -> datetime | None:
    """Return when the next active channel is due."""
    return session.scalar(
        select(func.min(Channel.next_poll_at)).where(
            Channel.state == "active", Channel.polled.is_(True)
        )
    )
