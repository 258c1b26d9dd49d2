"""A feedback alert as an entry of the campaign's private Atom feed (tracker.atom writes it)."""

from __future__ import annotations

import html
from datetime import datetime

from tracker.atom import AtomEntry


def alert_atom_entry(
    *,
    id: str,
    title: str,
    summary: str,
    lines: list[tuple[str, str | None]],
    link: str,
    updated: datetime,
) -> AtomEntry:
    """Return the alert as an entry listing its comments (plain text, link to the original)."""
    # Comments are outside text: escape everything; links were checked to be http(s).
    items = "".join(
        f'<li>{html.escape(text)} (<a href="{html.escape(url)}">{html.escape(url)}</a>)</li>'
        if url
        else f"<li>{html.escape(text)}</li>"
        for text, url in lines
    )
    return AtomEntry(
        id=id,
        title=title,
        updated=updated,
        link=link,
        content_html=f"<p>{html.escape(summary)}</p><ul>{items}</ul>",
    )
