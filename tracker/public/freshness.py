"""Cheap version stamps of what public pages show, for ETags, Last-Modified and the sitemap."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, func
from sqlmodel import Session, select

from tracker.models import (
    Campaign,
    Channel,
    Entry,
    EntryMilestone,
    Feedback,
    FollowerSnapshot,
    FundingSnapshot,
    Milestone,
    PledgeImport,
    PublishedReport,
    UTCDateTime,
)
from tracker.public.community import STALE


@dataclass(frozen=True)
class Stamp:
    """A content version: a tuple of plain values and when the content last changed."""

    parts: tuple
    changed_at: datetime


def public_index_stamp(session: Session) -> Stamp | None:
    """Stamp the list of public campaigns; None when there is none."""
    count, newest, ids = session.exec(
        select(
            func.count(Campaign.id),
            func.max(Campaign.updated_at),
            func.coalesce(func.sum(Campaign.id), 0),
        ).where(Campaign.is_public)
    ).one()
    newest = _aware(newest)
    if not count:
        return None
    return Stamp(parts=(count, _iso(newest), int(ids)), changed_at=newest)


def public_campaign_lastmods(session: Session) -> list[tuple[str, datetime]]:
    """Return (slug, last change) of every public campaign, counting its public milestones."""
    newest_milestone = (
        select(Milestone.campaign_id, func.max(Milestone.updated_at).label("newest"))
        .where(Milestone.is_public)
        .group_by(Milestone.campaign_id)
        .subquery()
    )
    rows = session.exec(
        select(Campaign.slug, Campaign.updated_at, newest_milestone.c.newest)
        .outerjoin(newest_milestone, newest_milestone.c.campaign_id == Campaign.id)
        .where(Campaign.is_public)
        .order_by(Campaign.slug)
    )
    result = []
    for slug, updated_at, newest in rows:
        newest = _aware(newest)
        result.append((slug, max(updated_at, newest) if newest else updated_at))
    return result


def _aware(value):
    # In case an aggregate bypasses the column type: naive UTC, or a string from SQLite.
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return UTCDateTime().process_result_value(value, None)


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


@cache
def _content_statement():
    """Build, once, the statement that stamps everything a public campaign shows."""
    mine = bindparam("campaign_id")
    public = (Milestone.campaign_id == mine, Milestone.is_public)
    parts = (
        select(func.count(Milestone.id)).where(*public),
        select(func.max(Milestone.updated_at)).where(*public),
        # Reordering changes positions but not updated_at: a swap always changes this sum.
        select(func.coalesce(func.sum(Milestone.id * Milestone.position), 0)).where(*public),
        select(func.max(PledgeImport.imported_at)).where(PledgeImport.campaign_id == mine),
        select(func.max(FundingSnapshot.created_at)).where(FundingSnapshot.campaign_id == mine),
        # Entries never change once stored: a new one is always the newest first seen.
        select(func.max(Entry.first_seen_at)).where(Entry.campaign_id == mine),
        select(func.max(EntryMilestone.linked_at))
        .join(Entry, Entry.id == EntryMilestone.entry_id)
        .where(Entry.campaign_id == mine),
        select(func.max(EntryMilestone.unlinked_at))
        .join(Entry, Entry.id == EntryMilestone.entry_id)
        .where(Entry.campaign_id == mine),
        select(func.max(Feedback.state_changed_at)).where(Feedback.campaign_id == mine),
        select(func.max(PublishedReport.issued_at)).where(PublishedReport.campaign_id == mine),
        # Follower counts: a new one is stored now even when counted earlier; the count of
        # them changes when a channel (and its counts) goes.
        select(func.max(FollowerSnapshot.created_at))
        .join(Channel, Channel.id == FollowerSnapshot.channel_id)
        .where(Channel.campaign_id == mine),
        select(func.count(FollowerSnapshot.id))
        .join(Channel, Channel.id == FollowerSnapshot.channel_id)
        .where(Channel.campaign_id == mine),
        # Counts are marked while their channel fails: this sum changes when one starts or stops.
        select(func.coalesce(func.sum(Channel.id), 0)).where(Channel.campaign_id == mine, STALE),
    )
    return select(*(part.scalar_subquery() for part in parts))


def campaign_content_stamp(session: Session, campaign: Campaign) -> Stamp:
    """Stamp everything the public page, feed, badge and JSON show, in one query."""
    count, newest, order, *others, followers, stale = session.execute(
        _content_statement(), {"campaign_id": campaign.id}
    ).one()
    moments = [_aware(value) for value in (newest, *others)]
    changed_at = max([campaign.updated_at, *(m for m in moments if m is not None)])
    parts = (
        campaign.id,
        campaign.updated_at.isoformat(),
        count,
        int(order),
        followers,
        int(stale),
        *(_iso(m) for m in moments),
    )
    return Stamp(parts=parts, changed_at=changed_at)
