"""Funding totals pushed without a backer report: a script, the dashboard or the CLI."""

from datetime import datetime, timedelta

from sqlmodel import Session

from tracker.errors import InvalidInput
from tracker.models import Campaign, FundingSnapshot, utcnow

MAX_AMOUNT_MINOR = 10**15
FUTURE_SKEW = timedelta(minutes=5)


def record_snapshot(
    session: Session,
    campaign: Campaign,
    *,
    amount_minor: int,
    backers: int,
    source: str,
    taken_at: datetime | None = None,
) -> FundingSnapshot:
    """Record the platform's current totals for the campaign."""
    now = utcnow()
    taken_at = taken_at or now
    errors = {}
    if amount_minor is None or not 0 <= amount_minor <= MAX_AMOUNT_MINOR:
        errors["amount"] = "The amount must be zero or more."
    if backers is None or not 0 <= backers <= 10**9:
        errors["backers"] = "The number of backers must be zero or more."
    if taken_at.tzinfo is None:
        errors["at"] = "Give the time with a zone, e.g. 2026-11-20T18:00:00Z."
    elif taken_at > now + FUTURE_SKEW:
        errors["at"] = "The time is in the future."
    if errors:
        raise InvalidInput(errors)
    snapshot = FundingSnapshot(
        campaign_id=campaign.id,
        amount_minor=amount_minor,
        backers=backers,
        source=source,
        taken_at=taken_at,
    )
    session.add(snapshot)
    session.flush()
    return snapshot
