"""The webhooks' background jobs: every minute, owe the news and send what is due."""

from __future__ import annotations

import logging

from sqlmodel import Session

from tracker.feeds.fetch_policy import fetch_policy
from tracker.jobs.registry import JobContext, job, periodic
from tracker.models import utcnow
from tracker.views.webhook_texts import headline
from tracker.webhooks.delivery import deliver_due, forget_delivered, webhook_policy
from tracker.webhooks.events import collect_events

log = logging.getLogger(__name__)
DEFAULT_TIMEOUT_SECONDS = 10


def _policy(context: JobContext):
    timeout = float(context.config.get("WEBHOOK_TIMEOUT_SECONDS") or DEFAULT_TIMEOUT_SECONDS)
    return webhook_policy(fetch_policy(context.config), timeout)


@periodic("webhooks.run", minute="*")
def run_webhooks(context: JobContext) -> None:
    """Record what each hook owes for the news of the last minute, then send what is due."""
    with Session(context.engine, expire_on_commit=False) as session:
        owed = collect_events(session, now=utcnow(), url_for=context.absolute_url)
        forget_delivered(session, now=utcnow())
        session.commit()
    summary = _deliver(context)
    if owed or summary.delivered or summary.failed:
        log.info(
            "webhooks.run: %s owed, %s delivered, %s failed",
            owed,
            summary.delivered,
            summary.failed,
        )


@job("webhooks.deliver")
def deliver_now(context: JobContext) -> None:
    """Send what is due now, as the test button asks."""
    _deliver(context)


def _deliver(context: JobContext):
    # The app's context: chat messages are worded with Flask-Babel in each campaign's language.
    with context.app_context():
        return deliver_due(context.engine, policy=_policy(context), now=utcnow(), describe=headline)
