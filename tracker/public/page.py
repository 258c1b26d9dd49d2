"""Everything the public campaign page shows, gathered in one place (no Flask here)."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from tracker.campaigns.milestones import history_of, milestones_of, timing_of
from tracker.campaigns.timeline import (
    TimelineItem,
    TimelinePage,
    last_update_at,
    linked_updates,
    timeline_page,
    update_days,
)
from tracker.charts.funding import Marker
from tracker.dates import local_day
from tracker.models import Campaign, Milestone, MilestoneChange
from tracker.pledges.funding import FundingSummary
from tracker.public.community import Community, community_of
from tracker.public.figures_source import live_figures_stale
from tracker.public.progress import ProgressBar, progress_bar

# The page shows the newest few updates; "Load more" brings the rest (the timeline's pages).
PAGE_UPDATES = 5


@dataclass
class PublicPage:
    campaign: Campaign
    funding: FundingSummary
    milestones: list[Milestone]
    history: dict[int, list[MilestoneChange]]
    updates: dict[int, tuple[list[TimelineItem], int]]
    timeline: TimelinePage
    last_update_at: datetime | None
    bar: ProgressBar  # 100 % is the goal; stretch goals beyond it
    community: Community | None  # followers of the updates channels; None: none counted
    live_stale: bool  # the total is live, and its platform channel is failing or paused

    def days_since_update(self, today: date) -> int | None:
        if self.last_update_at is None:
            return None
        return (today - local_day(self.last_update_at, self.campaign.timezone)).days


def gather_public_page(
    session: Session, campaign: Campaign, *, funding: FundingSummary
) -> PublicPage:
    """Read the roadmap, its linked updates, the first timeline page and the figures."""
    roadmap = milestones_of(session, campaign.id, public_only=True)
    return PublicPage(
        campaign=campaign,
        funding=funding,
        milestones=roadmap,
        history=history_of(session, [m.id for m in roadmap]),
        updates=linked_updates(session, campaign),
        timeline=timeline_page(session, campaign, limit=PAGE_UPDATES),
        last_update_at=last_update_at(session, campaign),
        bar=progress_bar(funding),
        community=community_of(session, campaign),
        live_stale=live_figures_stale(session, campaign, funding),
    )


def chart_markers(session: Session, campaign: Campaign, *, today: date) -> tuple[Marker, ...]:
    """Return the chart's markers: days with own updates and days milestones were done."""
    markers = [Marker(day, title, "update") for day, title in update_days(session, campaign)]
    roadmap = milestones_of(session, campaign.id, public_only=True)
    history = history_of(session, [m.id for m in roadmap])
    for milestone in roadmap:
        timing = timing_of(milestone, history[milestone.id], today)
        if timing.completed_on and timing.completed_on >= campaign.starts_on:
            markers.append(Marker(timing.completed_on, milestone.title, "milestone"))
    return tuple(markers)
