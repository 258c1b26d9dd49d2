"""Read feed links, canonical URLs and channel ids out of fetched HTML pages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
_FEED_ROOTS = frozenset({b"rss", b"feed", b"rdf:rdf"})
_FIRST_ELEMENT = re.compile(rb"<([A-Za-z][\w:.-]*)")
_CHANNEL_ID = re.compile(r"UC[A-Za-z0-9_-]{22}")
# In YouTube's inline JSON the page owner's id comes as "externalId" or "channelId".
_JSON_CHANNEL_ID = re.compile(r'"(?:externalId|channelId)"\s*:\s*"(UC[A-Za-z0-9_-]{22})"')


@dataclass(frozen=True)
class PageLink:
    """A <link> element: its rel tokens, media type and absolute href."""

    rel: frozenset[str]
    type: str
    href: str


@dataclass
class PageLinks:
    """The parts of a page that point at feeds or identify the page."""

    alternates: list[PageLink] = field(default_factory=list)
    canonical: str | None = None
    meta: dict[str, str] = field(default_factory=dict)


class _LinkReader(HTMLParser):
    """Collect <base>, <link> and <meta> elements, resolving hrefs against the base."""

    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.found = PageLinks()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: (value or "").strip() for name, value in attrs}
        if tag == "base" and values.get("href"):
            self.base = urljoin(self.base, values["href"])
        elif tag == "link" and values.get("href"):
            rel = frozenset(values.get("rel", "").lower().split())
            href = urljoin(self.base, values["href"])
            if urlsplit(href).scheme not in ("http", "https"):
                return
            media_type = values.get("type", "").lower().split(";")[0].strip()
            if "alternate" in rel:
                self.found.alternates.append(PageLink(rel, media_type, href))
            if "canonical" in rel and self.found.canonical is None:
                self.found.canonical = href
        elif tag == "meta" and values.get("content"):
            name = values.get("itemprop") or values.get("property") or values.get("name")
            if name:
                self.found.meta.setdefault(name.lower(), values["content"])


def read_links(body: bytes, *, base: str) -> PageLinks:
    """Return the feed links, canonical URL and meta values of an HTML page."""
    reader = _LinkReader(base)
    reader.feed(body.decode("utf-8", "replace"))
    reader.close()
    return reader.found


def looks_like_feed(body: bytes, content_type: str | None) -> bool:
    """Return True when a response is an RSS, Atom or RDF document."""
    media_type = (content_type or "").lower().split(";")[0].strip()
    if media_type in FEED_TYPES:
        return True
    head = body[:2048]
    if b"\0" in head:
        head = head.replace(b"\0", b"")  # UTF-16 and UTF-32 markup
    # "<?xml", "<!--" and "<!DOCTYPE" do not match: the first real element decides.
    match = _FIRST_ELEMENT.search(head)
    return match is not None and match.group(1).lower() in _FEED_ROOTS


def find_youtube_channel_id(links: PageLinks, body: bytes) -> str | None:
    """Return the channel id a YouTube channel page carries, if any."""
    candidates = [
        links.canonical or "",
        links.meta.get("channelid", ""),
        links.meta.get("identifier", ""),
        links.meta.get("og:url", ""),
        *(link.href for link in links.alternates if link.type in FEED_TYPES),
    ]
    for candidate in candidates:
        if match := _CHANNEL_ID.search(candidate):
            return match.group(0)
    if match := _JSON_CHANNEL_ID.search(body.decode("utf-8", "replace")):
        return match.group(1)
    return None
