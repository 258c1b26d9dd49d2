"""The demo campaign's feedback channels: follower comments from feed files, scored on arrival.

Like the demo's own channels (tracker.demo.feeds), each file is parsed with parse_feed
and stored through receive_entries, which scores feedback as the poller does; the
channels are never polled. Dates are shifted so that the spec's anchor falls on `now`,
the moment the demo is loaded, never ahead of it. Idempotent: a channel already there is
left alone.
"""

import json
from datetime import UTC, date, datetime, time

from sqlalchemy import select, update
from sqlmodel import Session

from tracker.demo.feeds import add_demo_channel
from tracker.demo.files import read_demo_file
from tracker.models import Campaign, Entry, Feedback, utcnow


def demo_moment(today: date) -> datetime:
    """Return the moment the demo's comments are anchored to: now, or noon of another day."""
    now = utcnow()
    return now if now.date() == today else datetime.combine(today, time(12), tzinfo=UTC)


def load_demo_feedback(session: Session, campaign: Campaign, *, today: date) -> int:
    """Add the demo's feedback channels that are missing, with their comments; return how many."""
    spec = json.loads(read_demo_file("feedback.json"))
    now = demo_moment(today)
    anchor = datetime.fromisoformat(spec["anchor"])
    added = 0
    for item in spec["channels"]:
        stored = add_demo_channel(session, campaign, item, role="feedback", anchor=anchor, now=now)
        if stored is None:
            continue
        _, result = stored
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
