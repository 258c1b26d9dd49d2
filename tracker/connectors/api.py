"""Speak to a platform's JSON API through the guarded fetch (tracker.feeds.fetch).

Every request of a connector goes through `Api`: the SSRF rule, the time and size limits
and the shared client come from the poll; the channel's validators make the request
conditional; a refusal becomes an `ApiError` whose reason the dashboard shows, and whose
`retry_after` (Retry-After, or the reset of an exhausted rate limit) moves the channel's
next poll.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from tracker.feeds.fetch import Body, FetchError, FetchResult, fetch
from tracker.feeds.fetch_policy import FetchPolicy

if TYPE_CHECKING:
    import httpx

JSON = "application/json"
_STATUS_REASONS = {
    401: "the platform asks for authentication (HTTP 401)",
    403: "the platform refused access (HTTP 403): it may block automated requests",
    404: "not found (HTTP 404): the URL is wrong or it was deleted",
    410: "gone (HTTP 410): it was deleted",
    429: "rate limited by the platform (HTTP 429)",
}


class ApiError(Exception):
    """A platform API that failed; `reason` is one sentence fit for the dashboard."""

    def __init__(
        self, reason: str, *, retry_after: datetime | None = None, status: int | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.status = status  # the HTTP status of a refusal, None for other failures


@dataclass(frozen=True)
class Answer:
    """A JSON answer: the fetch (validators, hints) and its decoded body (None for 304)."""

    fetched: FetchResult
    data: object | None


def _api_error(error: FetchError) -> ApiError:
    reason = _STATUS_REASONS.get(error.status or 0, error.reason)
    if error.retry_after is not None:
        reason += f"; next try after {error.retry_after:%Y-%m-%d %H:%M} UTC"
    return ApiError(reason, retry_after=error.retry_after, status=error.status)


@dataclass
class Api:
    """One poll's way to a platform: policy, shared client and the channel's validators."""

    policy: FetchPolicy
    client: httpx.Client | None = None
    etag: str | None = None
    last_modified: str | None = None
    memo: str | None = None  # what the connector remembered of this channel last time

    def base_url(self, kind: str) -> str:
        """Return the configured base URL of a fixed-host API."""
        return self.policy.api_url(kind)

    def get_json(
        self, url: str, *, conditional: bool = False, headers: dict[str, str] | None = None
    ) -> Answer:
        """GET `url` as JSON; conditional (the channel's validators) when asked."""
        return self._request(url, conditional=conditional, body=None, headers=headers)

    def post_json(self, url: str, payload: object) -> Answer:
        """POST `payload` as JSON to `url` (a GraphQL endpoint) and decode the answer."""
        body = Body(json.dumps(payload).encode(), JSON)
        return self._request(url, conditional=False, body=body)

    def get_document(
        self, url: str, *, conditional: bool = False, max_bytes: int | None = None
    ) -> FetchResult:
        """GET `url` as it is (a feed, a page); conditional when asked; at most `max_bytes`."""
        return self._fetch(
            url, conditional=conditional, body=None, accept=None, max_bytes=max_bytes
        )

    def _fetch(
        self,
        url: str,
        *,
        conditional: bool,
        body: Body | None,
        accept: str | None,
        headers: dict[str, str] | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult:
        policy = self.policy
        if max_bytes is not None and max_bytes < policy.max_bytes:
            policy = replace(policy, max_bytes=max_bytes)
        try:
            return fetch(
                url,
                etag=self.etag if conditional else None,
                last_modified=self.last_modified if conditional else None,
                policy=policy,
                client=self.client,
                accept=accept,
                body=body,
                headers=headers,
            )
        except FetchError as error:
            raise _api_error(error) from None

    def _request(
        self,
        url: str,
        *,
        conditional: bool,
        body: Body | None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        fetched = self._fetch(url, conditional=conditional, body=body, accept=JSON, headers=headers)
        if fetched.body is None:
            return Answer(fetched, None)
        try:
            data = json.loads(fetched.body)
        except (UnicodeDecodeError, ValueError) as error:
            reason = f"the API answered with malformed JSON ({str(error)[:120]})"
            raise ApiError(reason, retry_after=fetched.retry_after) from None
        return Answer(fetched, data)


def dig(data: object, *path: str) -> object:
    """Return data[path[0]][path[1]]..., or None where a level is missing or not an object."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


_LINK = re.compile(r'<([^>]*)>\s*;[^,]*\brel="?([^",;]+)"?')


def next_link(fetched: FetchResult) -> str | None:
    """Return the URL of the Link header's rel="next" (an API's next page), if any."""
    for url, rels in _LINK.findall(fetched.link or ""):
        if "next" in rels.split():
            return url
    return None


def latest_hints(answers: Sequence[FetchResult]) -> FetchResult:
    """Return the first answer of a poll of several requests as the one the channel keeps,
    carrying the latest retry hint of all of them (an exhausted rate limit on any)."""
    hints = [fetched.retry_after for fetched in answers if fetched.retry_after is not None]
    # No validators: the poll's requests are many, none of them stands for the channel.
    return replace(answers[0], etag=None, last_modified=None, retry_after=max(hints, default=None))
