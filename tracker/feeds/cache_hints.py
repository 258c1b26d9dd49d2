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


def read_cache_hints(headers: Mapping[str, str], *, now: datetime) -> CacheHints:
    """Collect Retry-After, Cache-Control max-age and Expires from response headers."""
    return CacheHints(
        retry_after=parse_retry_after(headers.get("retry-after"), now=now),
        max_age=parse_max_age(headers.get("cache-control")),
        expires=parse_http_date(headers.get("expires")),
    )
