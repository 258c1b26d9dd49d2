"""The private Atom feed of a campaign's feedback alerts: the one module that uses feedgen."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from tracker.text import strip_forbidden_chars as _x


@dataclass(frozen=True)
class AtomAlert:
    """One alert as a feed item; its id stays the same for one rule on one UTC day."""

    id: str
    title: str
    summary: str
    lines: list[tuple[str, str | None]]  # (comment as plain text, link to the original)
    link: str
    updated: datetime


def alert_feed_xml(
    *, feed_id: str, title: str, self_url: str, page_url: str, updated: datetime, alerts
) -> bytes:
    """Return an Atom document with one entry per alert (none when all is calm)."""
    # Campaign titles and comments are outside text: strip what XML forbids, or one
    # stray control character fails the whole feed.
    # feedgen (with lxml and dateutil) is imported when a feed is written, not at startup.
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(_x(title))
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.link(href=page_url, rel="alternate", type="text/html")
    feed.updated(updated)
    for alert in alerts:
        entry = feed.add_entry(order="append")
        entry.id(alert.id)
        entry.title(_x(alert.title))
        entry.updated(alert.updated)
        entry.link(href=alert.link, rel="alternate", type="text/html")
        entry.content(_x(_content_html(alert)), type="html")
    return feed.atom_str(pretty=True)


def _content_html(alert: AtomAlert) -> str:
    # Comments are outside text: escape everything; links were checked to be http(s).
    items = "".join(
        f'<li>{html.escape(text)} (<a href="{html.escape(link)}">{html.escape(link)}</a>)</li>'
        if link
        else f"<li>{html.escape(text)}</li>"
        for text, link in alert.lines
    )
    return f"<p>{html.escape(alert.summary)}</p><ul>{items}</ul>"
