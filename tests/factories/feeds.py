"""Factories for feed tests: make_channel, feed documents, and a policy for 127.0.0.1."""

from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path

from tracker.feeds.channels import create_channel
from tracker.feeds.fetch import FetchPolicy
from tracker.feeds.followers import record_followers
from tracker.models import utcnow

FEEDS = Path(__file__).parent.parent / "data" / "feeds"
LOCAL = FetchPolicy(allow_private=True, total_timeout=5.0, connect_timeout=2.0)
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
ATOM = {"Content-Type": "application/atom+xml; charset=utf-8"}
_numbers = count(1)


def make_channel(session, campaign, **overrides):
    n = next(_numbers)
    values = {
        "role": "updates",
        "origin": "direct",
        "feed_url": f"https://feeds.example/{n}.rss",
        **overrides,
    }
    channel = create_channel(session, campaign, **values)
    session.commit()
    return channel


def count_followers(session, channel, followers: int, *, ago: timedelta = timedelta()) -> None:
    """Record a channel's follower count taken `ago` before now, as the CLI does, and commit."""
    now = utcnow()
    record_followers(session, channel, count=followers, taken_at=now - ago, source="cli", now=now)
    session.commit()


def rss(*items: tuple[str, str], title: str = "Devlog", day: datetime | None = None) -> bytes:
    """Return an RSS document with (guid, title) items, one day apart, newest first."""
    day = day or datetime(2026, 11, 20, 12, tzinfo=UTC)
    parts = [
        f"<item><guid>{guid}</guid><title>{text}</title>"
        f"<link>https://blog.example/{guid}</link>"
        f"<pubDate>{(day - timedelta(days=i)).strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
        f"<description>&lt;p&gt;{text}&lt;/p&gt;</description></item>"
        for i, (guid, text) in enumerate(items)
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://blog.example/</link>{''.join(parts)}"
        "</channel></rss>"
    ).encode()


def nested_rss(depth: int) -> bytes:
    """Return an RSS document: one plain entry, then one whose HTML nests `depth` <div>."""
    deep = "<div>" * depth + "deep text"
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Devlog</title>'
        "<item><guid>plain</guid><title>Plain</title><description>&lt;p&gt;Fine&lt;/p&gt;"
        "</description></item>"
        f"<item><guid>deep</guid><title>Deep</title><description><![CDATA[{deep}]]>"
        "</description></item></channel></rss>"
    ).encode()
