"""What a fetch may do: its time, size and redirect limits and the address rule.

Apart from `tracker.feeds.fetch`, which speaks HTTP through httpx: reading a policy from
the configuration (every poll, every feeds page) needs no HTTP library, and a poll that
finds nothing due never imports one.
"""

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from tracker.errors import InvalidInput
from tracker.feeds.addresses import refusal_reason


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


DEFAULT_POLICY = FetchPolicy()


def _truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def fetch_policy(config: Mapping[str, object]) -> FetchPolicy:
    """Return the FetchPolicy that ALLOW_PRIVATE_FEEDS and FEED_ALLOWED_HOSTS describe."""
    hosts = config.get("FEED_ALLOWED_HOSTS") or ()
    if isinstance(hosts, str):
        hosts = hosts.split(",")
    return FetchPolicy(
        allow_private=_truthy(config.get("ALLOW_PRIVATE_FEEDS")),
        allowed_hosts=frozenset(h.strip().lower() for h in hosts if h.strip()),  # type: ignore[union-attr]
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
