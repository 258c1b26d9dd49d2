"""The jobs the dashboard asks the worker to do for a channel, and how far each got.

No web request fetches: "Poll now", and adding a channel whose feed must be looked for,
record a job on the channel ("queued") and the view hands it to the queue; the worker
marks it "running", then "done" or "failed" with the reason. The channel's row shows that
state and asks again every 2 s while the job is on its way.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from tracker.connectors.channels import add_connector_channel, check_platform_shape
from tracker.connectors.kinds import choose_kind
from tracker.errors import InvalidInput
from tracker.feeds.channels import (
    MAX_URL_LENGTH,
    AddedChannel,
    add_channel,
    check_not_followed,
    check_pasted,
    create_channel,
    hand_kept_platform,
)
from tracker.feeds.discovery import DiscoveryError, Resolution, page_url, resolve_without_fetching
from tracker.feeds.fetch_policy import FetchPolicy, refuse_unreachable
from tracker.models import Campaign, Channel
from tracker.models.feeds import PENDING_ORIGIN

PENDING = ("queued", "running")
# A job queued or running this long is taken for lost (no worker, or one killed mid-job on
# another host): the row stops asking, and Poll now may queue it again. A job of a killed
# worker on this host is recorded as failed sooner, by the next worker's check
# (release_lost_jobs).
STALE = timedelta(minutes=5)
# Queued this long without a worker taking it: the row says a worker may not be running.
SLOW = timedelta(minutes=1)
MAX_ERROR_LENGTH = 1000
LOST_JOB = "the worker stopped before the job finished (killed?): try again"


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


def start_job(
    session: Session, channel_id: int, job_id: str, *, now: datetime, worker: str | None = None
) -> Channel | None:
    """Mark the job running (by `worker`); return its channel, or None if it is no longer the
    one asked for."""
    channel = session.get(Channel, channel_id)
    if channel is None or channel.job_id != job_id:
        return None  # the channel is gone, or a newer request replaced this one
    channel.job_state, channel.job_at, channel.job_worker = "running", now, worker
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


def release_lost_jobs(
    session: Session, *, host_prefix: str, gone: Callable[[str], bool], now: datetime
) -> int:
    """Record as failed the running jobs of this host's workers that are gone; return how many."""
    running = session.scalars(
        select(Channel).where(
            Channel.job_state == "running", Channel.job_worker.startswith(host_prefix)
        )
    ).all()
    lost = [channel for channel in running if gone(channel.job_worker)]
    for channel in lost:
        channel.job_state, channel.job_error, channel.job_at = "failed", LOST_JOB, now
        session.add(channel)
    session.flush()
    return len(lost)


def add_channel_later(
    session: Session,
    campaign: Campaign,
    *,
    text: str,
    role: str,
    policy: FetchPolicy,
    now: datetime,
    github_commits: bool = False,
    max_channels: int,
    kind: str | None = None,
) -> AddedChannel:
    """Follow what the founder pasted, leaving every fetch to the worker.

    The kind is `kind`, or detected as `tracker feeds add` detects it (choose_kind): a
    connector's kind is followed at once; for a feed, known URL patterns and profiles on
    platforms without feeds are followed at once, and any other URL is checked (syntax,
    an address the poller may reach) and becomes a channel whose feed the worker looks
    for: its "discover" job is recorded, the caller queues it.
    """
    text = (text or "").strip()
    if len(text) > MAX_URL_LENGTH:
        raise InvalidInput({"url": "Use at most 2000 characters."})
    check_pasted(text)
    if (kind := choose_kind(text, kind)) != "feed":
        channel = add_connector_channel(
            session, campaign, url=text, kind=kind, role=role, max_channels=max_channels
        )
        return AddedChannel(channel, [f"followed through the {kind} connector"])
    check_platform_shape(text)
    if hand_kept_platform(text) is None:
        try:
            known = resolve_without_fetching(text, github_commits=github_commits)
        except DiscoveryError as error:
            raise InvalidInput({"url": str(error)}) from None
        if known is None:
            refuse_unreachable(page_url(text), policy)
            channel = create_channel(
                session,
                campaign,
                role=role,
                origin=PENDING_ORIGIN,
                feed_url=None,
                source_url=text,
                now=now,
                max_channels=max_channels,
            )
            request_job(session, channel, "discover", now=now)
            return AddedChannel(channel, ["looked for by the worker"])
    return add_channel(
        session,
        campaign,
        text=text,
        role=role,
        fetch_page=None,  # nothing to fetch for these
        github_commits=github_commits,
        max_channels=max_channels,
    )


def record_found_feed(
    session: Session, channel: Channel, resolution: Resolution, *, now: datetime
) -> None:
    """Give a pending channel the feed the worker found; it is due for its first poll."""
    campaign = session.get(Campaign, channel.campaign_id)
    check_not_followed(session, campaign, resolution.feed_url, other_than=channel.id)
    channel.feed_url, channel.origin = resolution.feed_url, resolution.kind[:30]
    channel.polled, channel.next_poll_at = True, now
    session.add(channel)
    session.flush()


def remove_unfound(session: Session, channel: Channel) -> None:
    """Remove a channel whose feed was never found; one with a feed stays."""
    if channel.origin != PENDING_ORIGIN or channel.feed_url is not None:
        raise InvalidInput({"channel": "Only a channel whose feed was not found can be removed."})
    session.delete(channel)
    session.flush()
