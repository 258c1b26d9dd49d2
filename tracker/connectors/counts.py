"""A channel's own counts over time (a repository's stars, forks, watchers).

A count is observed again only when its value changed. The channel's row is locked
first: two pollers reading the same counts store them once (PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from tracker.connectors.social import lock_channel
from tracker.models import Channel, ChannelCount


def latest_counts(session: Session, channel_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Return each channel's latest value per metric."""
    latest: dict[int, dict[str, int]] = {}
    if not channel_ids:
        return latest
    rows = session.execute(
        select(ChannelCount.channel_id, ChannelCount.metric, ChannelCount.value)
        .where(ChannelCount.channel_id.in_(list(channel_ids)))
        .order_by(ChannelCount.observed_at, ChannelCount.id)
    )
    for channel_id, metric, value in rows:
        latest.setdefault(channel_id, {})[metric] = value  # later rows overwrite earlier ones
    return latest


def record_counts(
    session: Session, channel: Channel, counts: Mapping[str, int], *, now: datetime
) -> int:
    """Observe the counts whose value changed; return how many were observed."""
    lock_channel(session, channel)
    known = latest_counts(session, [channel.id]).get(channel.id, {})
    changed = [(m, v) for m, v in sorted(counts.items()) if known.get(m) != v]
    for metric, value in changed:
        row = ChannelCount(channel_id=channel.id, observed_at=now, metric=metric, value=value)
        session.add(row)
    session.flush()
    return len(changed)
