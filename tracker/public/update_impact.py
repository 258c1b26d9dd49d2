"""What each own update did: pledges and feedback in the 48 h after it, against the usual;
its reach (followers when posted) and engagement curve where the platform counts them."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.campaigns.timeline import last_update_at
from tracker.dates import local_day
from tracker.models import Campaign, Channel, Entry, Feedback
from tracker.pledges.pledge_windows import pledged_between
from tracker.public.update_reach import post_reach

WINDOW = timedelta(hours=48)
BASELINE = timedelta(days=7)
RANKINGS = ("pledges", "engagement")


@dataclass(frozen=True)
class UpdateImpact:
    """Pledges and feedback after one update, and the baseline it is measured against."""

    entry_id: int
    title: str
    link: str | None
    published_at: datetime
    pledges_after: int
    amount_after_minor: int
    expected_pledges: float  # the 7 days before, as a daily average, times two days
    expected_amount_minor: float
    feedback_after: int
    sentiment_after: float | None
    reach: int | None = None  # the channel's followers when it was posted
    engagement_first_hour: int | None = None  # None: not observed within that time
    engagement_first_day: int | None = None
    engagement_total: int | None = None  # None: the platform counts nothing for it

    @property
    def amount_lift(self) -> float | None:
        """Return the amount after as a multiple of the usual, None without a baseline."""
        if not self.expected_amount_minor:
            return None
        return self.amount_after_minor / self.expected_amount_minor


def update_silence(session: Session, campaign: Campaign, *, today: date) -> int | None:
    """Return how many days the last own update is older than the cadence allows, if it is.

    A campaign without any update is silent since its start.
    """
    last = last_update_at(session, campaign)
    since = local_day(last, campaign.timezone) if last else campaign.starts_on
    silent = (today - since).days
    return silent if silent > campaign.cadence_days and today >= campaign.starts_on else None


def update_impacts(
    session: Session, campaign: Campaign, *, limit: int = 30, by: str = "pledges"
) -> list[UpdateImpact]:
    """Rank the campaign's latest updates by the amount pledged in the 48 h after them,
    or (by="engagement") by their engagement so far."""
    updates = session.execute(
        select(Entry.id, Entry.title, Entry.link, Entry.published_at)
        .join(Channel, Channel.id == Entry.channel_id)
        .where(
            Entry.campaign_id == campaign.id, Channel.role == "updates", Entry.parent_id.is_(None)
        )
        .order_by(Entry.published_at.desc())
        .limit(limit)
    ).all()
    reach = post_reach(session, [row.id for row in updates])
    impacts = [_impact(session, campaign, *row, reach=reach.get(row.id)) for row in updates]
    if by == "engagement":
        return sorted(
            impacts, key=lambda i: (i.engagement_total or 0, i.amount_after_minor), reverse=True
        )
    return sorted(impacts, key=lambda i: (i.amount_after_minor, i.pledges_after), reverse=True)


def _impact(session, campaign, entry_id, title, link, published_at, *, reach) -> UpdateImpact:
    after_count, after_amount = pledged_between(
        session, campaign, published_at, published_at + WINDOW
    )
    before_count, before_amount = pledged_between(
        session, campaign, published_at - BASELINE, published_at
    )
    scale = WINDOW / BASELINE  # seven days' pledges scaled to a 48 h window
    feedback, sentiment = session.execute(
        select(func.count(), func.avg(Feedback.sentiment)).where(
            Feedback.campaign_id == campaign.id,
            Feedback.published_at >= published_at,
            Feedback.published_at < published_at + WINDOW,
        )
    ).one()
    return UpdateImpact(
        entry_id=entry_id,
        title=title,
        link=link,
        published_at=published_at,
        pledges_after=after_count,
        amount_after_minor=after_amount,
        expected_pledges=before_count * scale,
        expected_amount_minor=before_amount * scale,
        feedback_after=feedback,
        sentiment_after=round(float(sentiment), 3) if sentiment is not None else None,
        reach=reach.followers if reach else None,
        engagement_first_hour=reach.first_hour if reach else None,
        engagement_first_day=reach.first_day if reach else None,
        engagement_total=reach.total if reach else None,
    )
