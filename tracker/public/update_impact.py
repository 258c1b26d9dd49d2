"""What each own update did: pledges and feedback in the 48 h after it, against the usual;
its reach (followers when posted) and engagement curve where the platform counts them.
Pledges come from the ledger where it covers a window, else from recorded totals
(tracker.pledges.pledge_windows), else they are unknown (None), never a made-up zero."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.campaigns.timeline import last_update_at
from tracker.dates import local_day
from tracker.models import Campaign, Channel, Entry, Feedback, utcnow
from tracker.pledges.pledge_windows import pledged_in
from tracker.pledges.update_effects import pledges_known_until
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
    pledges_after: int | None  # None: neither the ledger nor totals cover the 48 h
    amount_after_minor: int | None
    pledges_source: str | None  # "ledger", "totals" (approximate) or None
    expected_pledges: float | None  # the 7 days before, as a daily average, times two days
    expected_amount_minor: float | None
    feedback_after: int
    sentiment_after: float | None
    reach: int | None = None  # the channel's followers when it was posted
    engagement_first_hour: int | None = None  # None: not observed within that time
    engagement_first_day: int | None = None
    engagement_total: int | None = None  # None: the platform counts nothing for it

    @property
    def amount_lift(self) -> float | None:
        """Return the amount after as a multiple of the usual, None without a baseline."""
        if not self.expected_amount_minor or self.amount_after_minor is None:
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
    session: Session,
    campaign: Campaign,
    *,
    limit: int = 30,
    by: str = "pledges",
    now: datetime | None = None,
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
    now = now or utcnow()
    reach = post_reach(session, [row.id for row in updates])
    known = {"ledger_until": pledges_known_until(session, campaign, now=now), "now": now}
    impacts = [
        _impact(session, campaign, *row, reach=reach.get(row.id), known=known) for row in updates
    ]
    if by == "engagement":
        return sorted(
            impacts,
            key=lambda i: (i.engagement_total or 0, i.amount_after_minor or 0),
            reverse=True,
        )
    # Unknown windows last: they are not quiet, just not counted.
    return sorted(
        impacts,
        key=lambda i: (
            i.pledges_source is not None,
            i.amount_after_minor or 0,
            i.pledges_after or 0,
        ),
        reverse=True,
    )


def _impact(
    session, campaign, entry_id, title, link, published_at, *, reach, known
) -> UpdateImpact:
    after = pledged_in(session, campaign, published_at, published_at + WINDOW, **known)
    before = pledged_in(session, campaign, published_at - BASELINE, published_at, **known)
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
        pledges_after=after.count if after else None,
        amount_after_minor=after.amount_minor if after else None,
        pledges_source=after.source if after else None,
        expected_pledges=before.count * scale if before else None,
        expected_amount_minor=before.amount_minor * scale if before else None,
        feedback_after=feedback,
        sentiment_after=round(float(sentiment), 3) if sentiment is not None else None,
        reach=reach.followers if reach else None,
        engagement_first_hour=reach.first_hour if reach else None,
        engagement_first_day=reach.first_day if reach else None,
        engagement_total=reach.total if reach else None,
    )
