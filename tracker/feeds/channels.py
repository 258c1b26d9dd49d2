"""A campaign's channels: add one from whatever the founder pastes, list, pause, resume,
and add posts by hand for platforms without feeds."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.connectors.kinds import CASELESS_PATHS
from tracker.errors import InvalidInput, NotFound
from tracker.feeds.content import http_url, plain_text_to_html, truncate
from tracker.feeds.discovery import DiscoveryError, PageFetcher, resolve_feed
from tracker.feeds.fetch_policy import FetchPolicy
from tracker.feeds.parsing import FeedEntry
from tracker.feeds.poller import receive_entries
from tracker.feeds.store import StoreResult
from tracker.models import CHANNEL_ROLES, Campaign, Channel, utcnow
from tracker.validation import is_ascii_digits, parse_id

# Platforms that publish no feeds: their channels are kept by hand.
HAND_KEPT_HOSTS = {
    "twitter.com": "x",
    "x.com": "x",
    "facebook.com": "facebook",
    "instagram.com": "instagram",
    "threads.net": "threads",
    "tiktok.com": "tiktok",
}
# Two names of one platform: a profile on either is the same channel.
_HOST_ALIASES = {"twitter.com": "x.com"}
# An IPv6 address ("[...") is left to discovery, which says what is wrong with it.
_HOST_NAME = re.compile(r"[A-Za-z0-9._-]+(?::[0-9]*)?|\[.*")
MAX_URL_LENGTH = 2000
MAX_POST_LENGTH = 20000
# TRACKER_MAX_CHANNELS_PER_CAMPAIGN: every channel is polled and listed; 50,000 from one
# OPML file made an 80 MB feeds page.
DEFAULT_MAX_CHANNELS = 200


def max_channels(config: Mapping[str, object]) -> int:
    """Return how many channels a campaign may follow (MAX_CHANNELS_PER_CAMPAIGN)."""
    value = config.get("MAX_CHANNELS_PER_CAMPAIGN")
    return int(str(value)) if value else DEFAULT_MAX_CHANNELS


def page_fetcher(policy: FetchPolicy) -> PageFetcher:
    """Return a discovery page fetcher whose fetches together end within the policy's time."""
    from tracker.feeds.fetch import FetchError, fetch_page  # httpx: only when pages are fetched

    deadline = time.monotonic() + policy.total_timeout

    def fetch(url: str):
        out_of_time = f"out of time: fetching may take {policy.total_timeout:g} s in all"
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(out_of_time)
        limited = replace(
            policy,
            total_timeout=remaining,
            connect_timeout=min(policy.connect_timeout, remaining),
        )
        try:
            return fetch_page(url, policy=limited)
        except FetchError:
            if time.monotonic() >= deadline:
                raise FetchError(out_of_time) from None
            raise

    return fetch


@dataclass(frozen=True)
class AddedChannel:
    """The channel created and how its feed was found."""

    channel: Channel
    tried: list[str]
    hand_kept: bool = False


def _bare_host(url: str) -> str:
    try:
        host = (urlsplit(url if "://" in url else f"https://{url}").hostname or "").lower()
    except ValueError:  # "http://[::1": discovery says what is wrong with it
        return ""
    return host.removeprefix("www.").removeprefix("m.")


def url_key(url: str, kind: str = "feed") -> str:
    """Return what two spellings of one address share, to tell the same channel twice.

    A host ignores case everywhere; a path only on platforms whose names ignore case
    (profiles kept by hand, the connectors' CASELESS_PATHS): a feed's path is its server's.
    """
    text = url.strip()
    try:
        parts = urlsplit(text if "://" in text else f"https://{text}")
    except ValueError:
        return text
    host = _bare_host(text)
    path = parts.path.rstrip("/")
    if host in HAND_KEPT_HOSTS:  # profile names on these platforms ignore case
        host, path = _HOST_ALIASES.get(host, host), path.lower()
    elif kind in CASELESS_PATHS:
        path = path.lower()
    port = f":{parts.port}" if parts.port else ""
    return f"{host}{port}{path}" + (f"?{parts.query}" if parts.query else "")


def check_pasted(text: str) -> None:
    """Refuse at once a pasted text that is neither a URL nor a handle."""
    netloc = text.split("://", 1)[-1].lstrip("@").split("/", 1)[0].split("@")[-1]
    if not text:
        return  # discovery says it is empty
    if any(char.isspace() for char in text) or not _HOST_NAME.fullmatch(netloc):
        example = "https://example.com/blog or @name@instance.social"
        raise InvalidInput({"url": f"{text[:80]!r} is not a URL: paste one such as {example}."})


def hand_kept_platform(text: str) -> str | None:
    """Return the platform without feeds (x, facebook ...) a pasted profile is on, or None."""
    text = (text or "").strip()
    if not text or text.startswith("@"):
        return None
    return HAND_KEPT_HOSTS.get(_bare_host(text))


