"""Read feed links, canonical URLs and channel ids out of fetched HTML pages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from tracker.feeds.nesting import start_tags

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


def read_links(body: bytes, *, base: str) -> PageLinks:
    """Return the feed links, canonical URL and meta values of an HTML page."""
    found = PageLinks()
    # The tokenizer of feeds.nesting reads any page in linear time; html.parser does not.
    for tag, attributes in start_tags(body.decode("utf-8", "replace")):
        values = {name: value.strip() for name, value in attributes.items()}
        if tag == "base" and values.get("href"):
            base = _joined(base, values["href"]) or base
        elif tag == "link" and values.get("href"):
            _read_link(found, values, base)
        elif tag == "meta" and values.get("content"):
            name = values.get("itemprop") or values.get("property") or values.get("name")
            if name:
                found.meta.setdefault(name.lower(), values["content"])
    return found


def _read_link(found: PageLinks, values: dict[str, str], base: str) -> None:
    rel = frozenset(values.get("rel", "").lower().split())
    href = _joined(base, values["href"])
    if href is None or urlsplit(href).scheme not in ("http", "https"):
        return
    media_type = values.get("type", "").lower().split(";")[0].strip()
    if "alternate" in rel:
        found.alternates.append(PageLink(rel, media_type, href))
    if "canonical" in rel and found.canonical is None:
        found.canonical = href


def _joined(base: str, href: str) -> str | None:
    """Return href resolved against base, or None for a URL that cannot be parsed."""
    try:
        return urljoin(base, href)
    except ValueError:  # "http://[::1" and other broken hosts
        return None


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
