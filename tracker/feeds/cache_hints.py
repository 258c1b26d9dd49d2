"""Read the caching and retry hints of an HTTP response (pure, no HTTP client)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

_TEN_YEARS = 10 * 365 * 86400  # seconds; scheduling caps at a day anyway


@dataclass(frozen=True)
class CacheHints:
    """When the server says to come back: Retry-After, max-age and Expires."""

    retry_after: datetime | None
    max_age: int | None
    expires: datetime | None


def parse_http_date(value: str | None) -> datetime | None:
    """Return an HTTP date as aware UTC, or None when it is missing or invalid."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    # RFC 9110 dates are GMT; a naive result means the zone was "-0000" or missing.
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def parse_retry_after(value: str | None, *, now: datetime) -> datetime | None:
    """Return the moment Retry-After (seconds or an HTTP date) points at."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return now + timedelta(seconds=min(int(value), _TEN_YEARS))
    return parse_http_date(value)


def parse_max_age(cache_control: str | None) -> int | None:
    """Return the max-age of a Cache-Control header in seconds, if there is one."""
    if not cache_control:
        return None
    for directive in cache_control.split(","):
        name, _, argument = directive.strip().partition("=")
        if name.strip().lower() == "max-age":
            argument = argument.strip().strip('"')
            # Capped so that absurd values cannot overflow date arithmetic later.
            return min(int(argument), _TEN_YEARS) if argument.isdigit() else None
    return None


def _number(value: str | None) -> float | None:
    try:
        return float(value.strip()) if value else None
    except ValueError:
        return None


def parse_rate_limit_reset(headers: Mapping[str, str], *, now: datetime) -> datetime | None:
    """Return when an exhausted rate limit resets (X-RateLimit-* or RateLimit-* headers)."""
    remaining = _number(headers.get("x-ratelimit-remaining") or headers.get("ratelimit-remaining"))
    if remaining is None or remaining >= 1:
        return None
    reset = (headers.get("x-ratelimit-reset") or headers.get("ratelimit-reset") or "").strip()
    seconds = _number(reset)
    if seconds is not None:
        # GitHub and Bluesky send the epoch second, Reddit and the IETF draft a delay.
        if seconds > 1_000_000_000:
            return datetime.fromtimestamp(min(seconds, now.timestamp() + _TEN_YEARS), UTC)
        return now + timedelta(seconds=min(max(seconds, 0), _TEN_YEARS))
    try:
        moment = datetime.fromisoformat(reset)  # Mastodon: ISO 8601
    except ValueError:
        return parse_http_date(reset)
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _later(first: datetime | None, second: datetime | None) -> datetime | None:
    return max(first, second) if first and second else first or second


def read_cache_hints(headers: Mapping[str, str], *, now: datetime) -> CacheHints:
    """Collect Retry-After (or an exhausted rate limit's reset), max-age and Expires."""
    return CacheHints(
        retry_after=_later(
            parse_retry_after(headers.get("retry-after"), now=now),
            parse_rate_limit_reset(headers, now=now),
        ),
        max_age=parse_max_age(headers.get("cache-control")),
        expires=parse_http_date(headers.get("expires")),
    )
