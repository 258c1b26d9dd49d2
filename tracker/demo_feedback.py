"""The demo campaign's feedback channels: follower comments from feed files, scored on arrival.

Like the demo's own channels (tracker.demo_feeds), each file is parsed with parse_feed
and stored through store_entries, which scores feedback as the poller's path does; the
channels are never polled. Dates are shifted so that the spec's anchor falls on `now`,
the moment the demo is loaded, never ahead of it. Idempotent: a channel already there is
left alone.
"""

import json
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources

from sqlalchemy import select, update
from sqlmodel import Session

from tracker.channels import create_channel
from tracker.feed_parse import parse_feed
from tracker.feed_store import store_entries
from tracker.models import Campaign, Channel, Entry, Feedback, utcnow


def _read(name: str) -> bytes:
    return resources.files("tracker").joinpath("data", "demo", name).read_bytes()


def demo_moment(today: date) -> datetime:
    """Return the moment the demo's comments are anchored to: now, or noon of another day."""
    now = utcnow()
    return now if now.date() == today else datetime.combine(today, time(12), tzinfo=UTC)


def load_demo_feedback(session: Session, campaign: Campaign, *, today: date) -> int:
    """Add the demo's feedback channels that are missing, with their comments; return how many."""
    spec = json.loads(_read("feedback.json"))
    now = demo_moment(today)
    shift = now - datetime.fromisoformat(spec["anchor"])
    added = 0
    for item in spec["channels"]:
        exists = session.scalar(
            select(Channel.id).where(
                Channel.campaign_id == campaign.id, Channel.feed_url == item["feed_url"]
            )
        )
        if exists is not None:
            continue
        parsed = parse_feed(
            _read(f"feeds/{item['file']}"),
            content_type="application/xml",
            url=item["feed_url"],
            now=now - shift + timedelta(days=1),
        )
        channel = create_channel(
            session,
            campaign,
            role="feedback",
            kind=item["kind"],
            feed_url=item["feed_url"],
            source_url=item["source_url"],
            title=parsed.title or "",
            polled=False,
        )
        channel.last_polled_at = channel.last_success_at = now
        entries = [
            replace(entry, published_at=min(entry.published_at + shift, now))
            for entry in parsed.entries
        ]
        result = store_entries(session, channel, entries, now=now)
        _set_states(session, result.new_ids, spec["states"], now=now)
        added += 1
    session.flush()
    return added


def _set_states(session: Session, entry_ids, states: dict[str, list[str]], *, now) -> None:
    for state, guids in states.items():
        keys = [f"guid:{guid}" for guid in guids]
        ids = select(Entry.id).where(Entry.id.in_(entry_ids), Entry.key.in_(keys))
        session.execute(
            update(Feedback)
            .where(Feedback.entry_id.in_(ids))
            .values(state=state, state_changed_at=now)
        )
