"""The milestones section of a report: what was reached, started and slipped, and what is next.

Public milestones only. Each list is read in SQL up to MILESTONES_LISTED lines and counted
in full, so a roadmap of any size costs a few bounded queries and a bounded document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exists, func, select
from sqlmodel import Session

from tracker.models import Campaign, Milestone, MilestoneChange
from tracker.reports.periods import Period

OPEN_STATUSES = ("planned", "in_progress", "delayed")
NEXT_MILESTONES = 5
MILESTONES_LISTED = 50  # per list; the report says how many there were in all


@dataclass(frozen=True)
class MilestoneLine:
    """A public milestone as the report shows it."""

    title: str
    status: str
    planned: date  # the current plan
    first_planned: date  # the plan as first made: differs after a slip
    completed_on: date | None
    progress: int | None
    reason: str = ""  # why the planned date last moved, in the team's words


@dataclass
class MilestoneMoves:
    """The period's milestone lists (at most MILESTONES_LISTED each) and their full counts."""

    reached: list[MilestoneLine] = field(default_factory=list)
    started: list[MilestoneLine] = field(default_factory=list)
    slipped: list[MilestoneLine] = field(default_factory=list)
    upcoming: list[MilestoneLine] = field(default_factory=list)
    reached_count: int = 0
    started_count: int = 0
    slipped_count: int = 0


def milestone_moves(session: Session, campaign: Campaign, period: Period) -> MilestoneMoves:
    """Sort the public milestones into reached, started, slipped in the period, and next."""
    public = (Milestone.campaign_id == campaign.id, Milestone.is_public)
    reached = (
        Milestone.status == "done",
        Milestone.completed_on >= period.start,
        Milestone.completed_on <= period.end,
    )
    started = (_changed_in(period, "status", "in_progress"),)
    moves = MilestoneMoves()
    moves.reached, moves.reached_count = _listed(session, *public, *reached)
    moves.started, moves.started_count = _listed(session, *public, *started)
    moves.slipped, moves.slipped_count = _slipped(session, public, period)
    moves.upcoming = _lines(
        session,
        select(*_COLUMNS, _first_plan(), _last_reason())
        .where(*public, Milestone.status.in_(OPEN_STATUSES), Milestone.due_on > period.end)
        .order_by(Milestone.due_on, Milestone.position, Milestone.id)
        .limit(NEXT_MILESTONES),
    )
    return moves


_COLUMNS = (
    Milestone.title,
    Milestone.status,
    Milestone.due_on,
    Milestone.completed_on,
    Milestone.progress,
)
_ROADMAP_ORDER = (Milestone.position, Milestone.id)


def _first_plan():
    """Return the date first planned (the oldest change's old date) as a column, or NULL."""
    return (
        select(MilestoneChange.old_value)
        .where(
            MilestoneChange.milestone_id == Milestone.id,
            MilestoneChange.field == "due_on",
            MilestoneChange.old_value.is_not(None),
            MilestoneChange.old_value != "",
        )
        .order_by(MilestoneChange.changed_at, MilestoneChange.id)
        .limit(1)
        .correlate(Milestone)
        .scalar_subquery()
    )


def _last_reason():
    """Return the reason given with the newest change of the planned date, as a column."""
    return (
        select(MilestoneChange.reason)
        .where(MilestoneChange.milestone_id == Milestone.id, MilestoneChange.field == "due_on")
        .order_by(MilestoneChange.changed_at.desc(), MilestoneChange.id.desc())
        .limit(1)
        .correlate(Milestone)
        .scalar_subquery()
    )


def _changed_in(period: Period, name: str, new_value: str | None = None):
    conditions = [
        MilestoneChange.milestone_id == Milestone.id,
        MilestoneChange.field == name,
        MilestoneChange.changed_at >= period.starts_at,
        MilestoneChange.changed_at < period.ends_before,
    ]
    if new_value is not None:
        conditions.append(MilestoneChange.new_value == new_value)
    return exists().where(*conditions)


def _listed(session: Session, *conditions) -> tuple[list[MilestoneLine], int]:
    count = session.scalar(select(func.count()).select_from(Milestone).where(*conditions))
    lines = _lines(
        session,
        select(*_COLUMNS, _first_plan(), _last_reason())
        .where(*conditions)
        .order_by(*_ROADMAP_ORDER)
        .limit(MILESTONES_LISTED),
    )
    return lines, count or 0


def _slipped(session: Session, public, period: Period) -> tuple[list[MilestoneLine], int]:
    # "Now planned for another day than first planned" compares a stored ISO text with a
    # date, which SQL cannot do alike on SQLite and PostgreSQL: stream the candidates
    # (small rows, in batches) and keep the first MILESTONES_LISTED, counting them all.
    rows = session.execute(
        select(*_COLUMNS, _first_plan(), _last_reason())
        .where(*public, _changed_in(period, "due_on"))
        .order_by(*_ROADMAP_ORDER)
        .execution_options(yield_per=500)
    )
    lines, count = [], 0
    for row in rows:
        line = _line(*row)
        if line.planned != line.first_planned:
            count += 1
            if len(lines) < MILESTONES_LISTED:
                lines.append(line)
    return lines, count


def _lines(session: Session, query) -> list[MilestoneLine]:
    return [_line(*row) for row in session.execute(query)]


def _line(title, status, due_on, completed_on, progress, first_plan, reason) -> MilestoneLine:
    return MilestoneLine(
        title=title,
        status=status,
        planned=due_on,
        first_planned=date.fromisoformat(first_plan) if first_plan else due_on,
        completed_on=completed_on,
        progress=progress,
        reason=reason or "",
    )
