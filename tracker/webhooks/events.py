"""Turn what happened in a campaign into deliveries its hooks owe.

The worker looks every minute (tracker/jobs/webhooks.py): for each active hook, what
happened between its `events_until` and a minute ago becomes one delivery per event and
hook (unique, so two workers looking at once owe it once). News is:

- an update: a new entry of one of the campaign's own channels (role "updates"),
  first seen in that window and published after the hook was made, so a channel's
  first poll does not replay its archive;
- a change of a public milestone's status or planned date, once MERGE_WINDOW has
  passed and the change can no longer be corrected away;
- a published report.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from tracker.campaigns.milestone_changes import MERGE_WINDOW
from tracker.feeds.store import dialect_insert
from tracker.models import (
    Campaign,
    Channel,
    Entry,
    Milestone,
    MilestoneChange,
    PublishedReport,
    Webhook,
    WebhookDelivery,
)

# Rows are stamped before their transaction commits: a look that stops this far behind
# the clock does not pass an entry or report a slow transaction has yet to show.
SETTLE = timedelta(minutes=1)
SUMMARY_MAX = 500

UrlFor = Callable[..., str]


def campaign_part(campaign: Campaign, url_for: UrlFor) -> dict:
    """Return the campaign as every event names it."""
    return {
        "campaign": {
            "slug": campaign.slug,
            "title": campaign.title,
            "language": campaign.language,  # of the chat messages' words
            "url": url_for("public.campaign", slug=campaign.slug),
        }
    }


def collect_events(session: Session, *, now: datetime, url_for: UrlFor) -> int:
    """Record the deliveries every active hook owes for news up to now; return how many."""
    hooks = session.scalars(select(Webhook).where(Webhook.state == "active")).all()
    until = now - SETTLE
    owed = 0
    for hook in hooks:
        if until <= hook.events_until:
            continue
        campaign = session.get(Campaign, hook.campaign_id)
        events = sorted(
            _events(session, hook, campaign, until=until, url_for=url_for),
            key=lambda keyed: datetime.fromisoformat(keyed[1]["occurred_at"]),  # as they happened
        )
        owed += _owe(session, hook, events, now=now)
        hook.events_until = until
        session.add(hook)
    session.flush()
    return owed


def _events(
    session: Session, hook: Webhook, campaign: Campaign, *, until: datetime, url_for: UrlFor
) -> Iterator[tuple[str, dict]]:
    since, base = hook.events_until, campaign_part(campaign, url_for)
    updates = session.execute(
        select(Entry, Channel.title)
        .join(Channel, Channel.id == Entry.channel_id)
        .where(
            Entry.campaign_id == campaign.id,
            Channel.role == "updates",
            Entry.parent_id.is_(None),  # replies under own posts are feedback, not news
            Entry.first_seen_at > since,
            Entry.first_seen_at <= until,
            Entry.published_at >= hook.created_at,
        )
        .order_by(Entry.first_seen_at, Entry.id)
    ).all()
    for entry, channel_title in updates:
        yield (
            f"entry:{entry.id}",
            {
                "event": "update.published",
                "occurred_at": entry.published_at.isoformat(),
                **base,
                "update": {
                    "title": entry.title,
                    "url": entry.link or url_for("public.timeline", slug=campaign.slug),
                    "summary": entry.summary_text[:SUMMARY_MAX],
                    "channel": channel_title,
                    "published_at": entry.published_at.isoformat(),
                },
            },
        )
    changes = session.execute(
        select(MilestoneChange, Milestone)
        .join(Milestone, Milestone.id == MilestoneChange.milestone_id)
        .where(
            Milestone.campaign_id == campaign.id,
            Milestone.is_public,
            MilestoneChange.old_value.is_not(None),  # a milestone's creation is no change
            MilestoneChange.changed_at > max(since - MERGE_WINDOW, hook.created_at),
            MilestoneChange.changed_at <= until - MERGE_WINDOW,
        )
        .order_by(MilestoneChange.changed_at, MilestoneChange.id)
    ).all()
    for change, milestone in changes:
        yield (
            f"milestone_change:{change.id}",
            {
                "event": "milestone.changed",
                "occurred_at": change.changed_at.isoformat(),
                **base,
                "milestone": {
                    "title": milestone.title,
                    "status": milestone.status,
                    "due_on": milestone.due_on.isoformat(),
                },
                "change": {
                    "field": change.field,
                    "from": change.old_value,
                    "to": change.new_value,
                    "reason": change.reason,
                },
            },
        )
    reports = session.scalars(
        select(PublishedReport)
        .where(
            PublishedReport.campaign_id == campaign.id,
            PublishedReport.issued_at > since,
            PublishedReport.issued_at <= until,
        )
        .order_by(PublishedReport.version)
    ).all()
    for report in reports:
        yield (
            f"report:{report.id}",
            {
                "event": "report.published",
                "occurred_at": report.issued_at.isoformat(),
                **base,
                "report": {
                    "title": report.title,
                    "version": report.version,
                    "period_start": report.period_start.isoformat(),
                    "period_end": report.period_end.isoformat(),
                    "language": report.language,
                    "url": url_for(
                        "reports.published_pdf", slug=campaign.slug, version=report.version
                    ),
                },
            },
        )


def _owe(session: Session, hook: Webhook, events: list[tuple[str, dict]], *, now: datetime) -> int:
    """Insert the hook's deliveries, skipping events it already owes; return how many new."""
    if not events:
        return 0
    rows = []
    for key, event in events:
        uid = uuid.uuid4().hex
        rows.append(
            {
                "webhook_id": hook.id,
                "uid": uid,
                "event": event["event"],
                "event_key": key,
                "payload": json.dumps({**event, "delivery": uid}),
                "state": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
        )
    insert = dialect_insert(session, WebhookDelivery.__table__)
    # Counted from RETURNING: psycopg's rowcount counts rows skipped on conflict too.
    inserted = session.scalars(
        insert.values(rows)
        .on_conflict_do_nothing(index_elements=["webhook_id", "event_key"])
        .returning(WebhookDelivery.__table__.c.id)
    ).all()
    return len(inserted)
