"""The feeds sections of the campaign export: channels with follower and own counts,
entries with engagement over time and their milestone links (see docs/export-schema.json)."""

from collections import defaultdict

from sqlalchemy import select
from sqlmodel import Session

from tracker.models import (
    Campaign,
    Channel,
    ChannelCount,
    EngagementObservation,
    Entry,
    EntryMilestone,
    FollowerSnapshot,
    Milestone,
)


def _iso(value):
    return value.isoformat() if value is not None else None


def export_channels(session: Session, campaign: Campaign) -> list[dict]:
    """Return the campaign's channels, oldest first, each with its follower snapshots."""
    channels = session.scalars(
        select(Channel).where(Channel.campaign_id == campaign.id).order_by(Channel.id)
    ).all()
    followers = defaultdict(list)
    snapshots = session.scalars(
        select(FollowerSnapshot)
        .join(Channel, Channel.id == FollowerSnapshot.channel_id)
        .where(Channel.campaign_id == campaign.id)
        .order_by(FollowerSnapshot.taken_at, FollowerSnapshot.id)
    )
    for snapshot in snapshots:
        followers[snapshot.channel_id].append(
            {
                "taken_at": _iso(snapshot.taken_at),
                "count": snapshot.count,
                "source": snapshot.source,
            }
        )
    counts = defaultdict(list)
    observed = session.scalars(
        select(ChannelCount)
        .join(Channel, Channel.id == ChannelCount.channel_id)
        .where(Channel.campaign_id == campaign.id)
        .order_by(ChannelCount.observed_at, ChannelCount.id)
    )
    for count in observed:
        counts[count.channel_id].append(
            {"observed_at": _iso(count.observed_at), "metric": count.metric, "value": count.value}
        )
    return [
        {
            "id": c.id,
            "role": c.role,
            "kind": c.kind,
            "origin": c.origin,
            "feed_url": c.feed_url,
            "source_url": c.source_url,
            "title": c.title,
            "state": c.state,
            "polled": c.polled,
            "created_at": _iso(c.created_at),
            "last_polled_at": _iso(c.last_polled_at),
            "last_error": c.last_error,
            "followers": followers[c.id],
            "counts": counts[c.id],
        }
        for c in channels
    ]


def export_entries(session: Session, campaign: Campaign) -> list[dict]:
    """Return the campaign's entries, oldest first, with engagement and milestone links."""
    entries = session.scalars(
        select(Entry).where(Entry.campaign_id == campaign.id).order_by(Entry.published_at, Entry.id)
    ).all()
    engagement = defaultdict(list)
    observations = session.scalars(
        select(EngagementObservation)
        .join(Entry, Entry.id == EngagementObservation.entry_id)
        .where(Entry.campaign_id == campaign.id)
        .order_by(EngagementObservation.observed_at, EngagementObservation.id)
    )
    for o in observations:
        engagement[o.entry_id].append(
            {"metric": o.metric, "value": o.value, "observed_at": _iso(o.observed_at)}
        )
    links = defaultdict(list)
    rows = session.execute(
        select(EntryMilestone, Milestone.position, Milestone.title)
        .join(Milestone, Milestone.id == EntryMilestone.milestone_id)
        .where(Milestone.campaign_id == campaign.id)
        .order_by(Milestone.position, Milestone.id)
    )
    keys = {e.id: e.key for e in entries}
    for link, position, title in rows:
        links[link.entry_id].append(
            {
                "milestone_position": position,
                "milestone_title": title,
                "how": link.how,
                "unlinked_at": _iso(link.unlinked_at),
            }
        )
    return [
        {
            "channel_id": e.channel_id,
            "key": e.key,
            "title": e.title,
            "link": e.link,
            "author": e.author,
            "author_handle": e.author_handle,
            "author_followers": e.author_followers,
            "reply_to": keys.get(e.parent_id),
            "content_html": e.content_html,
            "summary_text": e.summary_text,
            "tags": e.tags.split(),
            "published_at": _iso(e.published_at),
            "published_guessed": e.published_guessed,
            "first_seen_at": _iso(e.first_seen_at),
            "source": e.source,
            "engagement": engagement[e.id],
            "milestones": links[e.id],
        }
        for e in entries
    ]
