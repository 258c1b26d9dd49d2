"""Follow a platform through its connector: a channel of a connector's kind."""

from __future__ import annotations

from sqlmodel import Session

from tracker.connectors.kinds import bare_host
from tracker.connectors.registry import connector
from tracker.feeds.channels import DEFAULT_MAX_CHANNELS, create_channel
from tracker.models import Campaign, Channel


def add_connector_channel(
    session: Session,
    campaign: Campaign,
    *,
    url: str,
    kind: str,
    role: str,
    max_channels: int = DEFAULT_MAX_CHANNELS,
) -> Channel:
    """Follow `url` with connector `kind`; its shape is checked before anything is fetched."""
    text = (url or "").strip()
    return create_channel(
        session,
        campaign,
        role=role,
        origin=kind,
        kind=kind,
        feed_url=connector(kind).source_url(text),
        source_url=text,
        title=text,
        max_channels=max_channels,
    )


def check_platform_shape(url: str) -> None:
    """Refuse, before any fetch, a URL on a connector's platform that is not of its shape."""
    if bare_host(url.strip()) == "kickstarter.com":
        connector("kickstarter").source_url(url)  # InvalidInput: not a project's URL
