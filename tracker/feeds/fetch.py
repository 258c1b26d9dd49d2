"""Fetch feeds and pages and post webhooks over HTTP: time and size limits, the SSRF rule.

The one module the rest of the tracker uses to speak HTTP (httpx). Its private
transport, with the connection-time address check, is in `transport`.
Redirects are followed here, one request per hop, so every hop is checked again:
its URL scheme here, its address when the transport opens a connection for it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from tracker.feeds.addresses import AddressRefused
from tracker.feeds.cache_hints import parse_http_date, read_cache_hints
from tracker.feeds.fetch_policy import DEFAULT_POLICY, FetchPolicy
from tracker.feeds.inflate import BodyTooLarge, BoundedInflater, UnsupportedEncoding, format_size
from tracker.feeds.transport import GuardedTransport, fetch_deadline

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.5, */*;q=0.1"
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Headers that carry a credential: never sent on to another origin than the first URL's.
CREDENTIAL_HEADERS = ("Authorization",)
# Validators are stored (channels.last_modified is VARCHAR(100)) and sent back in the
# next request's headers, which httpx encodes as ASCII.
MAX_ETAG_LENGTH = 500
MAX_LAST_MODIFIED_LENGTH = 100


@dataclass(frozen=True)
class FetchResult:
    """What a successful fetch returns; `body` is None for 304 Not Modified."""

    status: int
    url: str
    body: bytes | None
    content_type: str | None
    etag: str | None
    last_modified: str | None
    retry_after: datetime | None
    max_age: int | None
    expires: datetime | None
    link: str | None = None  # the Link header: an API's next page (RFC 8288)


class FetchError(Exception):
    """A fetch that failed; `reason` is one sentence fit for the dashboard."""

    def __init__(
        self, reason: str, *, status: int | None = None, retry_after: datetime | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after


def make_client(policy: FetchPolicy = DEFAULT_POLICY) -> httpx.Client:
    """Return a pooled client whose connections obey `policy`'s address rule."""
    return httpx.Client(
        transport=GuardedTransport(
            allow_private=policy.allow_private, allowed_hosts=policy.allowed_hosts
        ),
        headers={
            "User-Agent": policy.user_agent,
            "Accept": ACCEPT,
            # Only what BoundedInflater can decode without passing the size limit.
            "Accept-Encoding": "gzip, deflate",
        },
        timeout=httpx.Timeout(policy.total_timeout, connect=policy.connect_timeout),
        follow_redirects=False,
        trust_env=False,  # an environment proxy would connect on our behalf, unchecked
    )


def _storable_validator(value: str | None, limit: int) -> str | None:
    """Return a validator that fits its column and can be sent back; None for any other."""
    if value is None or len(value) > limit or not value.isascii() or not value.isprintable():
        return None
    return value


def _request_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    # Validators stored before they were checked may not be sendable: skip those.
    if etag := _storable_validator(etag, MAX_ETAG_LENGTH):
        headers["If-None-Match"] = etag
    if last_modified := _storable_validator(last_modified, MAX_LAST_MODIFIED_LENGTH):
        headers["If-Modified-Since"] = last_modified
    return headers


