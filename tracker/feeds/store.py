"""Store parsed entries of a channel: the one way entries reach the database.

Entries go in with a bulk INSERT ... ON CONFLICT (channel_id, key) DO NOTHING, so two
pollers storing the same entry at once leave one row and no error. Engagement is kept
as observations over time, a new one only when a metric's value changed. New entries of
an updates channel are linked to milestones; those of a feedback channel are scored by
whoever receives them (`poll_results.receive_entries`), so storing needs no feedback code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from tracker.feeds.milestone_links import link_entries
from tracker.feeds.parsing import FeedEntry
from tracker.models import Channel, EngagementObservation, Entry

_IN_CHUNK = 500  # keys per IN (...) list: well under every driver's parameter limit


@dataclass
class StoreResult:
    """What storing one batch of parsed entries did."""

    new_ids: list[int] = field(default_factory=list)
    seen: int = 0

    @property
    def new(self) -> int:
        return len(self.new_ids)


def dialect_insert(session: Session, table):
    """Return the INSERT construct of the session's dialect (it has on_conflict_do_nothing)."""
    name = session.get_bind().dialect.name
    return (postgresql.insert if name == "postgresql" else sqlite.insert)(table)


def _row(
    channel: Channel, entry: FeedEntry, *, now: datetime, source: str, parents: dict[str, int]
) -> dict:
    return {
        "channel_id": channel.id,
        "campaign_id": channel.campaign_id,
        "key": entry.key,
        "title": entry.title,
        "link": entry.link,
        "author": entry.author,
        "content_html": entry.content_html,
        "summary_text": entry.summary_text,
        "tags": " ".join(entry.tags),
        "published_at": entry.published_at,
        "published_guessed": entry.published_guessed,
        "first_seen_at": now,
        "source": source,
        "parent_id": parents.get(entry.parent_key) if entry.parent_key else None,
        "author_handle": entry.author_handle,
        "author_followers": entry.author_followers,
    }


def _chunks(items: Sequence, size: int = _IN_CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing_ids(session: Session, channel_id: int, keys: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(keys):
        rows = session.execute(
            select(Entry.key, Entry.id).where(Entry.channel_id == channel_id, Entry.key.in_(chunk))
        )
        found.update(rows.all())
    return found


def _insert_new(session: Session, rows: list[dict]) -> dict[str, int]:
    """Insert rows, skipping keys already stored; return {key: id} of those inserted."""
    if not rows:
        return {}
    statement = (
        dialect_insert(session, Entry.__table__)
        .on_conflict_do_nothing(index_elements=["channel_id", "key"])
        .returning(Entry.__table__.c.key, Entry.__table__.c.id)
    )
    inserted: dict[str, int] = {}
    for chunk in _chunks(rows, 200):
        inserted.update(session.execute(statement, list(chunk)).all())
    return inserted


def _latest_engagement(session: Session, entry_ids: Sequence[int]) -> dict[tuple[int, str], int]:
    latest: dict[tuple[int, str], int] = {}
    for chunk in _chunks(entry_ids):
        rows = session.execute(
            select(
                EngagementObservation.entry_id,
                EngagementObservation.metric,
                EngagementObservation.value,
            )
            .where(EngagementObservation.entry_id.in_(chunk))
            .order_by(EngagementObservation.observed_at, EngagementObservation.id)
        )
        for entry_id, metric, value in rows:
            latest[(entry_id, metric)] = value  # later rows overwrite earlier ones
    return latest


def latest_engagement(session: Session, entry_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Return each entry's latest value per metric (views, ratings, points, comments)."""
    latest: dict[int, dict[str, int]] = {}
    for (entry_id, metric), value in _latest_engagement(session, entry_ids).items():
        latest.setdefault(entry_id, {})[metric] = value
    return latest


def _record_engagement(
    session: Session, entries: list[tuple[int, FeedEntry]], *, fresh: set[int], now: datetime
) -> None:
    """Add an observation per metric whose value is new or changed."""
    measured = [(entry_id, entry) for entry_id, entry in entries if entry.engagement]
    if not measured:
        return
    latest = _latest_engagement(session, [i for i, _ in measured if i not in fresh])
    rows = [
        {"entry_id": entry_id, "observed_at": now, "metric": metric, "value": value}
        for entry_id, entry in measured
        for metric, value in sorted(entry.engagement.items())
        if latest.get((entry_id, metric)) != value
    ]
    if rows:
        session.execute(EngagementObservation.__table__.insert(), rows)


def store_entries(
    session: Session,
    channel: Channel,
    entries: Sequence[FeedEntry],
    *,
    now: datetime,
    source: str = "feed",
) -> StoreResult:
    """Store the channel's entries that are new and their engagement; link new updates."""
    result = StoreResult(seen=len(entries))
    if not entries:
        return result
    keys = [entry.key for entry in entries]
    ids = _existing_ids(session, channel.id, keys)
    missing = [entry for entry in entries if entry.key not in ids]
    parent_keys = sorted({e.parent_key for e in missing if e.parent_key})
    parents = _existing_ids(session, channel.id, parent_keys) if parent_keys else {}
    rows = [_row(channel, e, now=now, source=source, parents=parents) for e in missing]
    inserted = _insert_new(session, rows)
    ids.update(inserted)
    # A racing poller may have inserted a key between our SELECT and INSERT.
    lost = [entry.key for entry in missing if entry.key not in inserted]
    if lost:
        ids.update(_existing_ids(session, channel.id, lost))
    result.new_ids = [inserted[e.key] for e in missing if e.key in inserted]
    _record_engagement(
        session,
        [(ids[entry.key], entry) for entry in entries if entry.key in ids],
        fresh=set(result.new_ids),
        now=now,
    )
    posts = [inserted[e.key] for e in missing if e.key in inserted and not e.parent_key]
    if posts and channel.role == "updates":
        link_entries(session, campaign_id=channel.campaign_id, entry_ids=posts)
    session.flush()
    return result
