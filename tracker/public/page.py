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
from tracker.models import Campaign, Milestone, MilestoneChange
from tracker.pledges.funding import FundingSummary


@dataclass(frozen=True)
class GoalMarker:
    """A point on the progress bar: the goal or a stretch goal."""

    label: str
    amount_minor: int
    position: float  # 0..100 along the bar
    reached: bool


@dataclass
class PublicPage:
    campaign: Campaign
    funding: FundingSummary
    milestones: list[Milestone]
    history: dict[int, list[MilestoneChange]]
    updates: dict[int, tuple[list[TimelineItem], int]]
    timeline: TimelinePage
    last_update_at: datetime | None
    bar_markers: list[GoalMarker]
    bar_fill: float  # 0..100 of the bar's scale

    def days_since_update(self, today: date) -> int | None:
        return (today - self.last_update_at.date()).days if self.last_update_at else None


def progress_bar(funding: FundingSummary) -> tuple[float, list[GoalMarker]]:
    """Scale the bar to the highest of goal, stretch goals and total; place the markers."""
    top = (
        max(
            [
                funding.goal_minor,
                funding.net_minor,
                *(g.threshold_minor for g in funding.stretch_goals),
            ]
        )
        or 1
    )
    markers = [
        GoalMarker(
            "",
            funding.goal_minor,
            100 * funding.goal_minor / top,
            funding.net_minor >= funding.goal_minor,
        )
    ]
    markers += [
        GoalMarker(g.title, g.threshold_minor, 100 * g.threshold_minor / top, g.reached)
        for g in funding.stretch_goals
    ]
    return min(100.0, 100 * funding.net_minor / top), markers


def gather_public_page(
    session: Session, campaign: Campaign, *, funding: FundingSummary
) -> PublicPage:
    """Read the roadmap, its linked updates, the first timeline page and the figures."""
    roadmap = milestones_of(session, campaign.id, public_only=True)
    fill, markers = progress_bar(funding)
    return PublicPage(
        campaign=campaign,
        funding=funding,
        milestones=roadmap,
        history=history_of(session, [m.id for m in roadmap]),
        updates=linked_updates(session, campaign),
        timeline=timeline_page(session, campaign),
        last_update_at=last_update_at(session, campaign),
        bar_markers=markers,
        bar_fill=fill,
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
