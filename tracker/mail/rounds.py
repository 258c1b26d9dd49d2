"""Rounds of e-mails that go out once per campaign and period (a week's digest, an alert).

Every worker queues the periodic mail jobs, and `tracker worker --once` may run from cron
at any minute: the round's unique (kind, campaign, period) row decides which run sends.

A week's mail goes out on the day after the week (SEND_WITHIN of its end, in the
campaign's time zone) or not at all: the first run after a deploy, or after a worker was
down for days, does not send last week's news on a Thursday.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlmodel import Session

from tracker.campaigns.week_news import Week
from tracker.feeds.store import dialect_insert
from tracker.models import MailRound

SEND_WITHIN = timedelta(days=1)


def too_late(week: Week, now: datetime) -> bool:
    """Tell whether the week's mail is no news any more (more than SEND_WITHIN after it)."""
    return now - week.end > SEND_WITHIN


def start_round(
    session: Session, *, kind: str, campaign_id: int, period: str, now: datetime
) -> int | None:
    """Record the round and return its id; None when it was started before."""
    insert = dialect_insert(session, MailRound.__table__)
    values = {"kind": kind, "campaign_id": campaign_id, "period": period}
    # RETURNING gives no row when the round exists (rowcount is no help: psycopg counts 1).
    return session.scalar(
        insert.values(**values, created_at=now, messages=0)
        .on_conflict_do_nothing(index_elements=["kind", "campaign_id", "period"])
        .returning(MailRound.__table__.c.id)
    )


def count_messages(session: Session, round_id: int, messages: int) -> None:
    """Record how many messages the round queued."""
    session.execute(update(MailRound).where(MailRound.id == round_id).values(messages=messages))


def last_round_at(session: Session, *, kind: str, campaign_id: int) -> datetime | None:
    """Return when the campaign's last round of this kind was started."""
    return session.scalar(
        select(MailRound.created_at)
        .where(MailRound.kind == kind, MailRound.campaign_id == campaign_id)
        .order_by(MailRound.created_at.desc())
        .limit(1)
    )
