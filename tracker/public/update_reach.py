"""Reach and virality of own posts: the channel's followers when a post went out, and its
engagement (replies, boosts, likes, quotes ...: every counted metric but views) after its
first hour, its first day and in total, read from the observations the poller stored."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlmodel import Session

from tracker.models import EngagementObservation, Entry, FollowerSnapshot

FIRST_HOUR = timedelta(hours=1)
FIRST_DAY = timedelta(days=1)
NOT_ENGAGEMENT = ("views",)  # seen, not acted on: reach rather than engagement


@dataclass(frozen=True)
class PostReach:
    """One post's reach and engagement curve; None where nothing was observed."""

    followers: int | None
    first_hour: int | None
    first_day: int | None
    total: int | None


def _engagement_at(observations, cutoff) -> int | None:
    """Sum each metric's latest value observed at or before `cutoff` (None: none yet)."""
    latest: dict[str, int] = {}
    for observed_at, metric, value in observations:  # oldest first
        if cutoff is None or observed_at <= cutoff:
            latest[metric] = value
    return sum(latest.values()) if latest else None


def _followers_at(snapshots, moment) -> int | None:
    """Return the count last taken at or before `moment`, else the first one after it."""
    before = [count for taken_at, count in snapshots if taken_at <= moment]
    if before:
        return before[-1]
    return snapshots[0][1] if snapshots else None


def post_reach(session: Session, entry_ids: Sequence[int]) -> dict[int, PostReach]:
    """Return the reach and engagement curve of each of these posts."""
    if not entry_ids:
        return {}
    posts = session.execute(
        select(Entry.id, Entry.channel_id, Entry.published_at).where(Entry.id.in_(list(entry_ids)))
    ).all()
    observed = defaultdict(list)
    rows = session.execute(
        select(
            EngagementObservation.entry_id,
            EngagementObservation.observed_at,
            EngagementObservation.metric,
            EngagementObservation.value,
        )
        .where(
            EngagementObservation.entry_id.in_(list(entry_ids)),
            EngagementObservation.metric.not_in(NOT_ENGAGEMENT),
        )
        .order_by(EngagementObservation.observed_at, EngagementObservation.id)
    )
    for entry_id, observed_at, metric, value in rows:
        observed[entry_id].append((observed_at, metric, value))
    followers = defaultdict(list)
    snapshots = session.execute(
        select(FollowerSnapshot.channel_id, FollowerSnapshot.taken_at, FollowerSnapshot.count)
        .where(FollowerSnapshot.channel_id.in_({channel_id for _, channel_id, _ in posts}))
        .order_by(FollowerSnapshot.taken_at, FollowerSnapshot.id)
    )
    for channel_id, taken_at, count in snapshots:
        followers[channel_id].append((taken_at, count))
    return {
        entry_id: PostReach(
            followers=_followers_at(followers[channel_id], published_at),
            first_hour=_engagement_at(observed[entry_id], published_at + FIRST_HOUR),
            first_day=_engagement_at(observed[entry_id], published_at + FIRST_DAY),
            total=_engagement_at(observed[entry_id], None),
        )
        for entry_id, channel_id, published_at in posts
    }
