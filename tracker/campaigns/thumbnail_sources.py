"""Download a video's thumbnail: from YouTube's image host, or as a PeerTube instance names it.

Worker only (tracker/jobs/videos.py): every request goes through the guarded fetch
(tracker/feeds/fetch.py), with its address rule and its time and size limits.
"""

from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import urlsplit

from tracker.campaigns.video import Video
from tracker.feeds.fetch import FetchError, fetch
from tracker.feeds.fetch_policy import FetchPolicy
from tracker.media.images import MAX_BYTES

IMAGE_ACCEPT = "image/jpeg, image/png, image/webp, image/*;q=0.5"
# A PeerTube video's description is at most 10,000 characters: its JSON stays far below.
MAX_API_BYTES = 2**20
TIMEOUT_SECONDS = 20.0


class ThumbnailUnavailable(Exception):
    """The thumbnail could not be had; `reason` is one sentence for the founder."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def download_thumbnail(video: Video, *, policy: FetchPolicy, youtube_base: str) -> bytes:
    """Return the bytes of the video's thumbnail as its site serves them (not yet checked)."""
    policy = replace(policy, total_timeout=min(policy.total_timeout, TIMEOUT_SECONDS))
    url = thumbnail_url(video, policy=policy, youtube_base=youtube_base)
    result = _fetch(url, replace(policy, max_bytes=MAX_BYTES), accept=IMAGE_ACCEPT)
    kind = (result.content_type or "").split(";", 1)[0].strip().lower()
    if kind and not kind.startswith("image/"):
        raise ThumbnailUnavailable(f"{_short(url)} answered with {kind[:60]}, not an image.")
    return result.body or b""


def thumbnail_url(video: Video, *, policy: FetchPolicy, youtube_base: str) -> str:
    """Return where the video's thumbnail is: a fixed address, or the instance's answer."""
    if video.platform == "youtube":
        return f"{youtube_base.rstrip('/')}/{video.video_id}/hqdefault.jpg"
    api = f"{video.embed_origin}/api/v1/videos/{video.video_id}"
    body = _fetch(api, replace(policy, max_bytes=MAX_API_BYTES), accept="application/json").body
    try:
        answer = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError):
        raise ThumbnailUnavailable(f"{_short(api)} did not answer with JSON.") from None
    # The preview is the larger picture (850 px wide on current instances).
    paths = (
        (answer.get(key) for key in ("previewPath", "thumbnailPath"))
        if isinstance(answer, dict)
        else ()
    )
    for path in paths:
        # Only a path on the instance itself: a picture elsewhere could be anyone's.
        if isinstance(path, str) and path.startswith("/") and not path.startswith("//"):
            url = video.embed_origin + path
            if urlsplit(url).netloc == urlsplit(video.embed_origin).netloc:
                return url
    raise ThumbnailUnavailable(f"{_short(api)} names no thumbnail on {video.embed_origin}.")


def _fetch(url: str, policy: FetchPolicy, *, accept: str):
    try:
        return fetch(url, policy=policy, accept=accept)
    except FetchError as error:
        raise ThumbnailUnavailable(f"Could not fetch {_short(url)}: {error.reason}") from None


def _short(url: str) -> str:
    return url if len(url) <= 120 else url[:119] + "…"
