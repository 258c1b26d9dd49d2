"""Where the public funding figures come from and when they were read, and whether the
platform channel that reads live figures has stopped renewing them."""

from sqlalchemy import exists, select
from sqlmodel import Session

from tracker.models import Campaign, Channel
from tracker.pledges.funding import FundingSummary
from tracker.public.community import STALE


def live_figures_stale(session: Session, campaign: Campaign, funding: FundingSummary) -> bool:
    """Return whether the total is live and its platform's channel is failing or paused."""
    if funding.sources.get("net_minor") != "live" or not funding.live_platform:
        return False
    return bool(
        session.scalar(
            select(
                exists().where(
                    Channel.campaign_id == campaign.id,
                    Channel.kind == funding.live_platform,
                    STALE,
                )
            )
        )
    )


def figures_source_json(funding: FundingSummary, *, stale: bool) -> dict:
    """Return the JSON summary's `figures_source`: the total's source and its moments."""

    def iso(moment):
        return moment.isoformat() if moment else None

    return {
        "pledged": funding.sources.get("net_minor"),
        "platform": funding.live_platform,
        "live_at": iso(funding.live_at),
        "report_at": iso(funding.report_at),
        "recorded_at": iso(funding.recorded_at),
        "stale": stale,
    }
