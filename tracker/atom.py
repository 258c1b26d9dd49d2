"""The one module that speaks to feedgen: a campaign's timeline as an Atom feed."""

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
    content_html: str = ""  # sanitised HTML, or empty


def render_atom(
    *,
    feed_id: str,
    title: str,
    subtitle: str,
    page_url: str,
    feed_url: str,
    language: str,
    updated: datetime,
    author: str,
    entries: list[AtomEntry],
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
    feed.subtitle(_x(subtitle or title))
    feed.link(href=_x(page_url), rel="alternate", type="text/html")
    feed.link(href=_x(feed_url), rel="self", type="application/atom+xml")
    feed.language(language)
    feed.author({"name": _x(author)})
    feed.updated(updated)
    feed.generator("tracker")
    # feedgen prepends entries: add them oldest first so the document lists newest first.
    for item in reversed(entries):
        entry = feed.add_entry()
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
