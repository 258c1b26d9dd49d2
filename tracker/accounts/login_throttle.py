"""Login throttling: a limit per (account, address), a backoff per account, a ceiling per address.

Every attempt is a row in login_attempts, so the limits hold across gunicorn workers.

- pair: after `pair_failures` failures of one address on one account (since its last
  success there) within the window, that pair waits until the oldest of them leaves it;
- account: after `backoff_after` failures on one account from anywhere within the window,
  each further try waits 1, 2, 4 ... seconds after the latest failure, at most
  `backoff_max`: an attacker slows an account down but cannot lock it;
- address: after `address_failures` failures from one address over any accounts within the
  window (credential stuffing), the address waits until the oldest of them leaves it.

An address that logged in to the account within `known_for` skips the account backoff and
the address ceiling, so an attacker elsewhere (or behind the same NAT) cannot lock the
owner out from there; the pair limit still holds for it.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, func, select

from tracker.models import LoginAttempt, utcnow

KNOWN_FOR = timedelta(days=30)
# Past the window only successes matter (known addresses): older rows are dropped.
KEEP_ATTEMPTS = KNOWN_FOR
# 2**20 seconds is beyond any sensible backoff_max; a larger exponent is pointless.
_MAX_DOUBLINGS = 20


@dataclass(frozen=True)
class LoginLimits:
    """How many failures are allowed, and how long a wait they cause."""

    pair_failures: int
    window: timedelta
    address_failures: int
    backoff_after: int
    backoff_max: timedelta
    known_for: timedelta = KNOWN_FOR

    @classmethod
    def from_config(cls, config: Mapping) -> "LoginLimits":
        """Read the LOGIN_* settings."""
        return cls(
            pair_failures=int(config["LOGIN_MAX_FAILURES"]),
            window=timedelta(seconds=int(config["LOGIN_WINDOW_SECONDS"])),
            address_failures=int(config["LOGIN_MAX_ADDRESS_FAILURES"]),
            backoff_after=int(config["LOGIN_BACKOFF_AFTER"]),
            backoff_max=timedelta(seconds=int(config["LOGIN_BACKOFF_MAX_SECONDS"])),
        )


def login_key(email: str) -> str:
    """Return the form of an email that attempts are counted under."""
    return (email or "").strip().lower()[:254]


def login_wait(
    session: Session,
    *,
    email: str,
    address: str,
    limits: LoginLimits,
    now: datetime | None = None,
) -> int:
    """Return how many seconds this address must wait before trying this account (0: none)."""
    now = now or utcnow()
    email, address = login_key(email), address[:64]
    since = now - limits.window
    failures = select(LoginAttempt.attempted_at).where(
        LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at >= since
    )
    last_success = session.exec(
        select(func.max(LoginAttempt.attempted_at)).where(
            LoginAttempt.email == email,
            LoginAttempt.address == address,
            LoginAttempt.succeeded.is_(True),
        )
    ).one()
    pair = failures.where(LoginAttempt.email == email, LoginAttempt.address == address)
    if last_success is not None:
        pair = pair.where(LoginAttempt.attempted_at > last_success)
    waits = [_window_wait(session, pair, limits.pair_failures, limits.window, now)]
    if last_success is None or last_success < now - limits.known_for:
        by_address = failures.where(LoginAttempt.address == address)
        waits.append(_window_wait(session, by_address, limits.address_failures, limits.window, now))
        waits.append(_backoff_wait(session, email, since, limits, now))
    return max(waits)


def _window_wait(session, query, limit: int, window: timedelta, now: datetime) -> int:
    # The newest `limit` failures: once the oldest of them leaves the window, one more try.
    times = session.exec(query.order_by(LoginAttempt.attempted_at.desc()).limit(limit)).all()
    if len(times) < limit:
        return 0
    return _seconds_until(times[-1] + window, now)


def _backoff_wait(session, email: str, since: datetime, limits: LoginLimits, now) -> int:
    count, latest = session.exec(
        select(func.count(), func.max(LoginAttempt.attempted_at)).where(
            LoginAttempt.email == email,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.attempted_at >= since,
        )
    ).one()
    if count < limits.backoff_after:
        return 0
    doublings = min(count - limits.backoff_after, _MAX_DOUBLINGS)
    delay = min(timedelta(seconds=2**doublings), limits.backoff_max)
    return _seconds_until(latest + delay, now)


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(0, math.ceil((moment - now).total_seconds()))


def record_attempt(
    session: Session, *, email: str, address: str, succeeded: bool, now: datetime | None = None
) -> None:
    """Store a login attempt and drop the ones too old to matter."""
    now = now or utcnow()
    session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < now - KEEP_ATTEMPTS))
    session.add(
        LoginAttempt(
            email=login_key(email), address=address[:64], succeeded=succeeded, attempted_at=now
        )
    )
    session.flush()
