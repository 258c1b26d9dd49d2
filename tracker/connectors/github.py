"""GitHub: a repository's stars, forks and watchers over time (releases stay a feed).

One conditional request a poll, `GET /repos/:owner/:repo` (TRACKER_GITHUB_API_URL,
default https://api.github.com), with TRACKER_GITHUB_TOKEN as a bearer token when set
(sent to that origin only); an unchanged repository answers 304 with its ETag:

    {"full_name": "ada/synth", "stargazers_count": 1480, "forks_count": 96,
     "subscribers_count": 41, "watchers_count": 1480, ...}

Watchers are subscribers_count: watchers_count is the stars' old name. An exhausted
X-RateLimit-Remaining moves the next poll to X-RateLimit-Reset (tracker.connectors.api).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlsplit

from sqlmodel import Session

from tracker.connectors.api import Api, ApiError
from tracker.connectors.counts import record_counts
from tracker.connectors.registry import Reading
from tracker.connectors.social import count_or_none
from tracker.connectors.urls import match_path
from tracker.errors import InvalidInput
from tracker.models import Channel

_REPO = re.compile(r"/([A-Za-z0-9_.-]{1,100})/([A-Za-z0-9_.-]{1,100}?)(?:\.git)?(?:/.*)?")
# What the counts are called here -> the API's field.
FIELDS = {"stars": "stargazers_count", "forks": "forks_count", "watchers": "subscribers_count"}


@dataclass(frozen=True)
class RepositoryCounts:
    """A repository's name and counts as the API gave them."""

    name: str
    counts: dict[str, int]


def source_url(url: str) -> str:
    """Return the repository's URL (host/owner/repo); InvalidInput for another shape."""
    shape = match_path(url, _REPO)
    if shape is None:
        reason = "Give the GitHub repository URL, like https://github.com/owner/repo."
        raise InvalidInput({"url": reason})
    scheme, netloc, match = shape
    return f"{scheme}://{netloc}/{match.group(1)}/{match.group(2)}"


def parse_repository(data: object) -> RepositoryCounts:
    """Return the counts of a repository document; ApiError when its shape differs."""
    counts = {
        name: count_or_none(data.get(field)) if isinstance(data, dict) else None
        for name, field in FIELDS.items()
    }
    missing = sorted(name for name, value in counts.items() if value is None)
    if missing:
        reason = f"the GitHub API answered in an unexpected shape (no {', '.join(missing)})"
        raise ApiError(reason)
    return RepositoryCounts(name=str(data.get("full_name") or ""), counts=counts)


def _authorization(api: Api, endpoint: str) -> dict[str, str]:
    """Return the token's header for an endpoint on the configured API's origin, else {}."""
    token = api.policy.github_token
    base = urlsplit(api.base_url("github"))
    target = urlsplit(endpoint)
    same_origin = (target.scheme, target.netloc.lower()) == (base.scheme, base.netloc.lower())
    return {"Authorization": f"Bearer {token}"} if token and same_origin else {}


def read(url: str, *, api: Api, now: datetime) -> Reading:
    """Read the repository's counts (conditionally: a 304 costs no rate limit)."""
    owner, repo = urlsplit(source_url(url)).path.strip("/").split("/")
    endpoint = f"{api.base_url('github')}/repos/{quote(owner)}/{quote(repo)}"
    answer = api.get_json(endpoint, conditional=True, headers=_authorization(api, endpoint))
    data = None if answer.data is None else parse_repository(answer.data)
    return Reading(answer.fetched, data)


def store(session: Session, channel: Channel, data: RepositoryCounts, *, now: datetime) -> int:
    """Observe the counts that changed; the caller commits."""
    if data.name and channel.title in (None, "", channel.source_url):
        channel.title = data.name[:200]
    return record_counts(session, channel, data.counts, now=now)