def _checked_url(url: str | httpx.URL) -> httpx.URL:
    """Return `url` parsed, refusing anything but absolute http and https URLs."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise FetchError(f"invalid URL {str(url)[:200]!r}: {exc}") from None
    if parsed.scheme not in ("http", "https"):
        scheme = parsed.scheme or "relative"
        raise FetchError(f"refused: {scheme} URLs are not fetched, only http and https")
    if not parsed.host:
        raise FetchError(f"invalid URL {str(url)[:200]!r}: no host")
    return parsed


def _read_body(response: httpx.Response, policy: FetchPolicy, deadline: float) -> bytes:
    """Return the decoded body, refusing it past `policy.max_bytes` or the deadline."""
    encoding = response.headers.get("content-encoding")
    inflater = BoundedInflater(encoding, limit=policy.max_bytes)
    declared = response.headers.get("content-length", "")
    if not encoding and declared.isdigit() and int(declared) > policy.max_bytes:
        raise BodyTooLarge(f"body larger than {format_size(policy.max_bytes)}")
    chunks = []
    for raw in response.iter_raw():
        # The stream clamps each read to the deadline too; this covers fast trickles.
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("total time limit reached")
        chunks.append(inflater.decode(raw))
    return b"".join(chunks)


def _result(response: httpx.Response, body: bytes | None, sent: dict[str, str]) -> FetchResult:
    headers = response.headers
    hints = read_cache_hints(headers, now=datetime.now(UTC))
    # A 304 may omit the validators; the ones we sent are still the current ones.
    etag = headers.get("etag") or (sent.get("If-None-Match") if body is None else None)
    last_modified = headers.get("last-modified") or (
        sent.get("If-Modified-Since") if body is None else None
    )
    if parse_http_date(last_modified) is None:
        last_modified = None  # not a date: no server could compare it
    return FetchResult(
        status=response.status_code,
        url=str(response.url),
        body=body,
        content_type=headers.get("content-type"),
        etag=_storable_validator(etag, MAX_ETAG_LENGTH),
        last_modified=_storable_validator(last_modified, MAX_LAST_MODIFIED_LENGTH),
        retry_after=hints.retry_after,
        max_age=hints.max_age,
        expires=hints.expires,
        link=headers.get("link"),
    )


@dataclass(frozen=True)
class Body:
    """What a POST sends (a GraphQL query): its bytes and their content type."""

    content: bytes
    content_type: str


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port


def _fetch_hops(
    client: httpx.Client,
    url: str,
    headers: dict[str, str],
    policy: FetchPolicy,
    deadline: float,
    body: Body | None = None,
) -> FetchResult:
    current = _checked_url(url)
    origin = _origin(current)
    method = "GET" if body is None else "POST"
    if body is not None:
        headers = {**headers, "Content-Type": body.content_type}
    for _hop in range(policy.max_redirects + 1):
        remaining = max(deadline - time.monotonic(), 0.001)
        timeout = httpx.Timeout(remaining, connect=min(policy.connect_timeout, remaining))
        request = client.build_request(
            method,
            current,
            headers=headers,
            content=None if body is None else body.content,
            timeout=timeout,
        )
        response = client.send(request, stream=True)
        try:
            status = response.status_code
            location = response.headers.get("location")
            if status in REDIRECT_STATUSES and location and body is not None:
                # An API endpoint that moved is a changed API: say so, do not resend the body.
                raise FetchError(f"HTTP {status}: the API moved to {location[:200]}", status=status)
            if status in REDIRECT_STATUSES and location:
                try:
                    current = _checked_url(response.url.join(location))
                except httpx.InvalidURL as exc:
                    raise FetchError(f"invalid redirect location: {exc}") from None
                if _origin(current) != origin:
                    # Once elsewhere, even a way back may be a trap: the credential stays behind.
                    headers = {k: v for k, v in headers.items() if k not in CREDENTIAL_HEADERS}
                continue
            if status == 304:
                return _result(response, None, headers)
            if 200 <= status < 300:
                return _result(response, _read_body(response, policy, deadline), headers)
            hints = read_cache_hints(response.headers, now=datetime.now(UTC))
            raise FetchError(f"HTTP {status}", status=status, retry_after=hints.retry_after)
        finally:
            response.close()
    raise FetchError(f"more than {policy.max_redirects} redirects")


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    policy: FetchPolicy = DEFAULT_POLICY,
    client: httpx.Client | None = None,
    accept: str | None = None,
    body: Body | None = None,
    headers: Mapping[str, str] | None = None,
) -> FetchResult:
    """Fetch `url` under `policy`, conditionally when validators are given; POST `body`.

    `headers` are sent as well; an Authorization among them goes to `url`'s origin only.
    """
    # A shared client keeps the address rule of the policy it was made with (see
    # make_client); `policy` here sets the time, size and redirect limits.
    own_client = client is None
    active = make_client(policy) if client is None else client
    deadline = time.monotonic() + policy.total_timeout
    try:
        with fetch_deadline(deadline), _fetch_errors(policy, deadline):
            sent = {**(headers or {}), **_request_headers(etag, last_modified)}
            if accept:
                sent["Accept"] = accept
            return _fetch_hops(active, url, sent, policy, deadline, body)
    finally:
        if own_client:
            active.close()


@contextmanager
def _fetch_errors(policy: FetchPolicy, deadline: float) -> Iterator[None]:
    """Re-raise what can go wrong in a request as a FetchError with a clear reason."""
    try:
        yield
    except (AddressRefused, BodyTooLarge, UnsupportedEncoding, ValueError) as exc:
        raise FetchError(str(exc)) from None
    except httpx.TimeoutException as exc:
        if isinstance(exc, httpx.ConnectTimeout) and time.monotonic() < deadline:
            raise FetchError(f"could not connect within {policy.connect_timeout:g} s") from None
        raise FetchError(f"timed out after {policy.total_timeout:g} s") from None
    except httpx.ConnectError as exc:
        raise FetchError(f"could not connect: {exc}") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"{type(exc).__name__}: {exc}") from None


@dataclass(frozen=True)
class PostResult:
    """The receiver's answer to a POST: its status and the start of its body."""

    status: int
    excerpt: str


def post(url: str, *, body: bytes, headers: dict[str, str], policy: FetchPolicy) -> PostResult:
    """POST `body` to `url` under `policy`'s address, time and size rules; no redirects."""
    # A redirect is answered like any other status: following it would re-send the
    # body (and a signature) to wherever the receiver points.
    deadline = time.monotonic() + policy.total_timeout
    with make_client(policy) as client, fetch_deadline(deadline), _fetch_errors(policy, deadline):
        timeout = httpx.Timeout(policy.total_timeout, connect=policy.connect_timeout)
        request = client.build_request(
            "POST", _checked_url(url), content=body, headers=headers, timeout=timeout
        )
        response = client.send(request, stream=True)
        try:
            try:
                answer = _read_body(response, policy, deadline)
            except (BodyTooLarge, UnsupportedEncoding):
                answer = b""  # the status is what counts; a huge answer is not kept
            return PostResult(response.status_code, answer[:300].decode("utf-8", "replace"))
        finally:
            response.close()


def fetch_page(
    url: str,
    *,
    policy: FetchPolicy = DEFAULT_POLICY,
    client: httpx.Client | None = None,
) -> tuple[str, bytes, str | None]:
    """Fetch a page for feed discovery: return (final URL, body, content type)."""
    result = fetch(url, policy=policy, client=client)
    return result.url, result.body or b"", result.content_type
