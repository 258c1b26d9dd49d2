"""Funding figures as plain data for JSON (CLI --json, the export, the public API)."""

from dataclasses import asdict

from tracker.pledges.funding import FundingSummary


def funding_as_dict(summary: FundingSummary) -> dict:
    """Return the summary as JSON-ready plain values (money in minor units)."""
    data = asdict(summary)
    data["curve"] = [
        {
            "day": p.day.isoformat(),
            "amount_minor": p.amount_minor,
            "backers": p.backers,
            "source": p.source,
        }
        for p in summary.curve
    ]
    data["other_currencies"] = [asdict(other) for other in summary.other_currencies]
    data["ends_on"] = summary.ends_on.isoformat() if summary.ends_on else None
    data["report_at"] = summary.report_at.isoformat() if summary.report_at else None
    data["live_at"] = summary.live_at.isoformat() if summary.live_at else None
    data["recorded_at"] = summary.recorded_at.isoformat() if summary.recorded_at else None
    data["addons"] = [{"name": name, "quantity": qty} for name, qty in summary.addons]
    data["percent_of_goal"] = round(summary.percent_of_goal, 2)
    data["average_minor"] = summary.average_minor
    data["fulfilment_share"] = summary.fulfilment_share
    return data
