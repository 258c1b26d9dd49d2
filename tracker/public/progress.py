"""The progress bar everyone sees: 100 % is the goal; stretch goals beyond it on a second track.

The page, the share card, the badge and the report take the bar and its percentage from
here, so they agree. The percentage is rounded down: "100 %" only once the goal is met.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from tracker.pledges.funding import FundingSummary


@dataclass(frozen=True)
class BarMarker:
    """A stretch goal on its track: where it sits (0..1) and whether the total reached it."""

    label: str
    amount_minor: int
    position: float
    reached: bool


@dataclass(frozen=True)
class ProgressBar:
    """The goal's track, filled to the total, and the stretch track from the goal upwards."""

    percent: int  # of the goal, rounded down
    fill: float  # 0..1 of the goal's track
    reached: bool
    goal_minor: int
    net_minor: int
    stretch_top_minor: int = 0  # where the stretch track ends (its start is the goal)
    stretch_fill: float = 0.0  # 0..1 of the stretch track
    stretch: list[BarMarker] = field(default_factory=list)  # goals above the goal
    within: list[BarMarker] = field(default_factory=list)  # "stretch" goals at or below it


def funded_percent(net_minor: int, goal_minor: int) -> int:
    """Return the share of the goal pledged, in whole percent rounded down."""
    # 99.6 % shown as "100 %" beside a bar that is not full would say the goal was met.
    return max(net_minor, 0) * 100 // goal_minor if goal_minor > 0 else 0


def progress_bar(funding: FundingSummary) -> ProgressBar:
    """Place the total on the goal's track and the stretch goals on theirs."""
    goal, net = funding.goal_minor, max(funding.net_minor, 0)
    above = [g for g in funding.stretch_goals if g.threshold_minor > goal]
    within = [
        BarMarker(g.title, g.threshold_minor, g.threshold_minor / goal, g.reached)
        for g in funding.stretch_goals
        if 0 < g.threshold_minor <= goal
    ]
    bar = ProgressBar(
        percent=funded_percent(net, goal),
        fill=min(net / goal, 1.0) if goal > 0 else 0.0,
        reached=goal > 0 and net >= goal,
        goal_minor=goal,
        net_minor=net,
        within=within,
    )
    if not above:
        return bar
    # The stretch track runs from the goal to the last stretch goal, or to the total if
    # that is higher: each goal on it at its share of that stretch.
    top = max(above[-1].threshold_minor, net)
    span = top - goal
    return replace(
        bar,
        stretch_top_minor=top,
        stretch_fill=min(max((net - goal) / span, 0.0), 1.0),
        stretch=[
            BarMarker(g.title, g.threshold_minor, (g.threshold_minor - goal) / span, g.reached)
            for g in above
        ],
    )
