"""The jobs the dashboard asks the worker to do for a channel, and how far each got.

No web request fetches: "Poll now", and adding a channel whose feed must be looked for,
record a job on the channel ("queued") and the view hands it to the queue; the worker
marks it "running", then "done" or "failed" with the reason. The channel's row shows that
state and asks again every 2 s while the job is on its way.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from tracker.models import Channel

PENDING = ("queued", "running")
# A job queued or running this long is taken for lost (no worker, or one killed mid-job):
# the row stops asking, and Poll now may queue it again.
STALE = timedelta(minutes=5)
# Queued this long without a worker taking it: the row says a worker may not be running.
SLOW = timedelta(minutes=1)
MAX_ERROR_LENGTH = 1000


@dataclass(frozen=True)
class JobView:
    """A channel's last job as its row shows it."""

    job: str  # poll or discover
    state: str  # queued, running, done or failed
    at: datetime
    error: str | None
    pending: bool  # queued or running, and not stale: the row asks again
    waiting_long: bool  # queued longer than SLOW


def job_view(channel: Channel, *, now: datetime) -> JobView | None:
    """Return the channel's last job for its row, or None when none was asked for."""
    if channel.job is None or channel.job_state is None or channel.job_at is None:
        return None
    age = now - channel.job_at
    pending = channel.job_state in PENDING and age < STALE
    waiting_long = channel.job_state == "queued" and age >= SLOW
    return JobView(
        channel.job, channel.job_state, channel.job_at, channel.job_error, pending, waiting_long
    )


def request_job(session: Session, channel: Channel, job: str, *, now: datetime) -> str | None:
    """Record that `job` is asked for the channel; return its id, None if one is on its way."""
    view = job_view(channel, now=now)
    if view is not None and view.pending and view.job == job:
        return None  # a second click while the first job waits gets the same job
    channel.job, channel.job_state, channel.job_id = job, "queued", uuid.uuid4().hex
    channel.job_at, channel.job_error = now, None
    session.add(channel)
    session.flush()
    return channel.job_id


def start_job(session: Session, channel_id: int, job_id: str, *, now: datetime) -> Channel | None:
    """Mark the job running; return its channel, or None if it is no longer the one asked for."""
    channel = session.get(Channel, channel_id)
    if channel is None or channel.job_id != job_id:
        return None  # the channel is gone, or a newer request replaced this one
    channel.job_state, channel.job_at = "running", now
    session.add(channel)
    session.flush()
    return channel


def finish_job(
    session: Session, channel_id: int, job_id: str, *, now: datetime, error: str | None = None
) -> None:
    """Record the job as done, or as failed with the reason."""
    channel = session.get(Channel, channel_id)
    if channel is None or channel.job_id != job_id:
        return
    channel.job_state = "failed" if error else "done"
    channel.job_error = error[:MAX_ERROR_LENGTH] if error else None
    channel.job_at = now
    session.add(channel)
    session.flush()
