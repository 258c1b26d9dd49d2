"""Aggregates of a campaign's feedback for the dashboard: sentiment per day, volume per
channel (share of voice) and top voices. Every figure is one SQL aggregate query."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlmodel import Session

from tracker.local_days import day_of_quarter, quarter_hour
from tracker.models import Campaign, Channel, EngagementObservation, Entry, Feedback

TOP_VOICES = 10


@dataclass(frozen=True)
class DailySentiment:
    """One local day of feedback: the average score and the count per label."""

    day: date
    average: float
    positive: int
    neutral: int
    negative: int

    @property
    def total(self) -> int:
        return self.positive + self.neutral + self.negative


@dataclass(frozen=True)
class ChannelVolume:
    """How many comments one channel brought, and its share of all of them."""

    channel_id: int
    title: str
    count: int
    share: float


@dataclass(frozen=True)
class Voice:
    """An author of feedback: posts, engagement and followers where the platform gives them."""

    author: str  # the public handle where the platform gives one, else the feed's name
    posts: int
    engagement: int  # sum over the posts of each metric's latest observed value
    measured_posts: int  # posts with any engagement observation
    last_posted_at: datetime
    followers: int | None = None  # the most the platform reported for them (Mastodon, Bluesky)
    name: str | None = None  # the display name beside a handle


def daily_sentiment(
    session: Session, campaign: Campaign, *, since: datetime | None = None
) -> list[DailySentiment]:
    """Return the campaign's feedback per local day (oldest first), days without any left out."""
    quarter = quarter_hour(Feedback.published_at)
    query = (
        select(quarter, Feedback.label, func.count(), func.sum(Feedback.sentiment))
        .where(Feedback.campaign_id == campaign.id)
        .group_by(quarter, Feedback.label)
    )
    if since is not None:
        query = query.where(Feedback.published_at >= since)
    by_day: dict[date, list] = defaultdict(lambda: [0.0, 0, Counter()])  # the campaign's days
    for value, label, n, total in session.execute(query):
        day = by_day[day_of_quarter(value, campaign.timezone)]
        day[0] += float(total)
        day[1] += n
        day[2][label] += n
    return [
        DailySentiment(
            day,
            round(total / n, 4),
            labels["positive"],
            labels["neutral"],
            labels["negative"],
        )
        for day, (total, n, labels) in sorted(by_day.items())
    ]


def channel_volume(
    session: Session, campaign: Campaign, *, since: datetime | None = None
) -> list[ChannelVolume]:
    """Return the comments per feedback channel, most first, with each one's share."""
    query = (
        select(Channel.id, Channel.title, Channel.source_url, func.count(Feedback.entry_id))
        .join(Feedback, Feedback.channel_id == Channel.id)
        .where(Channel.campaign_id == campaign.id)
        .group_by(Channel.id, Channel.title, Channel.source_url)
        .order_by(func.count(Feedback.entry_id).desc(), Channel.id)
    )
    if since is not None:
        query = query.where(Feedback.published_at >= since)
    rows = session.execute(query).all()
    total = sum(n for *_, n in rows)
    return [
        ChannelVolume(channel_id, title or source_url, n, n / total if total else 0.0)
        for channel_id, title, source_url, n in rows
    ]


def _engagement_per_entry(campaign: Campaign):
    # An observation is stored only when a value changed, so the highest id of an
    # (entry, metric) is its current value.
    latest = (
        select(func.max(EngagementObservation.id))
        .join(Feedback, Feedback.entry_id == EngagementObservation.entry_id)
        .where(Feedback.campaign_id == campaign.id)
        .group_by(EngagementObservation.entry_id, EngagementObservation.metric)
    )
    return (
        select(
            EngagementObservation.entry_id.label("entry_id"),
            func.sum(EngagementObservation.value).label("engagement"),
        )
        .where(EngagementObservation.id.in_(latest))
        .group_by(EngagementObservation.entry_id)
        .subquery()
    )


VOICE_ORDERS = ("posts", "engagement", "followers")


def top_voices(
    session: Session, campaign: Campaign, *, by: str = "posts", limit: int = TOP_VOICES
) -> list[Voice]:
    """Return the authors with most posts, most engagement or (opinion leaders) followers."""
    engagement = _engagement_per_entry(campaign)
    # A handle names one account; display names may repeat, so they only stand beside it.
    who = func.coalesce(Entry.author_handle, Entry.author)
    posts = func.count(Feedback.entry_id)
    total = func.coalesce(func.sum(engagement.c.engagement), 0)
    followers = func.max(Entry.author_followers)
    order = {
        "posts": (posts.desc(), total.desc()),
        "engagement": (total.desc(), posts.desc()),
        # Opinion leaders: one reply from a 50,000-follower account before many small ones.
        "followers": (followers.desc(), posts.desc()),
    }[by]
    query = (
        select(
            who,
            posts,
            total,
            func.count(engagement.c.entry_id),
            func.max(Feedback.published_at),
            followers,
            func.max(case((Entry.author_handle.is_not(None), Entry.author))),
        )
        .select_from(Feedback)
        .join(Entry, Entry.id == Feedback.entry_id)
        .outerjoin(engagement, engagement.c.entry_id == Feedback.entry_id)
        .where(Feedback.campaign_id == campaign.id, who.is_not(None), who != "")
        .group_by(who)
        .order_by(*order, who)
        .limit(limit)
    )
    if by == "engagement":
        query = query.having(func.count(engagement.c.entry_id) > 0)
    elif by == "followers":
        query = query.having(followers.is_not(None))
    return [
        Voice(author, int(n), int(eng), int(measured), last, count, name or None)
        for author, n, eng, measured, last, count, name in session.execute(query)
    ]
