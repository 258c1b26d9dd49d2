"""Deliver what hooks owe: claim, POST, log the attempt, back off, pause a failing hook.

Each attempt is logged (status, time, error, duration) for the dashboard. A delivery is
claimed before it is sent (its next attempt moved LEASE ahead with a conditional
UPDATE), so two workers never send it at once; a worker killed mid-send leaves the
claim to expire and the event is sent again, with the same X-Tracker-Delivery id.
Failures (no 2xx within the time limit) are retried after 1, 2, 4 ... minutes, at most
an hour apart; a hook whose attempts have failed for PAUSE_AFTER, with no success in
between, is paused until the founder resumes it.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select, update
from sqlmodel import Session

from tracker.feeds.fetch_policy import FetchPolicy
from tracker.models import Webhook, WebhookAttempt, WebhookDelivery
from tracker.webhooks.messages import Describe, encode_body
from tracker.webhooks.signing import signed_headers

LEASE = timedelta(minutes=2)  # longer than any attempt may take
PAUSE_AFTER = timedelta(days=1)
FIRST_RETRY_SECONDS = 60
MAX_RETRY_SECONDS = 3600
BATCH = 100  # deliveries one look sends at most; the next minute's look takes the rest
USER_AGENT = "tracker-webhooks/0.1 (build-in-public tracker)"
MAX_ERROR_LENGTH = 500
# Delivered events and their attempts are kept this long for the log, then forgotten.
KEEP_DELIVERED = timedelta(days=30)


def retry_delay(attempts: int) -> timedelta:
    """Return the wait before the next attempt after `attempts` failed ones."""
    seconds = FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, MAX_RETRY_SECONDS))


@dataclass(frozen=True)
class Outcome:
    """How one attempt went: the receiver's status, or why there was none."""

    status: int | None
    error: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class DeliverySummary:
    """What one look at the due deliveries did."""

    delivered: int = 0
    failed: int = 0


def webhook_policy(policy: FetchPolicy, timeout_seconds: float) -> FetchPolicy:
    """Return the feeds' address rule with the webhooks' time limit and a small answer."""
    return replace(
        policy,
        total_timeout=timeout_seconds,
        connect_timeout=min(policy.connect_timeout, timeout_seconds),
        max_bytes=64 * 1024,
        user_agent=USER_AGENT,
    )


def send(
    hook: Webhook,
    delivery: WebhookDelivery,
    *,
    policy: FetchPolicy,
    now: datetime,
    describe: Describe,
) -> Outcome:
    """POST the delivery to its hook once and return how it went."""
    # httpx loads with the first delivery, not with the worker.
    from tracker.feeds.fetch import FetchError, post

    body = encode_body(hook.kind, json.loads(delivery.payload), describe=describe)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": policy.user_agent,
        "X-Tracker-Event": delivery.event,
        "X-Tracker-Delivery": delivery.uid,
    }
    if hook.kind == "json" and hook.secret:
        headers.update(signed_headers(hook.secret, timestamp=int(now.timestamp()), body=body))
    started = time.monotonic()
    try:
        answer = post(hook.url, body=body, headers=headers, policy=policy)
    except FetchError as error:
        return Outcome(None, error.reason[:MAX_ERROR_LENGTH], _ms(started))
    if 200 <= answer.status < 300:
        return Outcome(answer.status, None, _ms(started))
    said = f": {answer.excerpt.strip()}" if answer.excerpt.strip() else ""
    return Outcome(answer.status, f"HTTP {answer.status}{said}"[:MAX_ERROR_LENGTH], _ms(started))


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def due_deliveries(session: Session, *, now: datetime, limit: int = BATCH) -> list[int]:
    """Return the ids of pending deliveries of active hooks that are due, oldest first."""
    query = (
        select(WebhookDelivery.id)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(
            WebhookDelivery.state == "pending",
            WebhookDelivery.next_attempt_at <= now,
            Webhook.state == "active",
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def claim(session: Session, delivery_id: int, *, now: datetime) -> bool:
    """Take the delivery for this worker until now + LEASE; False if another took it."""
    result = session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.state == "pending",
            WebhookDelivery.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + LEASE)
    )
    return result.rowcount == 1


def record_outcome(
    session: Session, hook: Webhook, delivery: WebhookDelivery, outcome: Outcome, *, now: datetime
) -> None:
    """Log the attempt; mark the delivery sent, or due again later; pause a hook failing a day."""
    session.add(
        WebhookAttempt(
            webhook_id=hook.id,
            delivery_id=delivery.id,
            attempted_at=now,
            status_code=outcome.status,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
        )
    )
    delivery.attempts += 1
    if outcome.ok:
        delivery.state, delivery.delivered_at = "delivered", now
        hook.failing_since, hook.last_success_at = None, now
    else:
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        hook.failing_since = hook.failing_since or now
        if now - hook.failing_since >= PAUSE_AFTER:
            hook.state, hook.paused_at = "paused", now
    session.add_all([delivery, hook])
    session.flush()


def forget_delivered(session: Session, *, now: datetime) -> int:
    """Delete deliveries sent more than KEEP_DELIVERED ago, with their attempts."""
    result = session.execute(
        delete(WebhookDelivery).where(
            WebhookDelivery.state == "delivered",
            WebhookDelivery.delivered_at < now - KEEP_DELIVERED,
        )
    )
    return result.rowcount or 0


def deliver_due(
    engine: Engine, *, policy: FetchPolicy, now: datetime, describe: Describe
) -> DeliverySummary:
    """Send every due delivery once; a hook that fails is not tried again in this look."""
    summary = DeliverySummary()
    failed_hooks: set[int] = set()
    with Session(engine, expire_on_commit=False) as session:
        for delivery_id in due_deliveries(session, now=now):
            delivery = session.get(WebhookDelivery, delivery_id)
            if delivery is None or delivery.webhook_id in failed_hooks:
                continue
            if not claim(session, delivery_id, now=now):
                session.rollback()
                continue
            session.commit()  # claimed; no transaction stays open while the receiver answers
            hook = session.get(Webhook, delivery.webhook_id)
            outcome = send(hook, delivery, policy=policy, now=now, describe=describe)
            session.refresh(delivery)
            session.refresh(hook)
            record_outcome(session, hook, delivery, outcome, now=now)
            session.commit()
            if outcome.ok:
                summary.delivered += 1
            else:
                summary.failed += 1
                failed_hooks.add(hook.id)
    return summary
