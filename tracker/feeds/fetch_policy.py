"""What a fetch may do: its time, size and redirect limits and the address rule.

Apart from `tracker.feeds.fetch`, which speaks HTTP through httpx: reading a policy from
the configuration (every poll, every feeds page) needs no HTTP library, and a poll that
finds nothing due never imports one.
"""

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tracker.errors import InvalidInput
from tracker.feeds.addresses import refusal_reason

# The connectors' APIs on fixed hosts: connector kind -> (config key, default URL). The
# policy carries them because it is what travels from the configuration to every poll.
API_URLS = {
    "bluesky": ("BLUESKY_API_URL", "https://public.api.bsky.app"),
    "opencollective": ("OPENCOLLECTIVE_API_URL", "https://api.opencollective.com/graphql/v2"),
    "hackernews": ("HN_API_URL", "https://hn.algolia.com/api/v1"),
    "github": ("GITHUB_API_URL", "https://api.github.com"),
    "youtube": ("YOUTUBE_API_URL", "https://www.googleapis.com/youtube/v3"),
}


@dataclass(frozen=True)
class FetchPolicy:
    """Limits and permissions for one fetch (or one client's worth of fetches)."""

    connect_timeout: float = 10.0
    total_timeout: float = 30.0
    max_bytes: int = 15 * 1024 * 1024
    max_redirects: int = 5
    allow_private: bool = False
    allowed_hosts: frozenset[str] = frozenset()
    user_agent: str = "tracker-feed-poller/0.1 (build-in-public tracker; RSS/Atom reader)"
    api_urls: tuple[tuple[str, str], ...] = ()  # (kind, base URL) overriding API_URLS
    # TRACKER_YOUTUBE_API_KEY: comments on own videos (tracker.connectors.youtube); kept
    # out of repr, so that no log line of a policy shows it.
    youtube_api_key: str | None = field(default=None, repr=False)
    # TRACKER_GITHUB_TOKEN: sent to the GitHub API's origin only (tracker.connectors.github).
    github_token: str | None = field(default=None, repr=False)

    def api_url(self, kind: str) -> str:
        """Return the base URL of the fixed-host API of connector `kind`."""
        return dict(self.api_urls).get(kind) or API_URLS[kind][1]


DEFAULT_POLICY = FetchPolicy()


def _truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def fetch_policy(config: Mapping[str, object]) -> FetchPolicy:
    """Return the FetchPolicy of ALLOW_PRIVATE_FEEDS, FEED_ALLOWED_HOSTS and the *_API_URLs."""
    hosts = config.get("FEED_ALLOWED_HOSTS") or ()
    if isinstance(hosts, str):
        hosts = hosts.split(",")
    api_urls = tuple(
        (kind, str(config[key]).strip().rstrip("/"))
        for kind, (key, _default) in API_URLS.items()
        if config.get(key) and str(config[key]).strip()
    )
    return FetchPolicy(
        allow_private=_truthy(config.get("ALLOW_PRIVATE_FEEDS")),
        allowed_hosts=frozenset(h.strip().lower() for h in hosts if h.strip()),  # type: ignore[union-attr]
        api_urls=api_urls,
        youtube_api_key=str(config.get("YOUTUBE_API_KEY") or "").strip() or None,
        github_token=str(config.get("GITHUB_TOKEN") or "").strip() or None,
    )


def refuse_unreachable(url: str, policy: FetchPolicy) -> None:
    """Refuse an address the poller may not reach when the URL itself shows it."""
    # Names are resolved, and checked again, when the worker connects: a lookup here
    # could hang the request like a fetch.
    host = (urlsplit(url).hostname or "").lower()
    if policy.allow_private or host in policy.allowed_hosts:
        return
    if host == "localhost" or host.endswith(".localhost"):
        raise InvalidInput({"url": f"refused: {host} is a loopback name"})
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return
    reason = refusal_reason(host)
    if reason is not None:
        raise InvalidInput({"url": f"refused: {host} is {reason}"})
