"""A linked discussion (a Hacker News story, a Reddit post) read as one social post.

The post is the founder's own (they submitted it): its points and comments counts are
observed over time, every comment under it becomes follower feedback threaded to it
(whatever its depth), and a comment the poster replied to counts as answered. The
poster's own comments are answers, not feedback. Deleted and removed comments, and the
platform's bots, are left out: they carry no one's opinion.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tracker.connectors.social import Author, SocialPost, SocialRead

# Bounded work per poll: a thread on the front page can hold thousands of comments.
MAX_COMMENTS = 500
GONE_TEXTS = frozenset({"", "[deleted]", "[removed]", "[flagged]", "[dead]"})


@dataclass(frozen=True)
class Comment:
    """One comment of a discussion as the platform module read it."""

    key: str
    parent: str  # key of the comment (or the post) it answers
    author: str  # the platform's public name, "" when deleted
    handle: str  # the public handle shown for it: "name" (HN), "u/name" (Reddit)
    text: str
    html: str
    link: str | None
    published_at: datetime
    counts: dict[str, int]


def is_gone(author: str | None, text: str | None, bots: Iterable[str] = ()) -> bool:
    """Return whether a comment carries nobody's words (deleted, removed, a bot's)."""
    return (
        not author
        or author in ("[deleted]", "[removed]")
        or author in set(bots)
        or (text or "").strip() in GONE_TEXTS
    )


def discussion_read(post: SocialPost, *, poster: str, comments: list[Comment]) -> SocialRead:
    """Return the post with its comments as replies, those the poster answered marked."""
    replies, answered = [], set()
    for comment in comments:
        if comment.author == poster:
            if comment.parent != post.key:
                answered.add(comment.parent)
            continue
        if len(replies) < MAX_COMMENTS:
            replies.append(
                SocialPost(
                    key=comment.key,
                    link=comment.link,
                    text=comment.text,
                    html=comment.html,
                    published_at=comment.published_at,
                    counts=comment.counts,
                    reply_to=post.key,
                    author=Author(handle=comment.handle, name="", followers=None),
                )
            )
    return SocialRead(
        title=post.text[:200],
        followers=None,
        posts=[post],
        replies=replies,
        answered=frozenset(answered),
    )
