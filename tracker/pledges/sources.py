"""Where each funding figure comes from, and which source wins for which days.

Three sources: an imported backer `report` (the pledges), `live` figures a connector
read from the platform (funding snapshots whose source is the connector's kind), and
`snapshots` pushed by a script, the dashboard or the CLI. A report is the truth for the
days it covers, up to its import; live figures taken after it carry the curve and the
totals on until the next import. Pledges a connector polled (Open Collective's
contributions) join the same ledger under the export's keys, so a report and the polls
count each pledge once; a ledger of polled pledges alone is `live`, not a report.
Without a report, snapshots of both kinds make the curve, each day its last one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.models import Campaign, FundingSnapshot, PledgeImport

# FundingSnapshot.source of figures read live from a platform: the connector's kind.
LIVE_SOURCES = ("kickstarter", "opencollective")
PLATFORM_NAMES = {"kickstarter": "Kickstarter", "opencollective": "Open Collective"}
# PledgeImport.status of the record of a connector's polls (tracker.pledges.live).
LIVE_IMPORT = "live"


def source_of(snapshot_source: str) -> str:
    """Return 'live' for a connector's snapshot, 'snapshots' for a pushed one."""
    return "live" if snapshot_source in LIVE_SOURCES else "snapshots"


def report_covers_until(session: Session, campaign: Campaign) -> datetime | None:
    """Return when the newest finished backer report was imported (what it covers)."""
    return session.scalar(
        select(func.max(PledgeImport.imported_at)).where(
            PledgeImport.campaign_id == campaign.id, PledgeImport.status == "done"
        )
    )


def ledger_source(session: Session, campaign: Campaign) -> str:
    """Return 'live' when every pledge came from a connector's polls, else 'report'."""
    imported = session.scalar(
        select(PledgeImport.id)
        .where(PledgeImport.campaign_id == campaign.id, PledgeImport.status != LIVE_IMPORT)
        .limit(1)
    )
    return "report" if imported is not None else "live"


def live_since(
    session: Session, campaign: Campaign, since: datetime | None, *, sane
) -> list[tuple[datetime, int, int, str]]:
    """Return the live snapshots taken after `since`: (taken_at, amount, backers, source)."""
    where = [
        FundingSnapshot.campaign_id == campaign.id,
        FundingSnapshot.source.in_(LIVE_SOURCES),
        sane(FundingSnapshot.taken_at),
    ]
    if since is not None:
        where.append(FundingSnapshot.taken_at > since)
    rows = session.execute(
        select(
            FundingSnapshot.taken_at,
            FundingSnapshot.amount_minor,
            FundingSnapshot.backers,
            FundingSnapshot.source,
        )
        .where(*where)
        .order_by(FundingSnapshot.taken_at, FundingSnapshot.id)
    ).all()
    return [tuple(row) for row in rows]
