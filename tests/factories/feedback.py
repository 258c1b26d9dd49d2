"""Factories for feedback tests: a feedback channel and comments stored as the poller does."""

import hashlib
from datetime import UTC, datetime, timedelta

from tests.factories.feeds import make_channel
from tracker.feeds.content import plain_text_to_html
from tracker.feeds.parsing import FeedEntry
from tracker.feeds.poller import receive_entries

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def make_feedback_channel(session, campaign, **overrides):
    return make_channel(session, campaign, role="feedback", origin="mastodon-profile", **overrides)


def comment(text, *, at=None, author="@ana@social.example", engagement=None, link=True):
    """Return a parsed comment as the feed parser would hand it over."""
    at = at or NOW
    digest = hashlib.sha256(f"{at.isoformat()}|{text}|{author}".encode()).hexdigest()[:16]
    return FeedEntry(
        key=f"guid:{digest}",
        title=text[:80],
        link=f"https://social.example/@x/{digest}" if link else None,
        author=author,
        content_html=plain_text_to_html(text),
        summary_text=text,
        published_at=at,
        published_guessed=False,
        engagement=engagement or {},
        tags=(),
    )


def post_comments(session, channel, comments, *, now=NOW):
    """Store comments as the poller receives them (feedback is scored); commit."""
    result = receive_entries(session, channel, list(comments), now=now)
    session.commit()
    return result.new_ids


def hours_ago(hours, *, now=NOW):
    return now - timedelta(hours=hours)
