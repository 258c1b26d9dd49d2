"""YouTube handles (https://www.youtube.com/@name): the channel id behind one, found by
the worker when the channel is polled, never by a web request.

With TRACKER_YOUTUBE_API_KEY the Data API answers in one small request:

    GET /channels?part=id&forHandle=@name&key=...
    {"kind": "youtube#channelListResponse", "items": [{"id": "UC..."}]}   (no items: none)

Without a key, the handle's page names its channel in its canonical link or its meta
tags (tracker.feeds.page_links); the page is read up to HANDLE_PAGE_BYTES only.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from tracker.connectors.api import Api, ApiError, dig
from tracker.feeds.page_links import find_youtube_channel_id, read_links

# A channel page is some hundreds of KB of HTML; its canonical link sits in the head.
HANDLE_PAGE_BYTES = 3 * 1024 * 1024


def _unknown(handle: str, detail: str = "") -> ApiError:
    return ApiError(f"YouTube has no channel with the handle @{handle}{detail}")


def _by_api(api: Api, handle: str, key: str) -> str:
    query = urlencode({"part": "id", "forHandle": f"@{handle}", "key": key})
    answer = api.get_json(f"{api.base_url('youtube')}/channels?{query}")
    items = dig(answer.data, "items")
    channel_id = dig(items[0], "id") if isinstance(items, list) and items else None
    if not isinstance(channel_id, str):
        raise _unknown(handle)
    return channel_id


def _by_page(api: Api, page_url: str, handle: str) -> str:
    try:
        page = api.get_document(page_url, max_bytes=HANDLE_PAGE_BYTES)
    except ApiError as error:
        if error.status in (404, 410):
            raise _unknown(handle, f" (HTTP {error.status})") from None
        reason = f"could not read the page of the YouTube handle @{handle}: {error.reason}"
        raise ApiError(reason, retry_after=error.retry_after, status=error.status) from None
    body = page.body or b""
    channel_id = find_youtube_channel_id(read_links(body, base=page.url), body)
    if channel_id is None:
        raise ApiError(f"could not find the channel id on the page of YouTube handle @{handle}")
    return channel_id


def resolve_handle(api: Api, page_url: str, handle: str) -> str:
    """Return the channel id of `handle` (its page at `page_url`); ApiError when none."""
    key = api.policy.youtube_api_key
    return _by_api(api, handle, key) if key else _by_page(api, page_url, handle)


def remembered_channel_id(memo: str | None) -> str | None:
    """Return the channel id a handle channel's memo keeps, if any."""
    try:
        value = json.loads(memo or "{}").get("channel_id")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def remember_channel_id(memo: str | None, channel_id: str) -> str:
    """Return the memo with the handle's channel id kept beside what else it holds."""
    try:
        kept = json.loads(memo or "{}")
    except ValueError:
        kept = {}
    kept = kept if isinstance(kept, dict) else {}
    return json.dumps({**kept, "channel_id": channel_id}, sort_keys=True)
