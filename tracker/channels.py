"""A campaign's channels: add one from whatever the founder pastes, list, pause, resume,
and add posts by hand for platforms without feeds."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.errors import InvalidInput, NotFound
from tracker.feed_content import http_url, plain_text_to_html, truncate
from tracker.feed_discovery import DiscoveryError, PageFetcher, resolve_feed
from tracker.feed_http import FetchPolicy, fetch_page
from tracker.feed_parse import FeedEntry
from tracker.feed_store import StoreResult, store_entries
from tracker.models import CHANNEL_ROLES, Campaign, Channel, Entry, utcnow

# Platforms that publish no feeds: their channels are kept by hand.
HAND_KEPT_HOSTS = {
    "twitter.com": "x",
    "x.com": "x",
    "facebook.com": "facebook",
    "instagram.com": "instagram",
    "threads.net": "threads",
    "tiktok.com": "tiktok",
}
MAX_URL_LENGTH = 2000
MAX_POST_LENGTH = 20000


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


def page_fetcher(policy: FetchPolicy) -> PageFetcher:
    """Return a discovery page fetcher that goes through the guarded HTTP client."""

    def fetch(url: str):
        return fetch_page(url, policy=policy)

    return fetch


@dataclass(frozen=True)
class AddedChannel:
    """The channel created and how its feed was found."""

    channel: Channel
    tried: list[str]
    hand_kept: bool = False


def _bare_host(url: str) -> str:
    host = (urlsplit(url if "://" in url else f"https://{url}").hostname or "").lower()
    return host.removeprefix("www.").removeprefix("m.")


def _check_role(role: str) -> None:
    if role not in CHANNEL_ROLES:
        raise InvalidInput({"role": f"Choose one of: {', '.join(CHANNEL_ROLES)}."})


def _check_unique(session: Session, campaign: Campaign, feed_url: str) -> None:
    taken = session.scalar(
        select(Channel.id).where(Channel.campaign_id == campaign.id, Channel.feed_url == feed_url)
    )
    if taken is not None:
        raise InvalidInput({"url": f"The campaign already follows {feed_url}."})


def create_channel(
    session: Session,
    campaign: Campaign,
    *,
    role: str,
    kind: str,
    feed_url: str | None,
    source_url: str = "",
    title: str = "",
    polled: bool = True,
    now: datetime | None = None,
) -> Channel:
    """Create a channel; polled channels are due at once."""
    _check_role(role)
    if feed_url is not None:
        if len(feed_url) > MAX_URL_LENGTH or http_url(feed_url, base=feed_url) is None:
            raise InvalidInput({"url": "Use an http or https URL of at most 2000 characters."})
        _check_unique(session, campaign, feed_url)
    channel = Channel(
        campaign_id=campaign.id,
        role=role,
        kind=kind[:30],
        feed_url=feed_url,
        source_url=source_url[:MAX_URL_LENGTH],
        title=title[:200],
        polled=polled and feed_url is not None,
        next_poll_at=(now or utcnow()) if polled and feed_url is not None else None,
    )
    session.add(channel)
    session.flush()
    return channel


def add_channel(
    session: Session,
    campaign: Campaign,
    *,
    text: str,
    role: str,
    fetch_page: PageFetcher | None,
    github_commits: bool = False,
) -> AddedChannel:
    """Resolve what the founder pasted to a feed and follow it.

    A profile on a platform without feeds (X, Facebook, Instagram ...) becomes a channel
    kept by hand. Raises InvalidInput with what was tried when nothing can be resolved.
    """
    _check_role(role)
    text = (text or "").strip()
    if len(text) > MAX_URL_LENGTH:
        raise InvalidInput({"url": "Use at most 2000 characters."})
    platform = HAND_KEPT_HOSTS.get(_bare_host(text)) if text else None
    if platform is not None and not text.startswith("@"):
        url = text if "://" in text else f"https://{text}"
        channel = create_channel(
            session, campaign, role=role, kind=platform, feed_url=None, source_url=url, title=url
        )
        return AddedChannel(channel, [f"{platform}: no feed, posts are added by hand"], True)
    try:
        resolution = resolve_feed(text, fetch_page=fetch_page, github_commits=github_commits)
    except DiscoveryError as error:
        raise InvalidInput({"url": str(error)}) from None
    channel = create_channel(
        session,
        campaign,
        role=role,
        kind=resolution.kind,
        feed_url=resolution.feed_url,
        source_url=text,
    )
    return AddedChannel(channel, resolution.tried)


@dataclass(frozen=True)
class ChannelRow:
    """A channel with the number of its entries, for lists."""

    channel: Channel
    entries: int
    followers: int | None


def channels_of(session: Session, campaign: Campaign) -> list[ChannelRow]:
    """Return the campaign's channels, oldest first, with entry and latest follower counts."""
    from tracker.followers import latest_followers

    counts = dict(
        session.execute(
            select(Entry.channel_id, func.count())
            .where(Entry.campaign_id == campaign.id)
            .group_by(Entry.channel_id)
        ).all()
    )
    channels = list(
        session.scalars(
            select(Channel).where(Channel.campaign_id == campaign.id).order_by(Channel.id)
        )
    )
    followers = latest_followers(session, [c.id for c in channels])
    return [ChannelRow(c, counts.get(c.id, 0), followers.get(c.id)) for c in channels]


