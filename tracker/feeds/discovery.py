"""Find the feed behind whatever a founder pastes: a profile, a repository, a page.

Platforms with a known URL scheme are resolved without fetching anything; pages are
fetched through the injected `fetch_page(url) -> (final_url, body, content_type)`,
which the caller builds on `fetch.fetch_page` and tests replace with saved pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from tracker.feeds.page_links import (
    FEED_TYPES,
    find_youtube_channel_id,
    looks_like_feed,
    read_links,
)

Page = tuple[str, bytes, str | None]  # (final URL, body, content type)
PageFetcher = Callable[[str], Page]

_HANDLE = r"[A-Za-z0-9_][A-Za-z0-9_.-]*"
_FEDI_ADDRESS = re.compile(rf"^@?({_HANDLE})@([A-Za-z0-9.-]+\.[A-Za-z]{{2,}})$")
_BLUESKY_HANDLE = re.compile(r"^@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$")
_SUBREDDIT = re.compile(r"^/?r/([A-Za-z0-9_]{2,21})/?$")
_YOUTUBE_CHANNEL = re.compile(r"^/channel/(UC[A-Za-z0-9_-]{22})")
# "mailto:x", "javascript:x", but not "localhost:8080" (a port) or "https://".
_OTHER_SCHEME = re.compile(r"^(?!https?://)[A-Za-z][A-Za-z0-9+-]*:(?!\d)", re.IGNORECASE)
_FEED_SUFFIXES = (".rss", ".atom", ".xml", "/feed", "/feed/", "/rss", "/rss/", "/atom")
# Platforms whose paths mean something else than the fediverse patterns below.
_PLATFORM_HOSTS = frozenset({"youtube.com", "github.com", "reddit.com", "kickstarter.com"})
_FEEDLESS_HOSTS = frozenset(
    {"twitter.com", "x.com", "facebook.com", "instagram.com", "threads.net", "tiktok.com"}
)


@dataclass(frozen=True)
class Resolution:
    """The feed URL found, what kind of source it is, and what was tried on the way."""

    feed_url: str
    kind: str
    tried: list[str] = field(default_factory=list)


class DiscoveryError(Exception):
    """Nothing pasted could be turned into a feed; the message lists what was tried."""

    def __init__(self, text: str, tried: list[str]) -> None:
        detail = "; ".join(tried) if tried else "nothing applicable"
        super().__init__(f"no feed found for {text!r}; tried: {detail}")
        self.tried = tried


def _normalised_url(text: str) -> str:
    """Return `text` as an absolute URL: https:// assumed, "/" for an empty path."""
    if not re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        text = "https://" + text.lstrip("/")
    parts = urlsplit(text)
    return parts._replace(path="/").geturl() if not parts.path else text


def fediverse_profile(text: str) -> str | None:
    """Return the profile URL https://host/@name of address @name@host or name@host, else None."""
    if match := _FEDI_ADDRESS.match(text.strip()):
        user, instance = match.groups()
        return f"https://{instance.lower()}/@{user}"
    return None


def _known_platform(text: str, *, github_commits: bool) -> tuple[str, str] | None:
    """Return (feed URL, kind) for inputs whose platform the URL alone identifies."""
    if profile := fediverse_profile(text):
        return f"{profile}.rss", "mastodon-profile"
    if match := _BLUESKY_HANDLE.match(text):
        return f"https://bsky.app/profile/{match.group(1).lower()}/rss", "bluesky"
    if match := _SUBREDDIT.match(text):
        return f"https://www.reddit.com/r/{match.group(1)}/.rss", "reddit"
    parts = urlsplit(_normalised_url(text))
    bare_host = _bare_host(parts.geturl())
    segments = [segment for segment in parts.path.split("/") if segment]
    if bare_host == "bsky.app" and len(segments) >= 2 and segments[0] == "profile":
        return f"https://bsky.app/profile/{segments[1]}/rss", "bluesky"
    if bare_host == "youtube.com" and (match := _YOUTUBE_CHANNEL.match(parts.path)):
        return f"https://www.youtube.com/feeds/videos.xml?channel_id={match.group(1)}", "youtube"
    if bare_host == "github.com" and len(segments) >= 2 and not parts.path.endswith(".atom"):
        owner, repo = segments[0], segments[1].removesuffix(".git")
        which = "commits" if github_commits else "releases"
        return f"https://github.com/{owner}/{repo}/{which}.atom", f"github-{which}"
    if bare_host == "reddit.com" and len(segments) >= 2 and segments[0] == "r":
        return f"https://www.reddit.com/r/{segments[1]}/.rss", "reddit"
    if bare_host == "kickstarter.com" and len(segments) >= 3 and segments[0] == "projects":
        creator, slug = segments[1], segments[2]
        return f"https://www.kickstarter.com/projects/{creator}/{slug}/posts.atom", "kickstarter"
    if bare_host == "hnrss.org":
        return _normalised_url(text), "hnrss"
    if bare_host == "medium.com" and segments and segments[0].startswith("@"):
        return f"https://medium.com/feed/{segments[0]}", "medium"
    return None


def _bare_host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.").removeprefix("m.").removeprefix("old.")


