"""Serve the hand-written Mastodon and Bluesky fixtures (tests/data/connectors/) from a
FeedServer, as the documented APIs answer: Mastodon's Link header pagination and
X-RateLimit-* headers, Bluesky's cursor and RateLimit-* headers, a thread not found.

The fixtures are dated around FIXTURE_NOW; `now` shifts every time in them, so that a
test polling at the wall clock sees them as recent as a test with a fixed clock does.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.feed_server import FeedServer, RecordedRequest, Route

FIXTURE_NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
DATA = Path(__file__).parent.parent / "data" / "connectors"
JSON = {"Content-Type": "application/json; charset=utf-8"}
_STAMP = re.compile(r'"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"')
MASTODON_STATUSES = "/api/v1/accounts/1001/statuses"
XRPC = "/xrpc/"


def fixture(name: str, *, base: str = "", now: datetime = FIXTURE_NOW) -> bytes:
    """Return a fixture's bytes, {base} filled in and its times moved by now - FIXTURE_NOW."""
    text = (DATA / name).read_text().replace("{base}", base)
    shift = now - FIXTURE_NOW
    if shift:

        def moved(match: re.Match) -> str:
            moment = datetime.fromisoformat(match.group(1).replace("Z", "+00:00")) + shift
            return f'"{moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]}Z"'

        text = _STAMP.sub(moved, text)
    return text.encode()


def query(request: RecordedRequest) -> dict[str, list[str]]:
    return parse_qs(urlsplit(request.path).query)


def serve_mastodon(server: FeedServer, *, now: datetime = FIXTURE_NOW) -> str:
    """Route the Mastodon API of account @founder on `server`; return its profile URL."""
    base = server.url("").rstrip("/")
    reset = (now + timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    limits = {
        "X-RateLimit-Limit": "300",
        "X-RateLimit-Remaining": "299",
        "X-RateLimit-Reset": reset,
    }

    def answer(name: str, **headers: str) -> Route:
        return Route(body=fixture(name, base=base, now=now), headers={**JSON, **limits, **headers})

    def statuses(request: RecordedRequest) -> Route:
        older = query(request).get("max_id", [None])[0]
        if older == "2004":
            return Route(body=b"[]", headers={**JSON, **limits})
        page, last = (2, "2004") if older else (1, "2007")
        link = (
            f'<{base}{MASTODON_STATUSES}?limit=40&exclude_reblogs=true&max_id={last}>; rel="next", '
            f'<{base}{MASTODON_STATUSES}?limit=40&exclude_reblogs=true&min_id=2005>; rel="prev"'
        )
        return answer(f"mastodon/statuses_{page}.json", Link=link)

    server.route("/api/v1/accounts/lookup", answer("mastodon/account.json"))
    server.route(MASTODON_STATUSES, statuses)
    for status_id in ("2001", "2003"):
        server.route(
            f"/api/v1/statuses/{status_id}/context", answer(f"mastodon/context_{status_id}.json")
        )
    return f"{base}/@founder"


def serve_bluesky(server: FeedServer, *, now: datetime = FIXTURE_NOW) -> str:
    """Route the Bluesky AppView on `server` (the API base URL); return the profile URL."""
    reset = str(int((now + timedelta(minutes=5)).timestamp()))
    limits = {
        "RateLimit-Limit": "3000",
        "RateLimit-Remaining": "2999",
        "RateLimit-Reset": reset,
        "RateLimit-Policy": "3000;w=300",
    }

    def answer(name: str) -> Route:
        return Route(body=fixture(name, now=now), headers={**JSON, **limits})

    def author_feed(request: RecordedRequest) -> Route:
        page = 2 if "cursor" in query(request) else 1
        return answer(f"bluesky/author_feed_{page}.json")

    def thread(request: RecordedRequest) -> Route:
        rkey = query(request).get("uri", [""])[0].rsplit("/", 1)[-1]
        if (DATA / f"bluesky/thread_{rkey}.json").exists():
            return answer(f"bluesky/thread_{rkey}.json")
        # What the AppView answers for a deleted post.
        body = b'{"error":"NotFound","message":"Post not found: ' + rkey.encode() + b'"}'
        return Route(status=400, body=body, headers=JSON)

    server.route(f"{XRPC}app.bsky.actor.getProfile", answer("bluesky/profile.json"))
    server.route(f"{XRPC}app.bsky.feed.getAuthorFeed", author_feed)
    server.route(f"{XRPC}app.bsky.feed.getPostThread", thread)
    server.route(f"{XRPC}app.bsky.actor.getProfiles", answer("bluesky/profiles.json"))
    return "https://bsky.app/profile/founder.bsky.social"
