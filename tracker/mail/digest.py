"""The backers' weekly digest: the week's own updates and milestone changes, by e-mail.

Confirmed subscribers who chose the digest (or both) get, after each week (Monday to Sunday
in the campaign's time zone), what the timeline shows of it; nothing when nothing happened.
A digest covers only a week the reader was subscribed for from its start (one confirmed on a
Wednesday gets the next week's first), and goes out on the Monday after it or never
(tracker/mail/rounds.py): none tells of a time before there were subscriptions. The worker
looks every hour (tracker/jobs/digests.py) and mail_rounds sends each campaign's week once.
Letters are whole when queued: one rendering per language, each with its subscriber's own
unsubscribe link (`compose` writes them).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from tracker.campaigns.timeline import TimelineItem
from tracker.campaigns.week_news import Week, last_week, week_news
from tracker.mail.messages import Letter
from tracker.mail.outbox import queue_letters
from tracker.mail.rounds import count_messages, start_round, too_late
from tracker.models import Campaign, Subscriber

Compose = Callable[[Campaign, Week, list[TimelineItem], Subscriber], Letter]


def _readers(confirmed_by: datetime):
    return (
        Subscriber.state == "confirmed",
        Subscriber.confirmed_at <= confirmed_by,
        Subscriber.receives.in_(("digest", "both")),
        Subscriber.bounced_at.is_(None),
    )


def queue_digests(session: Session, *, now: datetime, compose: Compose) -> int:
    """Queue last week's digest of each campaign with news to its readers, once; return how many."""
    campaign_ids = select(Subscriber.campaign_id).where(*_readers(now)).distinct()
    queued = 0
    for campaign in session.scalars(select(Campaign).where(Campaign.id.in_(campaign_ids))):
        week = last_week(now, campaign.timezone)
        if too_late(week, now):
            continue
        news = week_news(session, campaign, week)
        if not news:
            continue  # nothing happened: nothing is sent
        round_id = start_round(
            session, kind="digest", campaign_id=campaign.id, period=week.key, now=now
        )
        if round_id is None:
            continue
        readers = session.scalars(
            select(Subscriber)
            .where(Subscriber.campaign_id == campaign.id, *_readers(week.start))
            .order_by(Subscriber.id)
        )
        sent = queue_letters(
            session,
            (
                (reader.address, compose(campaign, week, news, reader), reader.id)
                for reader in readers
            ),
            kind="digest",
            campaign_id=campaign.id,
        )
        count_messages(session, round_id, sent)
        queued += sent
    session.flush()
    return queued
