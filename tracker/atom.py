"""The one module that speaks to feedgen: a campaign's timeline as an Atom feed."""

from dataclasses import dataclass
from datetime import datetime

from feedgen.feed import FeedGenerator


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
    """Return the Atom document (UTF-8 bytes), entries in the order given."""
    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(title)
    feed.subtitle(subtitle or title)
    feed.link(href=page_url, rel="alternate", type="text/html")
    feed.link(href=feed_url, rel="self", type="application/atom+xml")
    feed.language(language)
    feed.author({"name": author})
    feed.updated(updated)
    feed.generator("tracker")
    # feedgen prepends entries: add them oldest first so the document lists newest first.
    for item in reversed(entries):
        entry = feed.add_entry()
        entry.id(item.id)
        entry.title(item.title)
        entry.link(href=item.link, rel="alternate", type="text/html")
        entry.updated(item.updated)
        entry.published(item.updated)
        if item.summary:
            entry.summary(item.summary)
        if item.content_html:
            entry.content(item.content_html, type="html")
    return feed.atom_str(pretty=True)
