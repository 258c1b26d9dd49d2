"""Poll channels: one now (`poll_channel`), or every due one in a loop (`poll_due`).

One poll is fetch-and-parse (tracker.feeds.attempts), which touches no database and
holds no transaction, then `apply_attempt` (tracker.feeds.poll_results), which writes
the outcome in one short transaction and hands the new entries of feedback channels to
scoring. `poll_due` polls every due channel with N worker threads and one guarded HTTP
client, claiming them through `claims` so that several pollers can run at once on
PostgreSQL. A poll that cannot be stored (a lock held too long) counts as failed and is
recorded on the channel in a transaction of its own.

A cron poll where every feed answers 304 claims and writes in SQLAlchemy Core
(`claims`) and needs only httpx besides: the ORM, the models, the parser, the entry
store and feedback scoring are imported by the functions that use them, on the first
feed that changed or failed. Those imports sit in the functions for that reason.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from tracker.feeds.attempts import Attempt, fetch_and_parse
from tracker.feeds.claims import Claim, NotModified, claim_due, next_due_at, record_not_modified
from tracker.feeds.fetch_policy import FetchPolicy
from tracker.feeds.poll_outcomes import PollOutcome, PollSummary
from tracker.feeds.poll_results import (
    apply_attempt,
    fail_channel,
    next_after_success,
    receive_entries,  # noqa: F401  (connectors, the demo and tests store entries as a poll does)
)

if TYPE_CHECKING:
    import httpx
    from sqlmodel import Session

    from tracker.models import Channel

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime (tracker.models.utcnow)."""
    return datetime.now(UTC)


