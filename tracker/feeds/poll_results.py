"""Store what one poll found: entries or a connector's reading, validators, errors, the next poll.

`apply_attempt` writes an Attempt on its channel and flushes; the caller commits. The ORM
side (the entry store, feedback scoring, the connectors' stores) is imported by the
functions that use them, on the first feed that changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tracker.feeds.attempts import Attempt
from tracker.feeds.poll_outcomes import PollOutcome
from tracker.feeds.schedule import next_poll_at, should_pause

if TYPE_CHECKING:
    from sqlmodel import Session

    from tracker.feeds.fetch import FetchResult
    from tracker.feeds.parsing import FeedEntry
    from tracker.feeds.store import StoreResult
    from tracker.models import Channel

MAX_ERROR_LENGTH = 1000


def receive_entries(
    session: Session,
    channel: Channel,
    entries: Sequence[FeedEntry],
    *,
    now: datetime,
    source: str = "feed",
) -> StoreResult:
    """Store a channel's entries and hand the new ones of a feedback channel to scoring."""
    from tracker.feedback.scoring import score_entries  # entries to store: the ORM is loaded
    from tracker.feeds.store import store_entries

    result = store_entries(session, channel, entries, now=now, source=source)
    if result.new_ids and channel.role == "feedback":
        score_entries(session, result.new_ids)  # follower feedback is scored on arrival
    return result


def fail_channel(channel: Channel, attempt: Attempt, now: datetime) -> PollOutcome:
    channel.consecutive_errors += 1
    channel.last_error = (attempt.error or "unknown error")[:MAX_ERROR_LENGTH]
    channel.last_error_at = now
    channel.next_poll_at = next_poll_at(
        now=now,
        base_interval=timedelta(seconds=channel.poll_interval),
        consecutive_errors=channel.consecutive_errors,
        retry_after=attempt.retry_after,
    )
    status = "failed"
    if should_pause(channel.consecutive_errors) and channel.state == "active":
        channel.state, channel.paused_at, status = "paused", now, "paused"
    return PollOutcome(channel.id, status, error=channel.last_error)


def _store_reading(session: Session, channel: Channel, reading: object, now: datetime):
    """Store a connector's reading: (new observations, None), or (0, why it was refused)."""
    from tracker.connectors.api import ApiError  # a connector channel's data
    from tracker.connectors.registry import store_reading

    try:
        return store_reading(session, channel, reading, now=now), None
    except ApiError as error:  # what was read does not fit the campaign (its currency)
        return 0, error.reason


def next_after_success(now: datetime, interval: int, fetched: FetchResult) -> datetime:
    return next_poll_at(
        now=now,
        base_interval=timedelta(seconds=interval),
        retry_after=fetched.retry_after,
        max_age=fetched.max_age,
        expires=fetched.expires,
    )


def apply_attempt(session: Session, channel: Channel, attempt: Attempt, *, now: datetime):
    """Write what a poll found: entries, validators, errors and the next poll time."""
    channel.last_polled_at = now
    new = 0
    if attempt.error is None and attempt.reading is not None:
        new, refusal = _store_reading(session, channel, attempt.reading, now)
        if refusal is not None:
            attempt = Attempt(error=refusal)
    if attempt.error is not None or attempt.fetched is None:
        outcome = fail_channel(channel, attempt, now)
        session.add(channel)
        session.flush()
        return outcome
    fetched, parsed = attempt.fetched, attempt.parsed
    if parsed is not None:
        channel.last_warning = parsed.warning
        if not channel.title and parsed.title:
            channel.title = parsed.title[:200]
        new = receive_entries(session, channel, parsed.entries, now=now).new
    if parsed is not None and parsed.problem:
        # What could be read is stored, but the channel fails (backoff, then a pause) while
        # its feed carries such entries. The old validators stay, so that a 304 cannot
        # make it look healthy again.
        failed = Attempt(error=parsed.problem, retry_after=fetched.retry_after)
        outcome = replace(fail_channel(channel, failed, now), new=new)
    else:
        channel.consecutive_errors = 0
        channel.last_success_at = now
        channel.etag, channel.last_modified = fetched.etag, fetched.last_modified
        channel.next_poll_at = next_after_success(now, channel.poll_interval, fetched)
        changed = parsed is not None or attempt.reading is not None
        outcome = PollOutcome(channel.id, "updated" if changed else "not_modified", new)
    session.add(channel)
    session.flush()
    return outcome
