"""What one poll read: fetch (conditionally) and parse a feed, or read a connector's API.

Nothing here touches the database or holds a transaction: the poller stores the Attempt
afterwards (tracker.feeds.poll_results). httpx, the parser and the connectors are
imported by the functions that use them, on the first feed that is fetched, changed or
is a connector's; a cron poll that finds nothing due loads none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from tracker.feeds.fetch_policy import FetchPolicy

if TYPE_CHECKING:
    import httpx

    from tracker.feeds.fetch import FetchResult
    from tracker.feeds.parsing import ParsedFeed


@dataclass(frozen=True)
class Attempt:
    """What fetching and parsing a feed gave, before anything is stored."""

    fetched: FetchResult | None = None
    parsed: ParsedFeed | None = None
    error: str | None = None
    retry_after: datetime | None = None
    reading: object | None = None  # what a connector read (tracker.connectors), to store


def fetch_and_parse(
    url: str,
    *,
    etag: str | None,
    last_modified: str | None,
    policy: FetchPolicy,
    client: httpx.Client | None = None,
    now: datetime,
    kind: str = "feed",
    memo: str | None = None,
) -> Attempt:
    """Fetch the feed (or a connector's API) conditionally and parse it; a 304 is not parsed."""
    if kind != "feed":
        return _read_connector(
            kind,
            url,
            etag=etag,
            last_modified=last_modified,
            policy=policy,
            client=client,
            now=now,
            memo=memo,
        )
    from tracker.feeds.fetch import FetchError, fetch  # httpx: imported once there is a fetch

    try:
        fetched = fetch(url, etag=etag, last_modified=last_modified, policy=policy, client=client)
    except FetchError as error:
        return Attempt(error=error.reason, retry_after=error.retry_after)
    if fetched.body is None:
        return Attempt(fetched=fetched)
    from tracker.feeds.parsing import FeedError, parse_feed  # the first feed that changed

    try:
        parsed = parse_feed(
            fetched.body, content_type=fetched.content_type, url=fetched.url, now=now
        )
    except FeedError as error:
        return Attempt(error=str(error), retry_after=fetched.retry_after)
    return Attempt(fetched=fetched, parsed=parsed)


def _read_connector(kind: str, url: str, **options) -> Attempt:
    """Read a connector channel's API: what it read, or why it failed."""
    # Connectors load with the first channel of theirs that is polled.
    from tracker.connectors.api import ApiError
    from tracker.connectors.registry import read_channel

    try:
        reading = read_channel(kind, url, **options)
    except ApiError as error:
        return Attempt(error=error.reason, retry_after=error.retry_after)
    return Attempt(fetched=reading.fetched, reading=reading.data)
