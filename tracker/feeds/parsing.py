"""Parse RSS and Atom documents into our own dataclasses.

The one module that imports feedparser. It only ever hands feedparser bytes (wrapped
in BytesIO, with the response headers so it can pick the encoding), never a URL or a
path, and only after `declares_entities` has cleared the document. feedparser's own
sanitiser and relative-URI pass are switched off: both re-parse every piece of HTML
with a slow pure-Python parser, and `content` does that job in one nh3 pass.
"""

from __future__ import annotations

import hashlib
import html
import io
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from tracker.feeds.content import (
    clean_html,
    engagement_from_text,
    hashtags,
    http_url,
    make_html_cleaner,
    plain_text,
    plain_text_to_html,
    truncate,
)
from tracker.feeds.nesting import TooDeep, text_of
from tracker.feeds.xml_entities import declares_entities
from tracker.markup import Cleaner
from tracker.text import strip_forbidden_chars

CLOCK_SKEW = timedelta(minutes=5)
MAX_KEY_LENGTH = 512
_UNTITLED_LENGTH = 80


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed, safe to store and to show."""

    key: str
    title: str
    link: str | None
    author: str | None
    content_html: str
    summary_text: str
    published_at: datetime
    published_guessed: bool
    engagement: dict[str, int]
    tags: tuple[str, ...]
    problem: str | None = None  # why the entry was stored as plain text
    # Replies under an own post (social connectors): the post's key, the author's public
    # handle and follower count.
    parent_key: str | None = None
    author_handle: str | None = None
    author_followers: int | None = None


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed document: feed title and link, its entries, and feedparser's complaint.

    `problem` names the entries that could only be stored as plain text: the channel
    counts as failing while its feed carries them.
    """

    title: str | None
    link: str | None
    entries: list[FeedEntry]
    warning: str | None
    problem: str | None = None


class FeedError(Exception):
    """A document that was refused or could not be read as a feed."""


def _is_html(detail: Mapping[str, Any] | None) -> bool:
    return bool(detail) and "html" in (detail.get("type") or "")


def _text(detail: Mapping[str, Any] | None, fallback: str | None = None) -> str:
    value = detail.get("value") if detail else fallback
    return plain_text(value, is_html=_is_html(detail)) if value else ""


def _author(raw: Mapping[str, Any]) -> str | None:
    # author_detail.name drops the e-mail address that RSS puts in <author>.
    name = (raw.get("author_detail") or {}).get("name") or raw.get("author") or ""
    return plain_text(name, is_html=False) or None


