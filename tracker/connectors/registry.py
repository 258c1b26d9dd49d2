"""Find a kind's connector module, read its API, store what it read.

A connector module offers three functions:

    source_url(url) -> str            the canonical URL to follow; InvalidInput when the
                                      URL has not the platform's shape (before any fetch)
    read(url, *, api, now) -> Reading its API read into our dataclasses; ApiError
    store(session, channel, data, *, now) -> int   what is new, stored; the caller commits

Modules load on first use: a poll of feeds alone imports none of them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING

from tracker.connectors.kinds import CONNECTORS

if TYPE_CHECKING:
    import httpx
    from sqlmodel import Session

    from tracker.feeds.fetch import FetchResult
    from tracker.feeds.fetch_policy import FetchPolicy
    from tracker.models import Channel


@dataclass(frozen=True)
class Reading:
    """What a connector read: the request whose validators and hints the channel keeps,
    and the connector's own data (None when the API said nothing changed)."""

    fetched: FetchResult
    data: object | None


def connector(kind: str) -> ModuleType:
    """Return the module of connector `kind` (KeyError for a kind without one)."""
    return importlib.import_module(CONNECTORS[kind])


def read_channel(
    kind: str,
    url: str,
    *,
    policy: FetchPolicy,
    client: httpx.Client | None,
    etag: str | None,
    last_modified: str | None,
    now: datetime,
    memo: str | None = None,
) -> Reading:
    """Read a connector channel's API; raise ApiError with the reason when it fails."""
    from tracker.connectors.api import Api  # httpx: only once a connector is polled

    api = Api(policy, client, etag=etag, last_modified=last_modified, memo=memo)
    return connector(kind).read(url, api=api, now=now)


def store_reading(session: Session, channel: Channel, data: object, *, now: datetime) -> int:
    """Store what a channel's connector read; return how many observations are new."""
    return connector(channel.kind).store(session, channel, data, now=now)
