"""The demo campaign's channels: feed files in the repository, stored as if polled.

No network: each file is parsed with parse_feed and stored through receive_entries, the
poller's own path, with its dates shifted so that the files' anchor falls on today.
The channels are marked as not polled, so the poller never fetches their made-up hosts.
Idempotent: a channel already there is left alone.
"""

import json
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlmodel import Session

from tracker.demo.files import read_demo_file
from tracker.feeds.channels import create_channel
from tracker.feeds.followers import record_followers
from tracker.feeds.parsing import parse_feed
from tracker.feeds.poller import receive_entries
from tracker.feeds.store import StoreResult
from tracker.models import Campaign, Channel


def add_demo_channel(
    session: Session, campaign: Campaign, item: dict, *, role: str, anchor: datetime, now: datetime
) -> tuple[Channel, StoreResult] | None:
    """Store one demo feed file as a never-polled channel, its dates moved from anchor to now.

    Returns None when the campaign already has the channel.
    """
    exists = session.scalar(
        select(Channel.id).where(
            Channel.campaign_id == campaign.id, Channel.feed_url == item["feed_url"]
        )
    )
    if exists is not None:
        return None
    parsed = parse_feed(
        read_demo_file(f"feeds/{item['file']}"),
        content_type="application/xml",
        url=item["feed_url"],
        now=anchor + timedelta(days=1),
    )
    channel = create_channel(
        session,
        campaign,
        role=role,
        origin=item["kind"],
        feed_url=item["feed_url"],
        source_url=item["source_url"],
        title=parsed.title or "",
        polled=False,
    )
    channel.last_polled_at = channel.last_success_at = now
    shift = now - anchor
    entries = [
        replace(entry, published_at=min(entry.published_at + shift, now))
        for entry in parsed.entries
    ]
    return channel, receive_entries(session, channel, entries, now=now)


def load_demo_feeds(session: Session, campaign: Campaign, *, today: date) -> int:
    """Add the demo channels that are missing, with their entries; return how many."""
    spec = json.loads(read_demo_file("feeds.json"))
    anchor = datetime.fromisoformat(spec["anchor"])
    now = datetime.combine(today, time(0), tzinfo=UTC)  # never ahead of the real clock
    added = 0
    for item in spec["channels"]:
        stored = add_demo_channel(
            session, campaign, item, role=item["role"], anchor=anchor, now=now
        )
        if stored is None:
            continue
        channel, _ = stored
        for days, count in item["followers"]:
            record_followers(
                session,
                channel,
                count=count,
                taken_at=now + timedelta(days=days),
                source="demo",
                now=now,
            )
        added += 1
    session.flush()
    return added
