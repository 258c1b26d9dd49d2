"""A campaign's webhooks: add, list, remove, resume, and queue a test message."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlmodel import Session

from tracker.errors import InvalidInput, NotFound
from tracker.feeds.fetch_policy import FetchPolicy, refuse_unreachable
from tracker.models import WEBHOOK_KINDS, Campaign, Webhook, WebhookAttempt, WebhookDelivery
from tracker.validation import parse_id
from tracker.webhooks.events import campaign_part
from tracker.webhooks.signing import make_secret

MAX_HOOKS_PER_CAMPAIGN = 10
MAX_URL_LENGTH = 2000


def hooks_of(session: Session, campaign: Campaign) -> list[Webhook]:
    """Return the campaign's hooks, oldest first."""
    query = select(Webhook).where(Webhook.campaign_id == campaign.id).order_by(Webhook.id)
    return list(session.scalars(query))


def get_hook(session: Session, campaign: Campaign, hook_id: object) -> Webhook:
    """Return the campaign's hook with that id; NotFound for any other."""
    try:
        hook = session.get(Webhook, parse_id(hook_id, field="hook"))
    except InvalidInput:
        hook = None
    if hook is None or hook.campaign_id != campaign.id:
        raise NotFound("no such webhook")
    return hook


def check_hook_url(url: str, policy: FetchPolicy) -> str:
    """Return the URL stripped; InvalidInput unless it is http(s) to an address we may reach."""
    url = (url or "").strip()
    if not url:
        raise InvalidInput({"url": "Give the webhook's URL."})
    if len(url) > MAX_URL_LENGTH:
        raise InvalidInput({"url": f"Use at most {MAX_URL_LENGTH} characters."})
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise InvalidInput({"url": "This is not a URL."}) from None
    if parts.scheme not in ("http", "https") or not host:
        raise InvalidInput({"url": "Use an http:// or https:// URL."})
    if any(char.isspace() for char in url):
        raise InvalidInput({"url": "A URL has no spaces."})
    refuse_unreachable(url, policy)
    return url


def add_hook(
    session: Session,
    campaign: Campaign,
    *,
    kind: str,
    url: str,
    policy: FetchPolicy,
    now: datetime,
) -> Webhook:
    """Add a hook; it receives what happens from now on (a json hook gets its secret)."""
    if kind not in WEBHOOK_KINDS:
        raise InvalidInput({"kind": "Choose Discord, Slack or JSON."})
    url = check_hook_url(url, policy)
    if len(hooks_of(session, campaign)) >= MAX_HOOKS_PER_CAMPAIGN:
        raise InvalidInput({"url": f"A campaign has at most {MAX_HOOKS_PER_CAMPAIGN} webhooks."})
    hook = Webhook(
        campaign_id=campaign.id,
        kind=kind,
        url=url,
        secret=make_secret() if kind == "json" else None,
        created_at=now,
        events_until=now,
    )
    session.add(hook)
    session.flush()
    return hook


def remove_hook(session: Session, hook: Webhook) -> None:
    """Remove the hook with its deliveries and their log."""
    session.delete(hook)
    session.flush()


def resume_hook(session: Session, hook: Webhook, *, now: datetime) -> None:
    """Resume a paused hook: what it still owes is tried now, news while paused is skipped."""
    if hook.state != "paused":
        return
    hook.state, hook.paused_at, hook.failing_since = "active", None, None
    hook.events_until = max(hook.events_until, now)
    session.add(hook)
    session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == hook.id, WebhookDelivery.state == "pending")
        .values(next_attempt_at=now)
    )
    session.flush()


def queue_ping(
    session: Session,
    hook: Webhook,
    campaign: Campaign,
    *,
    url_for: Callable[..., str],
    now: datetime,
) -> WebhookDelivery:
    """Owe the hook a test message, due at once; the caller queues the delivery job."""
    event = {"event": "ping", "occurred_at": now.isoformat(), **campaign_part(campaign, url_for)}
    uid = uuid.uuid4().hex
    delivery = WebhookDelivery(
        webhook_id=hook.id,
        uid=uid,
        event="ping",
        event_key=f"ping:{uid}",
        payload=json.dumps({**event, "delivery": uid}),
        next_attempt_at=now,
        created_at=now,
    )
    session.add(delivery)
    session.flush()
    return delivery


def recent_attempts(
    session: Session, hooks: Sequence[Webhook], *, limit: int = 10
) -> dict[int, list[tuple[WebhookAttempt, str]]]:
    """Return each hook's newest attempts with their event, newest first."""
    found: dict[int, list[tuple[WebhookAttempt, str]]] = {}
    for hook in hooks:
        rows = session.execute(
            select(WebhookAttempt, WebhookDelivery.event)
            .join(WebhookDelivery, WebhookDelivery.id == WebhookAttempt.delivery_id)
            .where(WebhookAttempt.webhook_id == hook.id)
            .order_by(WebhookAttempt.attempted_at.desc(), WebhookAttempt.id.desc())
            .limit(limit)
        ).all()
        found[hook.id] = [(attempt, event) for attempt, event in rows]
    return found


def export_hooks(session: Session, campaign: Campaign) -> list[dict]:
    """Return the hooks for the export: URLs masked, the signing secret never."""
    # A Discord or Slack URL is a working credential and a backup file travels: the
    # founder re-enters the URL on restore (a json hook then gets a new secret).
    return [
        {
            "kind": hook.kind,
            "url": masked_url(hook.url),
            "state": hook.state,
            "created_at": hook.created_at.isoformat(),
            "paused_at": hook.paused_at.isoformat() if hook.paused_at else None,
            "last_success_at": hook.last_success_at.isoformat() if hook.last_success_at else None,
        }
        for hook in hooks_of(session, campaign)
    ]


def masked_url(url: str) -> str:
    """Return the URL's host and the end of its path: a Discord or Slack URL is a secret."""
    parts = urlsplit(url)
    tail = parts.path.rstrip("/")[-4:]
    return (
        f"{parts.scheme}://{parts.netloc}/…{tail}" if tail else f"{parts.scheme}://{parts.netloc}/"
    )
