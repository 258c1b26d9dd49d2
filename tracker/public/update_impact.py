"""What each own update did: pledges and feedback in the 48 h after it, against the usual."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.campaigns.timeline import last_update_at
from tracker.models import Campaign, Channel, Entry, Feedback, Pledge
from tracker.pledges.funding import LOST

WINDOW = timedelta(hours=48)
BASELINE = timedelta(days=7)


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
    since = last.date() if last else campaign.starts_on
    silent = (today - since).days
    return silent if silent > campaign.cadence_days and today >= campaign.starts_on else None


def update_impacts(session: Session, campaign: Campaign, *, limit: int = 30) -> list[UpdateImpact]:
    """Rank the campaign's latest updates by the amount pledged in the 48 h after them."""
    updates = session.execute(
        select(Entry.id, Entry.title, Entry.link, Entry.published_at)
        .join(Channel, Channel.id == Entry.channel_id)
        .where(
            Entry.campaign_id == campaign.id, Channel.role == "updates", Entry.parent_id.is_(None)
        )
        .order_by(Entry.published_at.desc())
        .limit(limit)
    ).all()
    impacts = [_impact(session, campaign, *row) for row in updates]
    return sorted(impacts, key=lambda i: (i.amount_after_minor, i.pledges_after), reverse=True)


def _pledged(session, campaign, start, end) -> tuple[int, int]:
    count, amount = session.execute(
        select(func.count(), func.coalesce(func.sum(Pledge.amount_minor), 0)).where(
            Pledge.campaign_id == campaign.id,
            Pledge.currency == campaign.currency,
            Pledge.status.not_in(LOST),
            Pledge.pledged_at >= start,
            Pledge.pledged_at < end,
        )
    ).one()
    return count, int(amount)


def _impact(session, campaign, entry_id, title, link, published_at) -> UpdateImpact:
    after_count, after_amount = _pledged(session, campaign, published_at, published_at + WINDOW)
    before_count, before_amount = _pledged(session, campaign, published_at - BASELINE, published_at)
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
    )