def _path_candidate(url: str) -> tuple[str, str] | None:
    """Return (feed URL, kind) for fediverse paths that any host may serve."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    path = parts.path.rstrip("/")
    if match := re.fullmatch(rf"/@({_HANDLE})@([A-Za-z0-9.-]+\.[A-Za-z]{{2,}})", path):
        # A remote account viewed through another instance: ask its home instance.
        return f"https://{match.group(2).lower()}/@{match.group(1)}.rss", "mastodon-profile"
    if match := re.fullmatch(rf"/(?:@|users/)({_HANDLE})", path):
        return f"{origin}/@{match.group(1)}.rss", "mastodon-profile"
    if match := re.fullmatch(r"/tags/([^/]+)", path):
        return f"{origin}/tags/{quote(match.group(1), safe='%')}.rss", "mastodon-tag"
    if match := re.fullmatch(rf"/c/({_HANDLE}(?:@[A-Za-z0-9.-]+)?)", path):
        return f"{origin}/feeds/c/{match.group(1)}.xml", "lemmy"
    return None


def _fetch_noting(fetch_page: PageFetcher, url: str, tried: list[str]) -> Page | None:
    """Return the fetched page, or None after noting in `tried` why it failed."""
    try:
        return fetch_page(url)
    except Exception as exc:  # whatever the injected fetcher raises, report it and go on
        tried.append(f"{url} (could not fetch: {exc})")
        return None


def _discover(url: str, fetch_page: PageFetcher, tried: list[str]) -> Resolution | None:
    """Return the feed `url` is, or the first one its page links to."""
    page = _fetch_noting(fetch_page, url, tried)
    if page is None:
        return None
    final_url, body, content_type = page
    if looks_like_feed(body, content_type):
        tried.append(f"{url} (is a feed)")
        return Resolution(final_url, "direct", tried)
    links = read_links(body, base=final_url)
    if "youtube.com" in (urlsplit(final_url).hostname or ""):
        channel_id = find_youtube_channel_id(links, body)
        if channel_id:
            tried.append(f"{url} (YouTube channel {channel_id})")
            feed = f"https://www.youtube.com/feeds/videos.xml?channel_id={channel_id}"
            return Resolution(feed, "youtube", tried)
    for link in links.alternates:
        if link.type in FEED_TYPES:
            tried.append(f"{url} (links to {link.href})")
            return Resolution(link.href, "discovered", tried)
    tried.append(f"{url} (a page without <link rel=alternate> to RSS or Atom)")
    return None


def resolve_without_fetching(text: str, *, github_commits: bool = False) -> Resolution | None:
    """Return the feed a known URL pattern gives, or None when only fetching can tell.

    Raises DiscoveryError for what no fetch could turn into a feed (not a URL, another
    scheme, a platform without feeds): a web request checks this at once.
    """
    text = text.strip()
    if not text:
        raise DiscoveryError(text, ["an empty input"])
    try:
        _port = urlsplit(_normalised_url(text)).port  # parses host and port, or raises
    except ValueError as error:  # "http://[::1", "https://a.example:99999"
        raise DiscoveryError(text, [f"reading it as a URL ({error})"]) from None
    known = _known_platform(text, github_commits=github_commits)
    if known is not None:
        return Resolution(known[0], known[1], [f"{known[1]} URL pattern"])
    if _OTHER_SCHEME.match(text):
        raise DiscoveryError(text, ["reading it as an http(s) URL or a known handle"])
    url = _normalised_url(text)
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise DiscoveryError(text, ["reading it as an http(s) URL or a known handle"])
    host = _bare_host(url)
    if host in _FEEDLESS_HOSTS:
        hint = f"{host} publishes no feeds: add its posts by hand, or paste an RSS-bridge URL"
        raise DiscoveryError(text, [hint])
    return None


def page_url(text: str) -> str:
    """Return the absolute URL that discovery fetches for `text` (https:// assumed)."""
    return _normalised_url(text.strip())


def resolve_feed(
    text: str, *, fetch_page: PageFetcher | None = None, github_commits: bool = False
) -> Resolution:
    """Resolve what a founder pasted to a feed URL; raise DiscoveryError when none is found."""
    text = text.strip()
    tried: list[str] = []
    known = resolve_without_fetching(text, github_commits=github_commits)
    if known is not None:
        return known
    url = _normalised_url(text)
    host = _bare_host(url)
    candidate = None if host in _PLATFORM_HOSTS else _path_candidate(url)
    if candidate is not None and fetch_page is None:
        return Resolution(candidate[0], candidate[1], [f"{candidate[1]} URL pattern"])
    if fetch_page is None:
        if urlsplit(url).path.lower().endswith(_FEED_SUFFIXES):
            return Resolution(url, "direct", ["a feed-like URL, not fetched"])
        raise DiscoveryError(text, ["known URL patterns (page fetching is unavailable)"])
    if candidate is not None:
        # "/tags/x" or "/c/x" also exist on blogs: only trust the pattern if it is a feed.
        page = _fetch_noting(fetch_page, candidate[0], tried)
        if page is not None and looks_like_feed(page[1], page[2]):
            tried.append(f"{candidate[0]} ({candidate[1]} feed)")
            return Resolution(candidate[0], candidate[1], tried)
        if page is not None:
            tried.append(f"{candidate[0]} (not a feed)")
    resolution = _discover(url, fetch_page, tried)
    if resolution is None:
        raise DiscoveryError(text, tried)
    return resolution
