"""Hacker News: a story's points and comments over time, its comments as feedback.

The Algolia items API (TRACKER_HN_API_URL, default https://hn.algolia.com/api/v1) gives a
story and its whole comment tree in one request, `/items/:id`:

    {"id": 1, "type": "story", "author": "ada", "title": "Show HN: ...", "text": null,
     "points": 120, "created_at": "2026-11-20T09:00:00.000Z",
     "children": [{"id": 2, "type": "comment", "author": "bob", "text": "<p>...",
                   "parent_id": 1, "created_at": "...", "children": [...]}]}

A deleted comment keeps its place with author and text null. The comments count is
what the tree holds (the items API has no num_comments).
"""

from __future__ import annotations

import html as html_lib
import re
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from tracker.connectors.api import Api, ApiError
from tracker.connectors.discussions import Comment, discussion_read, is_gone
from tracker.connectors.registry import Reading
from tracker.connectors.social import (
    SocialPost,
    count_or_none,
    parse_moment,
    store,  # noqa: F401 (the connector's store, tracker.connectors.registry)
)
from tracker.connectors.urls import plain_netloc
from tracker.errors import InvalidInput
from tracker.feeds.content import clean_html, make_html_cleaner, plain_text
from tracker.feeds.nesting import TooDeep, text_of

_ID = re.compile(r"[0-9]{1,12}")
SITE = "https://news.ycombinator.com"
_CLEANER = make_html_cleaner(SITE)


def source_url(url: str) -> str:
    """Return the story's URL (host/item?id=N); InvalidInput for another shape."""
    text = url.strip()
    try:
        parts = urlsplit(text if "://" in text else f"https://{text}")
        ids = parse_qs(parts.query).get("id") or [""]
    except ValueError:
        parts, ids = None, [""]
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path != "/item"
        or not _ID.fullmatch(ids[0])
    ):
        raise InvalidInput({"url": f"Give the Hacker News story URL, like {SITE}/item?id=123."})
    return f"{parts.scheme}://{plain_netloc(parts)}/item?id={ids[0]}"


def _item_id(url: str) -> str:
    return source_url(url).rsplit("=", 1)[1]


def _key(item_id: object) -> str:
    return f"hackernews:{item_id}"


def _body(value: object) -> tuple[str, str]:
    """Return (plain text, sanitised HTML) of an item's HTML text."""
    raw = str(value or "")
    try:
        cleaned = clean_html(_CLEANER, raw)
    except TooDeep:
        return text_of(raw), ""
    return plain_text(cleaned, is_html=True), cleaned


def _comments(children: object) -> list[Comment]:
    """Return the comment tree depth first, deleted comments left out (their replies kept)."""
    found, stack = [], list(reversed(children if isinstance(children, list) else []))
    while stack:
        item = stack.pop()
        if not isinstance(item, dict):
            raise TypeError("a comment that is not an object")
        kids = item.get("children") or []
        stack.extend(reversed(kids if isinstance(kids, list) else []))
        author = item.get("author")
        if item.get("type") != "comment" or is_gone(author, item.get("text")):
            continue
        text, html = _body(item.get("text"))
        found.append(
            Comment(
                key=_key(item["id"]),
                parent=_key(item.get("parent_id")),
                author=str(author),
                handle=str(author)[:300],
                text=text,
                html=html,
                link=f"{SITE}/item?id={int(item['id'])}",
                published_at=parse_moment(item["created_at"]),
                counts={},
            )
        )
    return found


def read(url: str, *, api: Api, now: datetime) -> Reading:
    """Read the story and its comments in one request."""
    item_id = _item_id(url)
    answer = api.get_json(f"{api.base_url('hackernews')}/items/{item_id}", conditional=True)
    if answer.data is None:
        return Reading(answer.fetched, None)
    story = answer.data
    try:
        if story.get("type") not in ("story", "poll", "job"):
            raise ValueError(f"item {item_id} is a {story.get('type')}, not a story")
        comments = _comments(story.get("children"))
        title = html_lib.unescape(str(story.get("title") or ""))
        text, body = _body(story.get("text"))
        post = SocialPost(
            key=_key(story["id"]),
            link=f"{SITE}/item?id={int(story['id'])}",
            text=f"{title} {text}".strip(),
            html=f"<p>{html_lib.escape(title)}</p>{body}",
            published_at=parse_moment(story["created_at"]),
            counts={"points": count_or_none(story.get("points")) or 0, "comments": len(comments)},
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        reason = f"the Hacker News API answered in an unexpected shape ({error!s:.120})"
        raise ApiError(reason) from None
    data = discussion_read(post, poster=str(story.get("author") or ""), comments=comments)
    return Reading(answer.fetched, data)
