"""YouTube: a channel's videos with their view and rating counts over time, and, with
TRACKER_YOUTUBE_API_KEY, the comments on them as feedback.

A channel is followed by its id (/channel/UC...) or its handle (/@name): the first poll
of a handle finds its id (tracker.connectors.youtube_handles) and the channel's memo
keeps it, so that later polls are those of any channel.

The channel's feed (/feeds/videos.xml?channel_id=UC...) carries each video's
media:statistics views and media:starRating count; it is read conditionally and parsed
like any feed (tracker.feeds.parsing), so each changed count is observed per video per
poll. With a key, one Data API request a poll (TRACKER_YOUTUBE_API_URL, default
https://www.googleapis.com/youtube/v3) reads the newest comment threads on all of the
channel's videos:

    GET /commentThreads?part=snippet,replies&allThreadsRelatedToChannelId=UC...
    {"items": [{"id": "Ug1", "snippet": {"videoId": "abc", "topLevelComment": {"id":
      "Ug1", "snippet": {"authorDisplayName": "@bob", "authorChannelId": {"value": "UCb"},
      "textOriginal": "...", "likeCount": 3, "publishedAt": "2026-11-20T10:00:00Z"}},
      "totalReplyCount": 1}, "replies": {"comments": [{"snippet": {...}}]}}]}

Each top-level comment becomes follower feedback threaded to its video; one the channel
itself replied to counts as answered; the channel's own comments are not feedback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs, urlencode, urlsplit

from sqlmodel import Session

from tracker.connectors.api import Api, ApiError, dig
from tracker.connectors.registry import Reading
from tracker.connectors.social import (
    Author,
    SocialPost,
    SocialRead,
    count_or_none,
    lock_channel,
    parse_moment,
    store_social_read,
)
from tracker.connectors.urls import plain_netloc
from tracker.connectors.youtube_handles import (
    remember_channel_id,
    remembered_channel_id,
    resolve_handle,
)
from tracker.errors import InvalidInput
from tracker.feeds.content import plain_text_to_html
from tracker.feeds.parsing import FeedError, ParsedFeed, parse_feed
from tracker.models import Channel

_CHANNEL_ID = re.compile(r"UC[A-Za-z0-9_-]{22}")
# A handle: 3 to 30 letters, digits, _, - and . (the ASCII ones; /@name/videos too).
_HANDLE = re.compile(r"/@([A-Za-z0-9_.-]{3,30})(?:/[^/]*)?/?")
MAX_THREADS = 100  # the API's page size: the newest threads, one request a poll


@dataclass(frozen=True)
class YouTubeRead:
    """The feed (None when unchanged), the comments read with the key (None without) and
    the channel id of a handle (None for a channel followed by its id)."""

    feed: ParsedFeed | None
    comments: SocialRead | None
    handle_channel_id: str | None = None


def source_url(url: str) -> str:
    """Return the channel's URL (host/channel/UC... or host/@handle) of a channel, its
    handle or its feed URL; InvalidInput for another shape."""
    text = url.strip()
    try:
        parts = urlsplit(text if "://" in text else f"https://{text}")
        if parts.path == "/feeds/videos.xml":
            candidate = (parse_qs(parts.query).get("channel_id") or [""])[0]
        else:
            candidate = parts.path.removeprefix("/channel/").rstrip("/")
    except ValueError:
        parts, candidate = None, ""
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        parts, candidate = None, ""
    handle = _HANDLE.fullmatch(parts.path) if parts else None
    if handle is not None:  # handles ignore case: one spelling, one channel
        return f"{parts.scheme}://{plain_netloc(parts)}/@{handle.group(1).lower()}"
    if not _CHANNEL_ID.fullmatch(candidate):
        reason = (
            "Give the YouTube channel URL with its id or its handle: "
            "https://www.youtube.com/channel/UC... or https://www.youtube.com/@name"
        )
        raise InvalidInput({"url": reason})
    return f"{parts.scheme}://{plain_netloc(parts)}/channel/{candidate}"


def _channel_id(url: str, api: Api) -> tuple[str, str, str | None]:
    """Return (the channel's feed URL, its id, its id when it was a handle's)."""
    canonical = source_url(url)
    if "/channel/" in canonical:
        base, channel_id = canonical.rsplit("/channel/", 1)
        return f"{base}/feeds/videos.xml?channel_id={channel_id}", channel_id, None
    base, handle = canonical.rsplit("/@", 1)
    channel_id = remembered_channel_id(api.memo) or resolve_handle(api, canonical, handle)
    if not _CHANNEL_ID.fullmatch(channel_id):
        raise ApiError(f"YouTube gave {channel_id[:40]!r} as the id of @{handle}: not a channel id")
    return f"{base}/feeds/videos.xml?channel_id={channel_id}", channel_id, channel_id


def video_key(video_id: str) -> str:
    """Return the entry key the channel feed gives a video (tracker.feeds.parsing)."""
    return f"guid:yt:video:{video_id}"


def _comment(thread: dict) -> SocialPost:
    snippet = thread["snippet"]
    top = snippet["topLevelComment"]
    said = top["snippet"]
    text = str(said.get("textOriginal") or said.get("textDisplay") or "")
    name = str(said.get("authorDisplayName") or "")
    video_id = str(snippet["videoId"])
    return SocialPost(
        key=f"youtube:{top['id']}",
        link=f"https://www.youtube.com/watch?v={video_id}&lc={top['id']}",
        text=" ".join(text.split()),
        html=plain_text_to_html(text),
        published_at=parse_moment(said["publishedAt"]),
        counts={"likes": count_or_none(said.get("likeCount")) or 0},
        reply_to=video_key(video_id),
        author=Author(handle=name[:300], name="", followers=None),
    )


def _by(comment: dict, channel_id: str) -> bool:
    return dig(comment, "snippet", "authorChannelId", "value") == channel_id


def _read_comments(api: Api, channel_id: str, key: str) -> SocialRead:
    query = urlencode(
        {
            "part": "snippet,replies",
            "allThreadsRelatedToChannelId": channel_id,
            "maxResults": MAX_THREADS,
            "order": "time",
            "textFormat": "plainText",
            "key": key,
        }
    )
    answer = api.get_json(f"{api.base_url('youtube')}/commentThreads?{query}")
    replies, answered = [], set()
    try:
        for thread in answer.data["items"]:
            if _by(thread["snippet"]["topLevelComment"], channel_id):
                continue  # the channel's own comment: not feedback
            comment = _comment(thread)
            replies.append(comment)
            if any(_by(r, channel_id) for r in dig(thread, "replies", "comments") or []):
                answered.add(comment.key)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        reason = f"the YouTube API answered in an unexpected shape ({error!s:.120})"
        raise ApiError(reason) from None
    return SocialRead(title="", followers=None, posts=[], replies=replies, answered=answered)


def read(url: str, *, api: Api, now: datetime) -> Reading:
    """Read the channel's feed (conditionally) and, with the key, its newest comments."""
    feed_url, channel_id, of_handle = _channel_id(url, api)
    fetched = api.get_document(feed_url, conditional=True)
    feed = None
    if fetched.body is not None:
        try:
            feed = parse_feed(
                fetched.body, content_type=fetched.content_type, url=feed_url, now=now
            )
        except FeedError as error:
            raise ApiError(str(error), retry_after=fetched.retry_after) from None
    key = api.policy.youtube_api_key
    comments = _read_comments(api, channel_id, key) if key else None
    if feed is None and comments is None:
        return Reading(fetched, None)
    return Reading(fetched, YouTubeRead(feed, comments, of_handle))


def store(session: Session, channel: Channel, data: YouTubeRead, *, now: datetime) -> int:
    """Store the videos and their counts, then the comments threaded to them."""
    from tracker.feeds.poller import receive_entries  # the feed path's own storing

    lock_channel(session, channel)
    new = 0
    if data.feed is not None:
        if data.feed.title and channel.title in (None, "", channel.source_url):
            channel.title = data.feed.title[:200]
        new += receive_entries(session, channel, data.feed.entries, now=now).new
    if data.comments is not None:
        stored = store_social_read(session, channel, data.comments, now=now)
        new += stored.new_replies
    if data.handle_channel_id is not None:  # after the comments, which rewrite the memo
        memo = remember_channel_id(channel.connector_memo, data.handle_channel_id)
        channel.connector_memo = memo
    return new
