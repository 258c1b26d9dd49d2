"""Funding figures computed once per ledger version, so a page view does no per-pledge work."""

from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.caches import LruCache
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


def cached_summary(
    cache: LruCache, session: Session, campaign: Campaign, *, today: date
) -> FundingSummary:
    """Return the campaign's figures from cache, computing them only when the version moved."""
    version = funding_version(session, campaign, today)
    summary = cache.get(version)
    if summary is None:
        summary = summarize_funding(session, campaign, today=today)
        cache.put(version, summary)
    return summary
