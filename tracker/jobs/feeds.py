"""The feeds' background jobs: the periodic poll, Poll now, finding a new channel's feed."""

from __future__ import annotations

import logging
import threading
import time

from sqlmodel import Session

from tracker.errors import InvalidInput
from tracker.feeds.channel_jobs import (
    finish_job,
    record_found_feed,
    release_lost_jobs,
    start_job,
)
from tracker.feeds.channels import page_fetcher
from tracker.feeds.discovery import DiscoveryError, resolve_feed
from tracker.feeds.fetch_policy import fetch_policy
from tracker.feeds.poller import poll_channel, poll_due
from tracker.jobs.liveness import host_prefix, is_gone, worker_name
from tracker.jobs.registry import JobContext, job, periodic, worker_check
from tracker.models import utcnow

log = logging.getLogger(__name__)
DEFAULT_POLL_WORKERS = 4
# One periodic poll at a time in a worker process: on SQLite two pollers would fetch the
# same channels (claims need row locks); on PostgreSQL, pollers of other workers claim
# other channels.
_polling = threading.Lock()


@periodic("feeds.poll_due", minute="*")
def poll_due_channels(context: JobContext) -> None:
    """Poll every channel that is due, as `tracker feeds poll` does."""
    if not _polling.acquire(blocking=False):
        log.info("feeds.poll_due: the previous poll still runs, skipped")
        return
    started = time.monotonic()
    try:
        summary = poll_due(
            context.engine,
            policy=fetch_policy(context.config),
            workers=int(context.config.get("FEED_POLL_WORKERS") or DEFAULT_POLL_WORKERS),
            stop=context.stop,
        )
    finally:
        _polling.release()
    if summary.polled:
        log.info("feeds.poll_due: %s", summary.line(time.monotonic() - started))


def _reason(error: Exception) -> str:
    lines = str(getattr(error, "orig", None) or error).strip().splitlines()
    return (lines[0] if lines else type(error).__name__)[:300]


@job("feeds.poll_channel")
def poll_channel_now(context: JobContext, channel_id: int, job_id: str) -> None:
    """Poll one channel whatever its schedule ("Poll now"); record how it went on the channel."""
    with Session(context.engine, expire_on_commit=False) as session:
        channel = start_job(session, channel_id, job_id, now=utcnow(), worker=worker_name())
        session.commit()  # the row shows "running"; no transaction stays open while fetching
        if channel is None:
            return
        try:
            outcome = poll_channel(session, channel, policy=fetch_policy(context.config))
        except Exception as error:  # the channel's row says so; the worker goes on
            log.exception("feeds.poll_channel: channel %s failed unexpectedly", channel_id)
            session.rollback()
            error_text = f"unexpected error: {_reason(error)}"
            finish_job(session, channel_id, job_id, now=utcnow(), error=error_text)
            session.commit()
            return
        failed = outcome.status in ("failed", "paused")
        error_text = (outcome.error or "failed") if failed else None
        finish_job(session, channel_id, job_id, now=utcnow(), error=error_text)
        session.commit()


@job("feeds.discover_channel")
def discover_feed(context: JobContext, channel_id: int, job_id: str) -> None:
    """Look for the feed of a channel added on the dashboard; record what was found or why not."""
    with Session(context.engine, expire_on_commit=False) as session:
        channel = start_job(session, channel_id, job_id, now=utcnow(), worker=worker_name())
        session.commit()  # the row shows "running"; no transaction stays open while fetching
        if channel is None:
            return
        fetcher = page_fetcher(fetch_policy(context.config))  # all its fetches share 30 s
        try:
            found = resolve_feed(channel.source_url, fetch_page=fetcher)
            record_found_feed(session, channel, found, now=utcnow())
            finish_job(session, channel_id, job_id, now=utcnow())
            session.commit()
            return
        except DiscoveryError as error:
            reason = str(error)
        except InvalidInput as error:
            reason = "; ".join(error.errors.values())
        except Exception as error:  # a unique feed taken meanwhile, a bug: the row says so
            log.warning("feeds.discover_channel: channel %s: %s", channel_id, error, exc_info=True)
            reason = f"could not follow the feed: {_reason(error)}"
        session.rollback()
        finish_job(session, channel_id, job_id, now=utcnow(), error=reason)
        session.commit()


@worker_check("feeds.release_lost_jobs")
def release_lost_channel_jobs(context: JobContext) -> None:
    """Record as failed the channel jobs of this host's workers that were killed."""
    with Session(context.engine) as session:
        lost = release_lost_jobs(session, host_prefix=host_prefix(), gone=is_gone, now=utcnow())
        session.commit()
    if lost:
        log.warning("feeds: %s job(s) of a worker that stopped marked as failed", lost)