def poll_channel(
    session: Session,
    channel: Channel,
    *,
    policy: FetchPolicy,
    client: httpx.Client | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> PollOutcome:
    """Poll one channel now, whatever its schedule; the caller commits."""
    if channel.feed_url is None or not channel.polled:
        return PollOutcome(channel.id, "not_modified")
    attempt = fetch_and_parse(
        channel.feed_url,
        etag=channel.etag,
        last_modified=channel.last_modified,
        policy=policy,
        client=client,
        now=clock(),
        kind=channel.kind,
        memo=channel.connector_memo,
    )
    return apply_attempt(session, channel, attempt, now=clock())


def _poll_claimed(
    engine: Engine,
    claim: Claim,
    *,
    policy: FetchPolicy,
    client: httpx.Client,
    clock: Callable[[], datetime],
) -> PollOutcome | NotModified | None:
    """Poll a claimed channel and store what changed; a 304 is left to poll_due to write."""
    # Fetch and parse first: no transaction is open while the network is in use.
    try:
        attempt = fetch_and_parse(
            claim.feed_url,
            etag=claim.etag,
            last_modified=claim.last_modified,
            policy=policy,
            client=client,
            now=clock(),
            kind=claim.kind,
            memo=claim.memo,
        )
    except Exception as error:  # a parser bug on odd input fails this channel, with backoff
        log.exception("channel %s: reading the feed failed unexpectedly", claim.id)
        attempt = Attempt(error=f"could not read the feed: {_reason(error)}")
    now = clock()
    fetched = attempt.fetched
    unchanged = attempt.parsed is None and attempt.reading is None
    if attempt.error is None and fetched is not None and unchanged:
        return NotModified(
            claim.id,
            polled_at=now,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            next_poll_at=next_after_success(now, claim.poll_interval, fetched),
        )
    try:
        return _store(engine, claim, attempt, now)
    except Exception as error:
        # A lock held too long ("database is locked"), a lost connection: the poll failed.
        reason = f"could not store the poll: {_reason(error)}"
        bug = not isinstance(error, SQLAlchemyError)
        log.warning("channel %s: %s", claim.id, reason, exc_info=bug)
        return _record_failure(engine, claim.id, reason, now)


def _reason(error: Exception) -> str:
    lines = str(getattr(error, "orig", None) or error).strip().splitlines()
    return (lines[0] if lines else type(error).__name__)[:300]


def _record_failure(engine: Engine, channel_id: int, reason: str, now: datetime) -> PollOutcome:
    """Record a failure on the channel, in a transaction of its own; count it anyway."""
    from sqlmodel import Session  # failures are few: the ORM loads with the first

    from tracker.models import Channel

    try:
        with Session(engine, expire_on_commit=False) as session:
            channel = session.get(Channel, channel_id)
            if channel is not None:
                channel.last_polled_at = now
                outcome = fail_channel(channel, Attempt(error=reason), now)
                session.commit()
                return outcome
    except SQLAlchemyError as error:
        # Not even this could be written: the claim's lease brings the channel back.
        log.warning("channel %s: could not record the failure: %s", channel_id, error)
    return PollOutcome(channel_id, "failed", error=reason)


def _store(engine: Engine, claim: Claim, attempt: Attempt, now: datetime) -> PollOutcome | None:
    """Write one poll's outcome in one short transaction."""
    from sqlmodel import Session  # a changed feed or a failure: the ORM loads with the first

    from tracker.models import Channel

    with Session(engine, expire_on_commit=False) as session:
        channel = session.get(Channel, claim.id)
        if channel is None:
            return None
        outcome = apply_attempt(session, channel, attempt, now=now)
        session.commit()
        return outcome


def poll_due(
    engine: Engine,
    *,
    policy: FetchPolicy,
    workers: int = 4,
    clock: Callable[[], datetime] = utcnow,
    on_polled: Callable[[PollOutcome], None] | None = None,
    stop: threading.Event | None = None,
) -> PollSummary:
    """Poll every channel that is due, `workers` at a time; return what happened."""
    summary = PollSummary()
    stop = stop or threading.Event()
    workers = max(workers, 1)
    claims = [] if stop.is_set() else _claim_batch(engine, workers, clock)
    if not claims:
        return summary  # a cron poll that finds nothing due makes no client, no threads
    # httpx and the guarded transport are imported here, once there is something to fetch.
    from tracker.feeds.fetch import make_client

    def count(outcomes: Sequence[PollOutcome]) -> None:
        for outcome in outcomes:
            summary.add(outcome)
            if on_polled is not None:
                on_polled(outcome)

    with make_client(policy) as client, ThreadPoolExecutor(workers) as pool:
        pending: dict[Future, int] = {}
        # 304s, written together by this thread: one transaction for many, and no worker
        # waits for SQLite's write lock after a fetch.
        unmodified: list[NotModified] = []
        exhausted = False
        while True:
            for claim in claims:
                future = pool.submit(
                    _poll_claimed, engine, claim, policy=policy, client=client, clock=clock
                )
                pending[future] = claim.id
            claims = []
            if not exhausted and not stop.is_set() and len(pending) < workers * 2:
                claims = _claim_batch(engine, workers, clock)
                exhausted = not claims
                continue
            if not pending:
                return summary  # the 304s went with the last result, below
            done, _running = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                result = _result_of(future, pending.pop(future))
                if isinstance(result, NotModified):
                    unmodified.append(result)
                elif result is not None:
                    count([result])
            if len(unmodified) >= workers * 4 or (unmodified and not pending):
                count(_write_not_modified(engine, unmodified))
                unmodified = []


def _write_not_modified(engine: Engine, polls: list[NotModified]) -> list[PollOutcome]:
    """Write the polls whose feeds answered 304 in one transaction; return their outcomes."""
    try:
        with engine.begin() as connection:
            record_not_modified(connection, polls)
    except Exception as error:
        # As for a changed feed: the polls failed, each is recorded as such if it can be.
        reason = f"could not store the poll: {_reason(error)}"
        bug = not isinstance(error, SQLAlchemyError)
        log.warning("%s channels: %s", len(polls), reason, exc_info=bug)
        return [_record_failure(engine, p.claim_id, reason, p.polled_at) for p in polls]
    return [PollOutcome(poll.claim_id, "not_modified") for poll in polls]


def _claim_batch(engine: Engine, workers: int, clock: Callable[[], datetime]) -> list[Claim]:
    with engine.connect() as connection:
        return claim_due(connection, now=clock(), limit=workers * 4)


def _result_of(future: Future, channel_id: int) -> PollOutcome | NotModified | None:
    try:
        return future.result()
    except Exception as error:  # a bug must not end the run; the lease retries the channel
        log.exception("polling channel %s failed unexpectedly", channel_id)
        return PollOutcome(channel_id, "failed", error=f"unexpected error: {error!r}"[:300])


def run_poller(
    engine: Engine,
    *,
    policy: FetchPolicy,
    workers: int,
    stop: threading.Event,
    on_round: Callable[[PollSummary], None] | None = None,
    max_sleep: float = 60.0,
    clock: Callable[[], datetime] = utcnow,
) -> None:
    """Poll what is due, sleep until the next channel is due, repeat until `stop` is set."""
    while not stop.is_set():
        summary = poll_due(engine, policy=policy, workers=workers, stop=stop, clock=clock)
        if on_round is not None and summary.polled:
            on_round(summary)
        with engine.connect() as connection:
            due = next_due_at(connection)
        # New channels are due at once: wake up at least every max_sleep to see them.
        sleep = max_sleep if due is None else (due - clock()).total_seconds()
        stop.wait(min(max(sleep, 0.5), max_sleep))
