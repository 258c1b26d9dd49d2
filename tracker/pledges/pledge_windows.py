"""Pledges made in a window of time: from the ledger where it covers the window, else read
off recorded totals (funding snapshots), else not known.

Totals are approximate: the change is taken between the last snapshot at or before the
window's start and the first at or after its end, both of one source and each at most
TOTALS_SLACK from its end of the window, so the window counted is up to twice that longer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.models import Campaign, FundingSnapshot, Pledge
from tracker.pledges.funding import LOST
from tracker.pledges.sources import LIVE_SOURCES

TOTALS_SLACK = timedelta(hours=6)
LEDGER, TOTALS = "ledger", "totals"


@dataclass(frozen=True)
class Pledged:
    """The pledges of a window and their amount, and whether the ledger or totals told."""

    count: int
    amount_minor: int
    source: str  # LEDGER or TOTALS


def pledged_between(
    session: Session, campaign: Campaign, start: datetime, end: datetime
) -> tuple[int, int]:
    """Return the pledges still counting made in [start, end), and their amount."""
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


def totals_change(
    session: Session, campaign: Campaign, start: datetime, end: datetime
) -> tuple[int, int] | None:
    """Return the change in backers and amount over [start, end] by recorded totals, or None."""
    near = session.execute(
        select(
            FundingSnapshot.taken_at,
            FundingSnapshot.backers,
            FundingSnapshot.amount_minor,
            FundingSnapshot.source,
        )
        .where(
            FundingSnapshot.campaign_id == campaign.id,
            FundingSnapshot.taken_at >= start - TOTALS_SLACK,
            FundingSnapshot.taken_at <= end + TOTALS_SLACK,
        )
        .order_by(FundingSnapshot.taken_at, FundingSnapshot.id)
    ).all()
    before = {row.source: row for row in near if row.taken_at <= start}
    after = {}
    for row in near:
        if row.taken_at >= end:
            after.setdefault(row.source, row)
    # Two sources (a script's pushed totals and the platform's) may disagree: never mix
    # them; the platform's own figures first.
    for source in sorted(before, key=lambda s: (s not in LIVE_SOURCES, s)):
        if source in after:
            first, last = before[source], after[source]
            return last.backers - first.backers, last.amount_minor - first.amount_minor
    return None


def pledged_in(
    session: Session,
    campaign: Campaign,
    start: datetime,
    end: datetime,
    *,
    ledger_until: datetime | None,
    now: datetime,
) -> Pledged | None:
    """Return what was pledged in [start, end): the ledger first, then totals; None: unknown."""
    if end > now:
        return None
    if ledger_until is not None and end <= ledger_until:
        return Pledged(*pledged_between(session, campaign, start, end), source=LEDGER)
    change = totals_change(session, campaign, start, end)
    return Pledged(*change, source=TOTALS) if change is not None else None
