"""The kinds of channel, and which kind a URL is (pure functions, no HTTP, no database).

Detection looks at the host and the path only. It names a connector's kind only once
that connector exists; until then such URLs stay feeds (discovery finds their RSS), and
forcing the kind is refused as "not supported yet" rather than half-working.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from tracker.errors import InvalidInput
from tracker.feeds.discovery import fediverse_profile

KINDS = (
    "feed",
    "kickstarter",
    "opencollective",
    "mastodon",
    "bluesky",
    "youtube",
    "hackernews",
    "reddit",
    "github",
)
# Kind -> module that reads and stores it; "feed" is the poller's own (feedparser).
CONNECTORS = {
    "kickstarter": "tracker.connectors.kickstarter",
    "hackernews": "tracker.connectors.hackernews",
    "reddit": "tracker.connectors.reddit",
    "mastodon": "tracker.connectors.mastodon",
    "bluesky": "tracker.connectors.bluesky",
    "github": "tracker.connectors.github",
    "youtube": "tracker.connectors.youtube",
    "opencollective": "tracker.connectors.opencollective",
}
# Detected as feeds although a connector exists: a repository's URL gives its releases
# feed, as before, its counts are a second channel asked for with --kind github; a
# YouTube URL gives the channel's feed (view and rating counts), --kind youtube adds its
# comments with TRACKER_YOUTUBE_API_KEY.
FEED_FIRST = frozenset({"github", "youtube"})
# Kinds whose URLs' paths are names that ignore case on their platform (a Mastodon
# account, a Bluesky handle, a GitHub repository, a subreddit and its post ids): two
# spellings are one channel. YouTube channel ids and Kickstarter paths keep their case.
CASELESS_PATHS = frozenset({"mastodon", "bluesky", "github", "reddit"})

_SEGMENT = r"[A-Za-z0-9_.-]+"
# (kind, hosts or None for any host, path pattern): the first that matches wins.
_SHAPES = (
    ("kickstarter", {"kickstarter.com"}, rf"/projects/{_SEGMENT}/{_SEGMENT}(?:/.*)?"),
    ("opencollective", {"opencollective.com"}, rf"/{_SEGMENT}/?"),
    ("bluesky", {"bsky.app"}, rf"/profile/{_SEGMENT}/?"),
    ("youtube", {"youtube.com"}, r"/(?:channel/|@).+"),
    ("hackernews", {"news.ycombinator.com"}, r"/item"),
    ("reddit", {"reddit.com"}, rf"/r/{_SEGMENT}/comments/.+"),
    ("github", {"github.com"}, rf"/{_SEGMENT}/{_SEGMENT}/?"),
    ("mastodon", None, rf"/@{_SEGMENT}/?"),
)


def bare_host(url: str) -> str:
    """Return the URL's host in lower case without www., m. or old."""
    try:
        host = (urlsplit(url if "://" in url else f"https://{url}").hostname or "").lower()
    except ValueError:
        return ""
    return host.removeprefix("www.").removeprefix("m.").removeprefix("old.")


def shape_kind(url: str) -> str | None:
    """Return the kind whose host and path shape `url` has, connector or not."""
    # An address @name@host (or name@host) is the profile https://host/@name.
    text = fediverse_profile(url) or url.strip()
    try:
        path = urlsplit(text if "://" in text else f"https://{text}").path
    except ValueError:  # "http://[::1": not a URL; the feed path says what is wrong with it
        return None
    host = bare_host(text)
    if path.endswith((".atom", ".rss", ".xml", ".json")):
        return None  # a feed (or an API document) of the platform, read as a feed
    for kind, hosts, pattern in _SHAPES:
        if (hosts is None or host in hosts) and re.fullmatch(pattern, path):
            return kind
    return None


def detect_kind(url: str) -> str:
    """Return the kind of channel `url` becomes: a connector's kind, or feed."""
    kind = shape_kind(url)
    return kind if kind in CONNECTORS and kind not in FEED_FIRST else "feed"


def choose_kind(url: str, forced: str | None = None) -> str:
    """Return `forced` when it is a usable kind, else the detected kind; InvalidInput if not."""
    if forced is None or forced == "":
        return detect_kind(url)
    if forced not in KINDS:
        raise InvalidInput(
            {"kind": f"Unknown kind {forced[:40]!r}: use one of {', '.join(KINDS)}."}
        )
    if forced != "feed" and forced not in CONNECTORS:
        raise InvalidInput({"kind": f"The {forced} connector is not supported yet."})
    return forced
