"""Followers across channels: how many follow the founder's updates, per channel and
platform, for the public page's "Community" and the dashboard (with the last week's change)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_
from sqlmodel import Session, select

from tracker.feeds.channels import HAND_KEPT_HOSTS
from tracker.feeds.followers import latest_snapshots
from tracker.models import Campaign, Channel, FollowerSnapshot
from tracker.public.sources import source_platform

# Stars watch a repository, not the founder's updates: not followers.
NOT_FOLLOWERS = frozenset({"github"})
_HAND_KEPT = frozenset(HAND_KEPT_HOSTS.values())
WEEK = timedelta(days=7)
# A polled channel whose last poll failed, or that is paused, no longer renews its count.
STALE = and_(Channel.polled, or_(Channel.consecutive_errors > 0, Channel.state == "paused"))


@dataclass(frozen=True)
class PlatformFollowers:
    """Followers on one platform (or one channel) and when they were counted."""

    platform: str
    count: int
    counted_at: datetime
    stale: bool = False  # its channel (one of them) is failing or paused


@dataclass(frozen=True)
class Community:
    """The latest follower count of each counted updates channel, largest first."""

    channels: tuple[PlatformFollowers, ...]

    @property
    def total(self) -> int:
        return sum(channel.count for channel in self.channels)

    @property
    def stale(self) -> bool:
        return any(channel.stale for channel in self.channels)

    @property
    def first_counted_at(self) -> datetime:
        return min(channel.counted_at for channel in self.channels)

    @property
    def last_counted_at(self) -> datetime:
        return max(channel.counted_at for channel in self.channels)

    @property
    def by_platform(self) -> tuple[PlatformFollowers, ...]:
        """Add up channels on the same platform, dated by their oldest count."""
        merged: dict[str, PlatformFollowers] = {}
        for channel in self.channels:
            seen = merged.get(channel.platform)
            merged[channel.platform] = (
                channel
                if seen is None
                else PlatformFollowers(
                    channel.platform,
                    seen.count + channel.count,
                    min(seen.counted_at, channel.counted_at),
                    seen.stale or channel.stale,
                )
            )
        return tuple(sorted(merged.values(), key=lambda p: -p.count))


def follower_platform(channel: Channel) -> str:
    """Return the platform a channel is on (x, mastodon ...) or "feed"."""
    if channel.origin in _HAND_KEPT:
        return channel.origin
    return source_platform(channel.kind, channel.origin, channel.source_url or channel.feed_url)


def is_stale(channel: Channel) -> bool:
    """Return whether the channel no longer renews its count (failing or paused)."""
    return channel.polled and (channel.consecutive_errors > 0 or channel.state == "paused")


@dataclass(frozen=True)
class ChannelFollowers:
    """One updates channel's latest follower count, and its count a week before."""

    channel_id: int
    title: str
    platform: str
    count: int
    counted_at: datetime
    stale: bool
    week_before: int | None  # the last count 7 days or more before now; None: none yet

    @property
    def change(self) -> int | None:
        return None if self.week_before is None else self.count - self.week_before


@dataclass(frozen=True)
class FollowersAcross:
    """The dashboard's followers across channels: each channel, largest first, and the sum."""

    channels: tuple[ChannelFollowers, ...]

    @property
    def total(self) -> int:
        return sum(channel.count for channel in self.channels)

    @property
    def counted_at(self) -> datetime:
        """Return the date of the total: its oldest figure's."""
        return min(channel.counted_at for channel in self.channels)

    @property
    def stale(self) -> bool:
        return any(channel.stale for channel in self.channels)

    @property
    def change(self) -> int | None:
        """Return the week's change of the channels that were counted a week ago."""
        known = [c.change for c in self.channels if c.change is not None]
        return sum(known) if known else None

    @property
    def changes_known(self) -> int:
        return sum(1 for channel in self.channels if channel.change is not None)


def _counted(session: Session, campaign: Campaign) -> list[tuple[Channel, FollowerSnapshot]]:
    """Return each counted updates channel (not a repository's stars) with its latest count."""
    channels = {
        channel.id: channel
        for channel in session.exec(
            select(Channel).where(Channel.campaign_id == campaign.id, Channel.role == "updates")
        )
    }
    latest = latest_snapshots(session, list(channels))
    return [
        (channels[channel_id], snapshot)
        for channel_id, snapshot in latest.items()
        if follower_platform(channels[channel_id]) not in NOT_FOLLOWERS
    ]


def community_of(session: Session, campaign: Campaign) -> Community | None:
    """Return the followers of the campaign's updates channels; None when none was counted."""
    counted = [
        PlatformFollowers(follower_platform(channel), s.count, s.taken_at, is_stale(channel))
        for channel, s in _counted(session, campaign)
    ]
    if not counted:
        return None
    return Community(tuple(sorted(counted, key=lambda c: (-c.count, c.platform))))


def _counts_before(session: Session, channel_ids: list[int], moment: datetime) -> dict[int, int]:
    """Return each channel's last count taken at or before `moment`."""
    before = {}
    rows = session.exec(
        select(FollowerSnapshot.channel_id, FollowerSnapshot.count)
        .where(FollowerSnapshot.channel_id.in_(channel_ids), FollowerSnapshot.taken_at <= moment)
        .order_by(FollowerSnapshot.taken_at, FollowerSnapshot.id)
    )
    for channel_id, count in rows:  # oldest first: the last one read wins
        before[channel_id] = count
    return before


def followers_across(
    session: Session, campaign: Campaign, *, now: datetime
) -> FollowersAcross | None:
    """Return each counted updates channel's followers and their week; None when none."""
    counted = _counted(session, campaign)
    if not counted:
        return None
    before = _counts_before(session, [channel.id for channel, _ in counted], now - WEEK)
    channels = [
        ChannelFollowers(
            channel_id=channel.id,
            title=channel.title or channel.source_url or channel.feed_url or "",
            platform=follower_platform(channel),
            count=snapshot.count,
            counted_at=snapshot.taken_at,
            stale=is_stale(channel),
            week_before=before.get(channel.id),
        )
        for channel, snapshot in counted
    ]
    return FollowersAcross(tuple(sorted(channels, key=lambda c: (-c.count, c.title))))


def community_json(community: Community | None) -> dict | None:
    """Return the community as the JSON summary's `followers` value."""
    if community is None:
        return None
    return {
        "total": community.total,
        "stale": community.stale,
        "channels": [
            {
                "platform": c.platform,
                "count": c.count,
                "counted_at": c.counted_at.isoformat(),
                "stale": c.stale,
            }
            for c in community.channels
        ],
    }
