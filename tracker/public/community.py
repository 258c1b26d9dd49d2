"""The public page's "Community": how many follow the founder's updates, per platform."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from tracker.feeds.channels import HAND_KEPT_HOSTS
from tracker.feeds.followers import latest_snapshots
from tracker.models import Campaign, Channel
from tracker.public.sources import source_platform

# Stars watch a repository, not the founder's updates: not followers.
NOT_FOLLOWERS = frozenset({"github"})
_HAND_KEPT = frozenset(HAND_KEPT_HOSTS.values())


@dataclass(frozen=True)
class PlatformFollowers:
    """Followers on one platform (or one channel) and when they were counted."""

    platform: str
    count: int
    counted_at: datetime


@dataclass(frozen=True)
class Community:
    """The latest follower count of each counted updates channel, largest first."""

    channels: tuple[PlatformFollowers, ...]

    @property
    def total(self) -> int:
        return sum(channel.count for channel in self.channels)

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
                )
            )
        return tuple(sorted(merged.values(), key=lambda p: -p.count))


def follower_platform(channel: Channel) -> str:
    """Return the platform a channel's followers are on (x, mastodon ...) or "feed"."""
    if channel.origin in _HAND_KEPT:
        return channel.origin
    return source_platform(channel.kind, channel.origin, channel.source_url or channel.feed_url)


def community_of(session: Session, campaign: Campaign) -> Community | None:
    """Return the followers of the campaign's updates channels; None when none was counted."""
    channels = {
        channel.id: channel
        for channel in session.exec(
            select(Channel).where(Channel.campaign_id == campaign.id, Channel.role == "updates")
        )
    }
    counted = [
        PlatformFollowers(follower_platform(channels[channel_id]), s.count, s.taken_at)
        for channel_id, s in latest_snapshots(session, list(channels)).items()
    ]
    counted = [c for c in counted if c.platform not in NOT_FOLLOWERS]
    if not counted:
        return None
    return Community(tuple(sorted(counted, key=lambda c: (-c.count, c.platform))))


def community_json(community: Community | None) -> dict | None:
    """Return the community as the JSON summary's `followers` value."""
    if community is None:
        return None
    return {
        "total": community.total,
        "channels": [
            {"platform": c.platform, "count": c.count, "counted_at": c.counted_at.isoformat()}
            for c in community.channels
        ],
    }
