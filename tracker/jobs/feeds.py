"""The feeds' background jobs: the periodic poll of due channels."""

from __future__ import annotations

import logging
import threading
import time

from tracker.feeds.channels import fetch_policy
from tracker.feeds.poller import poll_due
from tracker.jobs.registry import JobContext, periodic

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
