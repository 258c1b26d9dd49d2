"""The one module that speaks to feedgen: every Atom document the app serves.

The public timeline of a campaign (views/syndication.py) and the private feed of its
feedback alerts (views/feedback_insights.py) are both written here.
"""

from dataclasses import dataclass
from datetime import datetime

from tracker.text import strip_forbidden_chars as _x


@dataclass(frozen=True)
class AtomEntry:
    """One entry, already worded for the reader's language."""

    id: str
    title: str
    updated: datetime
    link: str
    summary: str = ""
    content_html: str = ""  # sanitised or escaped HTML, or empty


def render_atom(
    *,
    feed_id: str,
    title: str,
    page_url: str,
    feed_url: str,
    updated: datetime,
    entries: list[AtomEntry],
    subtitle: str | None = None,
    language: str | None = None,
    author: str | None = None,
) -> bytes:
    """Return the Atom document (UTF-8 bytes), entries in the order given.

    Every text is stripped of what XML forbids: one such character in a row stored
    before the boundaries stripped it would otherwise fail the whole feed.
    """
    # feedgen (with lxml and dateutil) is imported when a feed is written, not at startup.
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(_x(feed_id))
    feed.title(_x(title))
    if subtitle is not None:
        feed.subtitle(_x(subtitle))
    feed.link(href=_x(page_url), rel="alternate", type="text/html")
    feed.link(href=_x(feed_url), rel="self", type="application/atom+xml")
    if language is not None:
        feed.language(language)
    if author is not None:
        feed.author({"name": _x(author)})
    feed.updated(updated)
    feed.generator("tracker")
    for item in entries:
        entry = feed.add_entry(order="append")
        entry.id(_x(item.id))
        entry.title(_x(item.title))
        entry.link(href=_x(item.link), rel="alternate", type="text/html")
        entry.updated(item.updated)
        entry.published(item.updated)
        if item.summary:
            entry.summary(_x(item.summary))
        if item.content_html:
            entry.content(_x(item.content_html), type="html")
    return feed.atom_str(pretty=True)
