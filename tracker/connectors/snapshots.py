"""Funding figures a connector read live from the platform, stored as funding snapshots.

A snapshot is stored when the figures changed since the platform's last one, or on the
first poll of a new day (UTC), so the curve has a point a day while nothing moves. The
channel's row is locked first: two pollers reading the same figures store them once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from tracker.models import Campaign, Channel, FundingSnapshot
from tracker.pledges.snapshots import record_snapshot


def record_live_figures(
    session: Session,
    channel: Channel,
    *,
    amount_minor: int,
    backers: int,
    now: datetime,
) -> int:
    """Record the platform's figures for the channel's campaign; return 1 if stored, else 0."""
    # Held until the caller commits: a second poller waits here, then sees this snapshot.
    session.execute(select(Channel.id).where(Channel.id == channel.id).with_for_update())
    latest = session.scalars(
        select(FundingSnapshot)
        .where(
            FundingSnapshot.campaign_id == channel.campaign_id,
            FundingSnapshot.source == channel.kind,
        )
        .order_by(FundingSnapshot.taken_at.desc(), FundingSnapshot.id.desc())
        .limit(1)
    ).first()
    if (
        latest is not None
        and (latest.amount_minor, latest.backers) == (amount_minor, backers)
        and latest.taken_at.date() == now.date()
    ):
        return 0
    campaign = session.get(Campaign, channel.campaign_id)
    record_snapshot(
        session,
        campaign,
        amount_minor=amount_minor,
        backers=backers,
        source=channel.kind,
        taken_at=now,
    )
    return 1
