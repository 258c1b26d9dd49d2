"""Decide when a channel is polled next, and when to stop polling it (pure functions).

The poller calls, after each attempt:

    next_poll_at(now=now, base_interval=channel_interval,
                 consecutive_errors=errors,            # 0 after a success
                 retry_after=result_or_error.retry_after,
                 max_age=result.max_age, expires=result.expires)   # successes only
    should_pause(errors)                               # True: stop until the founder resumes

Server hints can only push the next poll later than `base_interval` (or the backoff),
never earlier, except that everything is clamped to [floor, ceiling]: a misconfigured
"max-age=0" cannot make us hammer a server, and a Retry-After a year away still leaves
the channel polled daily.
"""

from __future__ import annotations

from datetime import datetime, timedelta

FLOOR = timedelta(minutes=5)
CEILING = timedelta(hours=24)
PAUSE_AFTER_ERRORS = 10
# 2**17 base intervals exceed any sane ceiling; the cap keeps the arithmetic small.
_MAX_EXPONENT = 17


def backoff(
    base_interval: timedelta, consecutive_errors: int, *, ceiling: timedelta = CEILING
) -> timedelta:
    """Return base_interval * 2**consecutive_errors, capped at `ceiling`."""
    exponent = min(max(consecutive_errors, 0), _MAX_EXPONENT)
    return min(base_interval * (2**exponent), ceiling)


def next_poll_at(
    *,
    now: datetime,
    base_interval: timedelta,
    consecutive_errors: int = 0,
    retry_after: datetime | None = None,
    max_age: int | None = None,
    expires: datetime | None = None,
    floor: timedelta = FLOOR,
    ceiling: timedelta = CEILING,
) -> datetime:
    """Return when to poll next, honouring backoff, Retry-After, max-age and Expires."""
    delay = backoff(base_interval, consecutive_errors, ceiling=ceiling)
    if consecutive_errors == 0:
        # max-age wins over Expires, as in HTTP caching (RFC 9111, 5.3).
        if max_age is not None:
            delay = max(delay, min(timedelta(seconds=max(max_age, 0)), ceiling))
        elif expires is not None:
            delay = max(delay, expires - now)
    if retry_after is not None:
        delay = max(delay, retry_after - now)
    return now + min(max(delay, floor), ceiling)


def should_pause(consecutive_errors: int, *, limit: int = PAUSE_AFTER_ERRORS) -> bool:
    """Return True once a channel has failed `limit` times in a row."""
    return consecutive_errors >= limit
