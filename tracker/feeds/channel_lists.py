"""A campaign's channels and a channel's entries, as lists for pages: whole or a page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.feeds.followers import latest_followers
from tracker.models import Campaign, Channel, Entry


@dataclass(frozen=True)
class ChannelRow:
    """A channel with the number of its entries, for lists."""

    channel: Channel
    entries: int
    followers: int | None


def page_count(total: int, per_page: int) -> int:
    """Return how many pages `total` items fill (at least one, an empty one)."""
    return max((total + per_page - 1) // per_page, 1)


def _rows(session: Session, channels: Sequence[Channel]) -> list[ChannelRow]:
    ids = [channel.id for channel in channels]
    if not ids:
        return []
    counts = dict(
        session.execute(
            select(Entry.channel_id, func.count())
            .where(Entry.channel_id.in_(ids))
            .group_by(Entry.channel_id)
        ).all()
    )
    followers = latest_followers(session, ids)
    return [ChannelRow(c, counts.get(c.id, 0), followers.get(c.id)) for c in channels]


def _of_campaign(campaign: Campaign):
    return select(Channel).where(Channel.campaign_id == campaign.id).order_by(Channel.id)


def channels_of(session: Session, campaign: Campaign) -> list[ChannelRow]:
    """Return all the campaign's channels, oldest first, with entry and follower counts."""
    return _rows(session, list(session.scalars(_of_campaign(campaign))))


def channel_page(
    session: Session, campaign: Campaign, *, page: int, per_page: int
) -> list[ChannelRow]:
    """Return one page of the campaign's channels, oldest first."""
    query = _of_campaign(campaign).offset((max(page, 1) - 1) * per_page).limit(per_page)
    return _rows(session, list(session.scalars(query)))


def channel_row(session: Session, channel: Channel) -> ChannelRow:
    """Return one channel with its entry and follower counts."""
    return _rows(session, [channel])[0]


def first_channels(session: Session, campaign: Campaign, *, limit: int) -> list[Channel]:
    """Return the campaign's oldest `limit` channels (the choices of a form)."""
    return list(session.scalars(_of_campaign(campaign).limit(limit)))


def count_entries(session: Session, channel: Channel) -> int:
    """Return how many entries the channel has."""
    return session.scalar(select(func.count()).where(Entry.channel_id == channel.id)) or 0


def entries_of(session: Session, channel: Channel, *, page: int, per_page: int) -> list[Entry]:
    """Return one page of the channel's entries, newest first."""
    return list(
        session.scalars(
            select(Entry)
            .where(Entry.channel_id == channel.id)
            .order_by(Entry.published_at.desc(), Entry.id.desc())
            .offset((max(page, 1) - 1) * per_page)
            .limit(per_page)
        )
    )