def _check_role(role: str) -> None:
    if role not in CHANNEL_ROLES:
        raise InvalidInput({"role": f"Choose one of: {', '.join(CHANNEL_ROLES)}."})


def count_channels(session: Session, campaign: Campaign) -> int:
    """Return how many channels the campaign follows."""
    return session.scalar(select(func.count()).where(Channel.campaign_id == campaign.id)) or 0


def _check_room(session: Session, campaign: Campaign, limit: int) -> None:
    followed = count_channels(session, campaign)
    if followed >= limit:
        reason = f"The campaign already follows {followed} channels, the most it may."
        raise InvalidInput({"url": reason})


def check_not_followed(
    session: Session,
    campaign: Campaign,
    feed_url: str,
    *,
    kind: str = "feed",
    other_than: int | None = None,
) -> None:
    """Refuse a feed or connector URL the campaign follows already, however it is spelt."""
    key = url_key(feed_url, kind)
    # A campaign's channels are bounded (MAX_CHANNELS_PER_CAMPAIGN): compared here, since
    # the case a key ignores differs by kind.
    followed = session.execute(
        select(Channel.id, Channel.feed_url, Channel.kind).where(
            Channel.campaign_id == campaign.id, Channel.feed_url.is_not(None)
        )
    ).all()
    if any(url_key(url, k) == key for id_, url, k in followed if id_ != other_than):
        raise InvalidInput({"url": f"The campaign already follows {feed_url}."})


def _check_unique_page(session: Session, campaign: Campaign, source_url: str) -> None:
    """Refuse a second channel without a feed (kept by hand, or its feed looked for) for
    the same address, however it is spelt."""
    key = url_key(source_url)
    pasted = session.scalars(
        select(Channel.source_url).where(
            Channel.campaign_id == campaign.id, Channel.feed_url.is_(None)
        )
    ).all()
    if any(url_key(other) == key for other in pasted):
        raise InvalidInput({"url": f"The campaign already follows {source_url}."})


def create_channel(
    session: Session,
    campaign: Campaign,
    *,
    role: str,
    origin: str,
    feed_url: str | None,
    kind: str = "feed",
    source_url: str = "",
    title: str = "",
    polled: bool = True,
    now: datetime | None = None,
    max_channels: int = DEFAULT_MAX_CHANNELS,
) -> Channel:
    """Create a channel; polled channels are due at once."""
    _check_role(role)
    _check_room(session, campaign, max_channels)
    if feed_url is not None:
        if len(feed_url) > MAX_URL_LENGTH or http_url(feed_url, base=feed_url) is None:
            raise InvalidInput({"url": "Use an http or https URL of at most 2000 characters."})
        check_not_followed(session, campaign, feed_url, kind=kind)
    elif source_url:
        _check_unique_page(session, campaign, source_url)
    channel = Channel(
        campaign_id=campaign.id,
        role=role,
        origin=origin[:30],
        kind=kind,
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
    max_channels: int = DEFAULT_MAX_CHANNELS,
) -> AddedChannel:
    """Resolve what the founder pasted to a feed and follow it.

    A profile on a platform without feeds (X, Facebook, Instagram ...) becomes a channel
    kept by hand. Raises InvalidInput with what was tried when nothing can be resolved.
    """
    _check_role(role)
    _check_room(session, campaign, max_channels)  # before anything is fetched
    text = (text or "").strip()
    if len(text) > MAX_URL_LENGTH:
        raise InvalidInput({"url": "Use at most 2000 characters."})
    check_pasted(text)
    platform = HAND_KEPT_HOSTS.get(_bare_host(text)) if text else None
    if platform is not None and not text.startswith("@"):
        url = text if "://" in text else f"https://{text}"
        channel = create_channel(
            session,
            campaign,
            role=role,
            origin=platform,
            feed_url=None,
            source_url=url,
            title=url,
            max_channels=max_channels,
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
        origin=resolution.kind,
        feed_url=resolution.feed_url,
        source_url=text,
        max_channels=max_channels,
    )
    return AddedChannel(channel, resolution.tried)


def get_channel(session: Session, campaign: Campaign, channel_id: int) -> Channel:
    """Return the campaign's channel with this id; NotFound for any other."""
    try:
        channel = session.get(Channel, parse_id(channel_id))
    except InvalidInput:  # past what the id column holds: no such channel
        raise NotFound(f"channel {channel_id}") from None
    if channel is None or channel.campaign_id != campaign.id:
        raise NotFound(f"channel {channel_id}")
    return channel


def find_channel(session: Session, campaign: Campaign, ref: str) -> Channel:
    """Return the channel named by its id or by its feed URL or pasted URL."""
    ref = (ref or "").strip()
    if is_ascii_digits(ref):
        return get_channel(session, campaign, ref)
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
    return receive_entries(session, channel, [entry], now=now, source="manual")
