"""What moves pledges: the founder's updates grouped by channel and by kind of update, with
the median pledges, amount and engagement in the 24 h after each (from the ledger, else from
recorded totals: tracker.pledges.pledge_windows); too few updates are shown but never ranked."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import select
from sqlmodel import Session

from tracker.models import Campaign, Channel, Entry, PledgeImport
from tracker.pledges.live import LIVE
from tracker.pledges.pledge_windows import TOTALS, TOTALS_SLACK, pledged_in
from tracker.pledges.sources import report_covers_until
from tracker.public.community import follower_platform
from tracker.public.sources import source_platform
from tracker.public.update_reach import post_reach

WINDOW = timedelta(hours=24)
MIN_TO_COMPARE = 3  # updates a group needs before it is ranked against others
# The kind of an update, from the platform it went out on (tracker.public.sources and the
# hand-kept hosts); a plain feed is a blog's: an article.
KINDS = {
    "youtube": "video",
    "tiktok": "video",
    "github": "release",
    "mastodon": "short_post",
    "bluesky": "short_post",
    "x": "short_post",
    "threads": "short_post",
    "facebook": "short_post",
    "instagram": "short_post",
    "kickstarter": "platform_update",
    "reddit": "forum_post",
    "lemmy": "forum_post",
}


@dataclass(frozen=True)
class EffectGroup:
    """The updates of one channel or one kind and what followed them, as medians."""

    key: str  # the kind, or the channel's id
    label: str  # the channel's title; empty for a kind (the page names it)
    platform: str | None  # a channel's platform; None for a kind
    updates: int
    median_pledges: float
    median_amount_minor: int
    engagement_counted: int  # updates whose first day's engagement was seen
    median_engagement: float | None
    from_totals: int = 0  # updates counted from recorded totals, not the ledger

    @property
    def comparable(self) -> bool:
        return self.updates >= MIN_TO_COMPARE


@dataclass(frozen=True)
class UpdateEffects:
    """Both groupings, each ranked by median amount among the comparable groups first."""

    by_channel: tuple[EffectGroup, ...]
    by_kind: tuple[EffectGroup, ...]
    pending: int  # updates whose 24 h are not over yet: not counted
    uncovered: int  # updates covered neither by the ledger nor by totals: not counted either
    pledges_known_until: datetime | None  # the newest report's import (None: no pledges)
    from_totals: int = 0  # updates counted from recorded totals (approximate)
    window_hours: int = int(WINDOW.total_seconds() // 3600)
    totals_slack_hours: int = int(TOTALS_SLACK.total_seconds() // 3600)
    min_to_compare: int = MIN_TO_COMPARE

    @staticmethod
    def leader(groups: tuple[EffectGroup, ...]) -> EffectGroup | None:
        """Return the group that moved the most, only when two or more can be compared."""
        comparable = [group for group in groups if group.comparable]
        return comparable[0] if len(comparable) >= 2 else None


def update_kind(channel: Channel, link: str | None) -> str:
    """Return the kind of an update: video, release, short_post ... or article."""
    # A plain feed's posts can link a platform (a blog feed of videos): the link tells.
    platform = follower_platform(channel)
    if platform == "feed":
        platform = source_platform(channel.kind, channel.origin, link)
    return KINDS.get(platform, "article")


def pledges_known_until(session: Session, campaign: Campaign, *, now: datetime) -> datetime | None:
    """Return until when the ledger holds the pledges made (None: it holds none yet)."""
    # A connector that polls pledges (Open Collective) keeps it current; else the newest
    # backer report's import is where it ends.
    polled = session.scalar(
        select(PledgeImport.id)
        .where(PledgeImport.campaign_id == campaign.id, PledgeImport.status == LIVE)
        .limit(1)
    )
    return now if polled is not None else report_covers_until(session, campaign)


def _group(key, label, platform, measured) -> EffectGroup:
    engagement = [m[2] for m in measured if m[2] is not None]
    from_totals = sum(1 for m in measured if m[3] == TOTALS)
    return EffectGroup(
        key=key,
        label=label,
        platform=platform,
        updates=len(measured),
        median_pledges=median(m[0] for m in measured),
        median_amount_minor=round(median(m[1] for m in measured)),
        engagement_counted=len(engagement),
        median_engagement=median(engagement) if engagement else None,
        from_totals=from_totals,
    )


def _ranked(groups: list[EffectGroup]) -> tuple[EffectGroup, ...]:
    # Comparable groups by median amount, then pledges; the rest after them, by size.
    return tuple(
        sorted(
            groups,
            key=lambda g: (
                not g.comparable,
                -g.median_amount_minor if g.comparable else 0,
                -g.median_pledges if g.comparable else 0,
                -g.updates,
                g.label or g.key,
            ),
        )
    )


def update_effects(session: Session, campaign: Campaign, *, now: datetime) -> UpdateEffects:
    """Group the own updates whose 24 h are over and known by channel and by kind."""
    rows = session.execute(
        select(Entry.id, Entry.link, Entry.published_at, Channel)
        .join(Channel, Channel.id == Entry.channel_id)
        .where(
            Entry.campaign_id == campaign.id, Channel.role == "updates", Entry.parent_id.is_(None)
        )
        .order_by(Entry.published_at)
    ).all()
    done = [row for row in rows if row.published_at + WINDOW <= now]
    known_until = pledges_known_until(session, campaign, now=now)
    pledged = {
        row.id: pledged_in(
            session,
            campaign,
            row.published_at,
            row.published_at + WINDOW,
            ledger_until=known_until,
            now=now,
        )
        for row in done
    }
    covered = [row for row in done if pledged[row.id] is not None]
    reach = post_reach(session, [row.id for row in covered])
    by_channel, by_kind, channels = defaultdict(list), defaultdict(list), {}
    for entry_id, link, _published_at, channel in covered:
        window = pledged[entry_id]
        measured = (window.count, window.amount_minor, reach[entry_id].first_day, window.source)
        by_channel[channel.id].append(measured)
        by_kind[update_kind(channel, link)].append(measured)
        channels[channel.id] = channel
    return UpdateEffects(
        by_channel=_ranked(
            [
                _group(
                    str(channel_id),
                    _title(channels[channel_id]),
                    follower_platform(channels[channel_id]),
                    measured,
                )
                for channel_id, measured in by_channel.items()
            ]
        ),
        by_kind=_ranked([_group(kind, "", None, measured) for kind, measured in by_kind.items()]),
        pending=len(rows) - len(done),
        uncovered=len(done) - len(covered),
        pledges_known_until=known_until,
        from_totals=sum(1 for window in pledged.values() if window and window.source == TOTALS),
    )


def _title(channel: Channel) -> str:
    return channel.title or channel.source_url or channel.feed_url or ""