def _published(raw: Mapping[str, Any], now: datetime) -> tuple[datetime, bool]:
    parsed = raw.get("published_parsed") or raw.get("updated_parsed") or raw.get("created_parsed")
    if parsed is None:
        return now, True
    try:
        moment = datetime(*parsed[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return now, True
    if moment > now + CLOCK_SKEW:
        # A date in the future would pin the entry to the top of every timeline.
        return now, True
    return moment, False


def _content(raw: Mapping[str, Any]) -> tuple[str, bool]:
    """Return the entry's body and whether it is HTML."""
    details = raw.get("content") or []
    # Full HTML (content:encoded, Atom content) first. feedparser files a second
    # description (Mastodon's media:description, an image's alt text) under content
    # too, so plain-text content only counts when there is no summary.
    detail = next((d for d in details if _is_html(d)), None) or raw.get("summary_detail")
    detail = detail or (details[0] if details else None)
    if not detail or not detail.get("value"):
        return "", True
    value, is_html = detail["value"], _is_html(detail)
    if is_html and "<" not in value:
        # Tagless "HTML" (YouTube's media:description) is plain text with line breaks.
        return html.unescape(value), False
    return value, is_html


def _engagement(raw: Mapping[str, Any], text: str) -> dict[str, int]:
    counts = engagement_from_text(text)
    for source, field, name in (
        ("media_statistics", "views", "views"),
        ("media_starrating", "count", "ratings"),
    ):
        value = (raw.get(source) or {}).get(field)
        if value and str(value).isdigit():
            counts[name] = int(value)
    return counts


def _tags(raw: Mapping[str, Any], text: str) -> tuple[str, ...]:
    terms = [plain_text(tag.get("term") or "", is_html=False) for tag in raw.get("tags") or []]
    found = [term.lstrip("#").lower() for term in terms if term] + hashtags(text)
    return tuple(dict.fromkeys(tag for tag in found if tag))


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()


def _bounded(prefix: str, value: str) -> str:
    key = f"{prefix}:{value}"
    return key if len(key) <= MAX_KEY_LENGTH else f"{prefix}:sha256:{_digest(value)}"


def _shared(facts: list[tuple[str, str | None, str]], index: int) -> set[str]:
    """Return the guids (index 0) or links (1) given to entries of differing content."""
    seen: dict[str, str] = {}
    shared = set()
    for fact in facts:
        value = fact[index]
        if value and seen.setdefault(value, fact[2]) != fact[2]:
            shared.add(value)
    return shared


def _entry_keys(
    raws: list[Mapping[str, Any]], bodies: list[tuple[str, bool]], url: str
) -> list[str]:
    """Return each entry's dedupe key: its guid, else its link, else a content hash.

    A guid or link that the document gives to entries with different content names none
    of them (some feeds repeat one guid for every entry, and feedparser then copies it
    into the link), so those entries fall through to the next candidate.
    """
    facts = [
        (
            (raw.get("id") or "").strip(),
            http_url(raw.get("link"), base=url),
            _digest(raw.get("title") or "", body),
        )
        for raw, (body, _is_html) in zip(raws, bodies, strict=True)
    ]
    shared_guids, shared_links = _shared(facts, 0), _shared(facts, 1)
    keys = []
    for guid, link, digest in facts:
        if guid and guid not in shared_guids:
            keys.append(_bounded("guid", guid))
        elif link and link not in shared_links:
            keys.append(_bounded("link", link))
        else:
            keys.append(f"hash:{digest}")
    return keys


def _entry(
    raw: Mapping[str, Any],
    content: tuple[str, bool],
    key: str,
    *,
    cleaner: Cleaner,
    url: str,
    now: datetime,
) -> FeedEntry:
    body, body_is_html = content
    problem = None
    try:
        content_html = clean_html(cleaner, body) if body_is_html else plain_text_to_html(body)
    except TooDeep as error:
        content_html, problem = plain_text_to_html(text_of(body)), str(error)
    full_text = plain_text(content_html, is_html=True) if content_html else ""
    title = _text(raw.get("title_detail"), raw.get("title"))
    link = http_url(raw.get("link"), base=url)
    published_at, guessed = _published(raw, now)
    return FeedEntry(
        key=key,
        # Untitled posts (Mastodon, Bluesky) get the start of their text as a title.
        title=title or truncate(full_text, _UNTITLED_LENGTH),
        link=link,
        author=_author(raw),
        content_html=content_html,
        summary_text=truncate(full_text),
        published_at=published_at,
        published_guessed=guessed,
        engagement=_engagement(raw, full_text),
        tags=_tags(raw, full_text),
        problem=problem,
    )


def _storable(entry: FeedEntry) -> FeedEntry:
    """Strip what XML forbids from every text: feedparser's loose mode lets "&#1;" through."""
    clean = strip_forbidden_chars
    return replace(
        entry,
        key=clean(entry.key),
        title=clean(entry.title),
        link=clean(entry.link),
        author=clean(entry.author),
        content_html=clean(entry.content_html),
        summary_text=clean(entry.summary_text),
        tags=tuple(tag for tag in map(clean, entry.tags) if tag),
    )


def _xml_content_type(content_type: str | None) -> str:
    """Return the type to tell feedparser, so the XML declaration decides the encoding."""
    if not content_type:
        return "application/xml"
    # RFC 7303 dropped RFC 3023's us-ascii default for text/xml without a charset.
    if content_type.split(";")[0].strip().lower() == "text/xml" and "charset" not in content_type:
        return "application/xml"
    return content_type


def parse_feed(body: bytes, *, content_type: str | None, url: str, now: datetime) -> ParsedFeed:
    """Parse a fetched RSS/Atom document; raise FeedError when it is refused or unreadable."""
    if declares_entities(body, content_type=content_type):
        raise FeedError("refused: the document declares XML entities (an entity-expansion risk)")
    # Imported on first use, not at startup: most processes (the web app, CLI commands,
    # a poll that finds nothing changed) never parse a feed.
    import feedparser

    headers = {"content-location": url, "content-type": _xml_content_type(content_type)}
    result = feedparser.parse(
        io.BytesIO(body), response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    warning = (str(result.get("bozo_exception") or "")[:500] or None) if result.bozo else None
    feed = result.get("feed") or {}
    if not result.entries and not result.get("version"):
        raise FeedError(f"not an RSS or Atom feed{f': {warning}' if warning else ''}")
    now = now.astimezone(UTC)
    cleaner = make_html_cleaner(url)
    contents = [_content(raw) for raw in result.entries]
    entries, seen = [], set()
    keys = _entry_keys(result.entries, contents, url)
    for raw, content, key in zip(result.entries, contents, keys, strict=True):
        if key not in seen:  # the same entry twice in one document is stored once
            seen.add(key)
            entries.append(_storable(_entry(raw, content, key, cleaner=cleaner, url=url, now=now)))
    return ParsedFeed(
        title=strip_forbidden_chars(_text(feed.get("title_detail"), feed.get("title"))) or None,
        link=http_url(feed.get("link"), base=url),
        entries=entries,
        warning=warning,
        problem=_problem(entries),
    )


def _problem(entries: list[FeedEntry]) -> str | None:
    """Return one sentence naming the entries stored as plain text, if any."""
    odd = [entry for entry in entries if entry.problem]
    if not odd:
        return None
    names = ", ".join(repr(entry.title[:60]) for entry in odd[:3]) + (", …" if len(odd) > 3 else "")
    which = f"1 entry ({names})" if len(odd) == 1 else f"{len(odd)} entries ({names})"
    return f"{which}: HTML {odd[0].problem}, stored as plain text"