def get_channel(session: Session, campaign: Campaign, channel_id: int) -> Channel:
    """Return the campaign's channel with this id; NotFound for any other."""
    channel = session.get(Channel, channel_id)
    if channel is None or channel.campaign_id != campaign.id:
        raise NotFound(f"channel {channel_id}")
    return channel


def find_channel(session: Session, campaign: Campaign, ref: str) -> Channel:
    """Return the channel named by its id or by its feed URL or pasted URL."""
    ref = (ref or "").strip()
    if ref.isdigit():
        return get_channel(session, campaign, int(ref))
    channel = session.scalars(
        select(Channel)
        .where(
            Channel.campaign_id == campaign.id,
            (Channel.feed_url == ref) | (Channel.source_url == ref),
        )
        .order_by(Channel.id)
    ).first()
    if channel is None:
        raise NotFound(f"channel {ref!r}")
    return channel


def pause_channel(session: Session, channel: Channel, *, now: datetime) -> None:
    """Stop polling a channel until it is resumed."""
    channel.state, channel.paused_at = "paused", now
    session.add(channel)
    session.flush()


def resume_channel(session: Session, channel: Channel, *, now: datetime) -> None:
    """Poll a paused channel again, at once, with a clean error count."""
    channel.state, channel.paused_at, channel.consecutive_errors = "active", None, 0
    if channel.polled:
        channel.next_poll_at = now
    session.add(channel)
    session.flush()


def entries_of(
    session: Session, channel: Channel, *, page: int = 1, per_page: int = 25
) -> tuple[list[Entry], int]:
    """Return one page of the channel's entries, newest first, and the total count."""
    total = session.scalar(select(func.count()).where(Entry.channel_id == channel.id)) or 0
    entries = session.scalars(
        select(Entry)
        .where(Entry.channel_id == channel.id)
        .order_by(Entry.published_at.desc(), Entry.id.desc())
        .offset((max(page, 1) - 1) * per_page)
        .limit(per_page)
    )
    return list(entries), total


def add_post_by_hand(
    session: Session,
    channel: Channel,
    *,
    url: str,
    published_at: datetime,
    text: str,
    now: datetime,
) -> StoreResult:
    """Store a post the founder copied from a platform without feeds (URL, date, text)."""
    errors = {}
    link = http_url(url.strip(), base=url.strip()) if url and url.strip() else None
    if url and url.strip() and link is None:
        errors["url"] = "Use an http or https URL."
    text = (text or "").strip()
    if not text:
        errors["text"] = "This field is required."
    elif len(text) > MAX_POST_LENGTH:
        errors["text"] = f"Use at most {MAX_POST_LENGTH} characters."
    if published_at.tzinfo is None:
        errors["published_at"] = "Give the date in UTC."
    elif published_at > now:
        errors["published_at"] = "The date is in the future."
    if errors:
        raise InvalidInput(errors)
    digest = hashlib.sha256(f"{published_at.isoformat()}\x1f{text}".encode()).hexdigest()
    summary = " ".join(text.split())
    entry = FeedEntry(
        key=f"link:{link}"[:512] if link else f"manual:{digest}",
        title=truncate(summary, 80),
        link=link,
        author=None,
        content_html=plain_text_to_html(text),
        summary_text=truncate(summary),
        published_at=published_at,
        published_guessed=False,
        engagement={},
        tags=(),
    )
    return store_entries(session, channel, [entry], now=now, source="manual")
