"""Followers' words as a public page or a report shows them: without the platform's own lines.

Lemmy and Reddit write "submitted by X to r/Y 31 points | 8 comments" into a post, hnrss
"Article URL: … Comments URL: … Points: 120 # Comments: 45": counts and links of the
platform, no one's words. Authors are shown by name: a profile URL becomes its handle.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Lemmy: "submitted by X to Y 87 points | 12 comments" before the post.
_LEMMY_HEADER = re.compile(
    r"^\s*submitted by \S+ to \S+\s+\d+ points? \| \d+ comments?\s*", re.IGNORECASE
)
# Reddit: "submitted by /u/X to r/Y [link] [comments]" after the post.
_REDDIT_FOOTER = re.compile(
    r"\s*submitted by\s+/?u/\S+\s+to\s+/?r/\S+(?:\s*\[link\])?(?:\s*\[comments\])?\s*$",
    re.IGNORECASE,
)
_HNRSS_LINES = re.compile(
    r"\s*(?:Article URL:\s*\S+|Comments URL:\s*\S+|Points:\s*\d+|#\s*Comments:\s*\d+)\s*",
    re.IGNORECASE,
)
# A handle in a profile URL: /u/name (Lemmy, Reddit), /@name (Mastodon), /profile/name.
_PROFILE_PATH = re.compile(r"^/(?:u/|user/|c/|@|profile/)?([^/?#]+)/?$")


def without_boilerplate(text: str) -> str:
    """Return text without the platform's submitted-by, points and comments lines."""
    text = _LEMMY_HEADER.sub("", text or "")
    text = _REDDIT_FOOTER.sub("", text)
    text = _HNRSS_LINES.sub(" ", text)
    return " ".join(text.split())


def author_name(author: str | None) -> str | None:
    """Return an author as a name: a profile URL becomes its handle, an empty one None."""
    author = " ".join((author or "").split())
    if not author:
        return None
    if author.startswith(("http://", "https://")):
        parts = urlsplit(author)
        match = _PROFILE_PATH.match(parts.path or "/")
        return match.group(1) if match else parts.hostname
    return author
