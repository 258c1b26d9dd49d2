"""How a campaign's funding changed over a span of days: for the founders' weekly summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker.pledges.funding import CurvePoint


@dataclass(frozen=True)
class FundingChange:
    """The net amount and backers gained (or lost) in a span, and where the figures come from."""

    amount_minor: int
    backers: int
    source: str  # report, live or snapshots: where the span's last figures come from


def funding_change(curve: list[CurvePoint], *, first: date, last: date) -> FundingChange | None:
    """Return the change from the end of the day before first to the end of last (local days).

    None when the curve has no figures up to last: nothing to compare.
    """
    before = [point for point in curve if point.day < first]
    until = [point for point in curve if point.day <= last]
    if not until:
        return None
    start, end = (before[-1].amount_minor, before[-1].backers) if before else (0, 0), until[-1]
    return FundingChange(end.amount_minor - start[0], end.backers - start[1], end.source)
