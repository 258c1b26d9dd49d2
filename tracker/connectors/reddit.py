"""Reddit: a post's points and comments over time, its comments as feedback.

A post's URL with `.json` appended gives the post and its comment tree in one request:

    [{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"id": "1abcde",
       "title": "...", "selftext": "...", "author": "ada", "score": 87,
       "num_comments": 5, "created_utc": 1795165200.0, "permalink": "/r/..."}}]}},
     {"kind": "Listing", "data": {"children": [{"kind": "t1", "data": {"id": "c2",
       "author": "bob", "body": "...", "score": 12, "created_utc": ..., "permalink": ...,
       "replies": "" or a Listing}}, {"kind": "more", ...}]}}]

The API is instance-relative (derived from the URL given). Bodies are Markdown: kept as
plain text; "more" stubs (comments not sent) are not followed, one request a poll.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from tracker.connectors.api import Api, ApiError, dig
from tracker.connectors.discussions import Comment, discussion_read, is_gone
from tracker.connectors.registry import Reading
from tracker.connectors.social import (
    SocialPost,
    count_or_none,
    store,  # noqa: F401 (the connector's store, tracker.connectors.registry)
)
from tracker.connectors.urls import match_path
from tracker.errors import InvalidInput
from tracker.feeds.content import http_url, plain_text_to_html

_POST = re.compile(r"/r/([A-Za-z0-9_]{1,50})/comments/([a-z0-9]{1,20})(?:/[^/]*)?/?")
# Bots whose comments are the subreddit's boilerplate, not a reader's opinion.
BOTS = ("AutoModerator",)


def source_url(url: str) -> str:
    """Return the post's URL (host/r/sub/comments/id); InvalidInput for another shape."""
    shape = match_path(url, _POST)
    if shape is None:
        reason = "Give the Reddit post URL, like https://www.reddit.com/r/sub/comments/id/title/."
        raise InvalidInput({"url": reason})
    scheme, netloc, match = shape
    return f"{scheme}://{netloc}/r/{match.group(1)}/comments/{match.group(2)}"


def _moment(value: object) -> datetime:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"created_utc {value!r} is not a time")
    return datetime.fromtimestamp(value, UTC)


def _text(value: object) -> tuple[str, str]:
    raw = str(value or "").strip()
    return " ".join(raw.split()), plain_text_to_html(raw)


def _comments(listing: object, base: str) -> list[Comment]:
    """Return the comment tree depth first; removed comments and bots left out."""
    found, stack = [], list(reversed(dig(listing, "data", "children") or []))
    while stack:
        thing = stack.pop()
        if not isinstance(thing, dict) or thing.get("kind") != "t1":
            continue  # "more": comments Reddit did not send
        data = thing["data"]
        replies = data.get("replies")
        stack.extend(reversed(dig(replies, "data", "children") or []))
        author, body = data.get("author"), data.get("body")
        if is_gone(author, body, BOTS):
            continue
        text, html = _text(body)
        score = count_or_none(data.get("score"))
        found.append(
            Comment(
                key=f"reddit:{data['id']}",
                parent=f"reddit:{str(data.get('parent_id') or '').split('_', 1)[-1]}",
                author=str(author),
                handle=f"u/{author}"[:300],
                text=text,
                html=html,
                link=http_url(data.get("permalink"), base=base),
                published_at=_moment(data["created_utc"]),
                counts={} if score is None else {"points": score},
            )
        )
    return found


def read(url: str, *, api: Api, now: datetime) -> Reading:
    """Read the post and its comments in one request."""
    post_url = source_url(url)
    parts = urlsplit(post_url)
    base = f"{parts.scheme}://{parts.netloc}"
    answer = api.get_json(f"{post_url}/.json?raw_json=1&limit=500", conditional=True)
    if answer.data is None:
        return Reading(answer.fetched, None)
    try:
        if not isinstance(answer.data, list) or len(answer.data) != 2:
            raise ValueError("not the two listings of a post")
        post = dig(answer.data[0], "data", "children")[0]["data"]
        comments = _comments(answer.data[1], base)
        title = str(post.get("title") or "")
        text, body = _text(post.get("selftext"))
        own = SocialPost(
            key=f"reddit:{post['id']}",
            link=http_url(post.get("permalink"), base=base) or post_url,
            text=f"{title} {text}".strip(),
            html=plain_text_to_html(title) + body,
            published_at=_moment(post["created_utc"]),
            counts={
                "points": count_or_none(post.get("score")) or 0,
                "comments": count_or_none(post.get("num_comments")) or 0,
            },
        )
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as error:
        reason = f"Reddit answered in an unexpected shape ({error!s:.120})"
        raise ApiError(reason) from None
    data = discussion_read(own, poster=str(post.get("author") or ""), comments=comments)
    return Reading(answer.fetched, data)
