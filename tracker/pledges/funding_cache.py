"""Funding figures computed once per ledger version, so a page view does no per-pledge work."""

import threading
from collections import OrderedDict
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.models import Campaign, FundingSnapshot, Milestone, PledgeImport
from tracker.pledges.funding import FundingSummary, summarize_funding


def funding_version(session: Session, campaign: Campaign, today: date) -> tuple:
    """Return values that change whenever the campaign's funding figures can change."""
    imports, batches, snapshots, milestones = session.execute(
        select(
            select(func.max(PledgeImport.id))
            .where(PledgeImport.campaign_id == campaign.id)
            .scalar_subquery(),
            # An import commits batch after batch under one id: each batch moves the stamp.
            select(func.max(PledgeImport.last_batch_at))
            .where(PledgeImport.campaign_id == campaign.id)
            .scalar_subquery(),
            select(func.max(FundingSnapshot.id))
            .where(FundingSnapshot.campaign_id == campaign.id)
            .scalar_subquery(),
            # Stretch goals come from milestones: any edit of one moves its updated_at.
            select(func.max(Milestone.updated_at))
            .where(Milestone.campaign_id == campaign.id)
            .scalar_subquery(),
        )
    ).one()
    return (campaign.id, campaign.updated_at, imports, batches, snapshots, milestones, today)


class FundingCache:
    """A small, thread-safe LRU of funding summaries keyed by their version."""

    def __init__(self, size: int = 64):
        self.size = size
        self._items: OrderedDict[tuple, FundingSummary] = OrderedDict()
        self._lock = threading.Lock()

    def summary(self, session: Session, campaign: Campaign, *, today: date) -> FundingSummary:
        """Return the campaign's figures, computing them only when the version moved."""
        version = funding_version(session, campaign, today)
        with self._lock:
            if version in self._items:
                self._items.move_to_end(version)
                return self._items[version]
        summary = summarize_funding(session, campaign, today=today)
        with self._lock:
            self._items[version] = summary
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return summary
