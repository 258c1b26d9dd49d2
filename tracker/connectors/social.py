"""What a social connector (Mastodon, Bluesky) read of one account, and how it is stored.

The platform modules only read and return a `SocialRead`; `store_social_read` writes it
in the caller's transaction: followers over time, own posts with their counts over time
(entries and engagement observations, a new one only when a value changed), the replies
under them as follower feedback threaded to the post, and a reply the account's owner
answered in the thread closed in the reply queue. The channel's row is locked first, so
two pollers of one channel write one after the other and the second, reading what the
first committed, finds nothing new to observe (PostgreSQL; SQLite writes one at a time).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlmodel import Session

from tracker.feeds.content import truncate
from tracker.feeds.followers import latest_followers
from tracker.feeds.parsing import FeedEntry
from tracker.models import Channel, Entry, Feedback, FollowerSnapshot

TITLE_LENGTH = 80
OPEN_STATES = ("new", "needs_reply")  # the states an answer in the thread closes
# Bounded work per poll: own posts younger than WINDOW are read again on every poll (their
# counts, and their thread when its replies count changed), older ones keep their last
# counts; at most MAX_THREADS threads are read a poll, the others on the next ones.
WINDOW = timedelta(days=14)
MAX_THREADS = 10


@dataclass(frozen=True)
class Author:
    """A reply's author as the platform shows them publicly."""

    handle: str  # @name@host on Mastodon, @name.bsky.social on Bluesky
    name: str  # display name, may be empty
    followers: int | None  # None where the API does not give it


@dataclass(frozen=True)
class SocialPost:
    """One post: an own post (reply_to None) or a reply under one (reply_to its key)."""

    key: str
    link: str | None
    text: str  # plain text
    html: str  # sanitised HTML
    published_at: datetime
    counts: dict[str, int]  # replies, boosts/reposts, favourites/likes, quotes
    reply_to: str | None = None
    author: Author | None = None


@dataclass(frozen=True)
class SocialRead:
    """One poll of an account: followers, recent own posts, replies read from threads."""

    title: str
    followers: int | None
    posts: list[SocialPost]
    replies: list[SocialPost] = field(default_factory=list)
    answered: frozenset[str] = frozenset()  # keys of replies the owner replied to
    # Each recent post's replies count when its thread was last read (channel memo).
    threads: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class SocialStored:
    """What storing a read did."""

    new_posts: int
    new_replies: int
    answered: int
    followers_recorded: bool


def _entry(post: SocialPost) -> FeedEntry:
    author = post.author
    return FeedEntry(
        key=post.key,
        title=truncate(post.text, TITLE_LENGTH),
        link=post.link,
        author=(author.name or author.handle) if author else None,
        content_html=post.html,
        summary_text=truncate(post.text),
        published_at=post.published_at,
        published_guessed=False,
        engagement=dict(post.counts),
        tags=(),
        parent_key=post.reply_to,
        author_handle=author.handle if author else None,
        author_followers=author.followers if author else None,
    )


def lock_channel(session: Session, channel: Channel) -> None:
    """Hold the channel's row until the transaction ends (a no-op on SQLite)."""
    session.execute(select(Channel.id).where(Channel.id == channel.id).with_for_update())


def _record_followers(session: Session, channel: Channel, count: int | None, now) -> bool:
    if count is None or latest_followers(session, [channel.id]).get(channel.id) == count:
        return False
    session.add(
        FollowerSnapshot(channel_id=channel.id, taken_at=now, count=count, source=channel.kind)
    )
    return True


def close_answered(session: Session, channel: Channel, keys: Sequence[str], *, now) -> int:
    """Mark the channel's replies with these keys answered, unless the team moved them."""
    if not keys:
        return 0
    ids = select(Entry.id).where(Entry.channel_id == channel.id, Entry.key.in_(list(keys)))
    result = session.execute(
        update(Feedback)
        .where(Feedback.entry_id.in_(ids), Feedback.state.in_(OPEN_STATES))
        .values(state="answered", state_changed_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def parse_moment(value: object) -> datetime:
    """Return an ISO 8601 time with its zone (ValueError without one)."""
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("a time without its zone")
    return moment


def count_or_none(value: object) -> int | None:
    """Return a count the API gave, None for anything but a non-negative integer."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def threads_due(posts: Sequence[SocialPost], memo: str | None):
    """Return (the memo's counts of these posts, the posts whose thread to read now)."""
    known = read_threads(memo)
    threads = {post.key: known[post.key] for post in posts if post.key in known}
    changed = [
        p for p in posts if p.counts.get("replies") and known.get(p.key) != p.counts["replies"]
    ]
    return threads, changed[:MAX_THREADS]


def read_threads(memo: str | None) -> dict[str, int]:
    """Return the replies count per post key a channel's memo remembers ({} when none)."""
    try:
        threads = json.loads(memo or "{}").get("threads") or {}
    except (ValueError, AttributeError):
        return {}  # a memo of another shape: read every thread once more
    return {str(k): v for k, v in threads.items() if isinstance(v, int)}


def store_social_read(
    session: Session, channel: Channel, read: SocialRead, *, now: datetime
) -> SocialStored:
    """Store one poll of a social account; the caller commits."""
    # Imported here as in the poller: scoring loads VADER and the lexicons.
    from tracker.feedback.scoring import score_entries
    from tracker.feeds.poller import receive_entries
    from tracker.feeds.store import store_entries

    lock_channel(session, channel)
    if not channel.title and read.title:
        channel.title = read.title[:200]
    recorded = _record_followers(session, channel, read.followers, now)
    posts = receive_entries(session, channel, [_entry(p) for p in read.posts], now=now)
    # Replies after their posts: a reply's parent must be stored to be threaded to it.
    replies = store_entries(session, channel, [_entry(r) for r in read.replies], now=now)
    if replies.new_ids:
        score_entries(session, replies.new_ids)
    channel.connector_memo = json.dumps({"threads": read.threads}, sort_keys=True)
    answered = close_answered(session, channel, sorted(read.answered), now=now)
    session.flush()
    return SocialStored(posts.new, replies.new, answered, recorded)


def store(session: Session, channel: Channel, data: SocialRead, *, now: datetime) -> int:
    """Store a social connector's read; return how many posts and replies are new."""
    stored = store_social_read(session, channel, data, now=now)
    return stored.new_posts + stored.new_replies
