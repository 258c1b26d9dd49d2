"""The record of past backer report imports, newest first."""

from sqlmodel import Session, select

from tracker.models import Campaign, PledgeImport


def imports_of(session: Session, campaign: Campaign, *, limit: int = 200) -> list[PledgeImport]:
    """Return the campaign's import records, newest first."""
    return list(
        session.exec(
            select(PledgeImport)
            .where(PledgeImport.campaign_id == campaign.id)
            .order_by(PledgeImport.imported_at.desc(), PledgeImport.id.desc())
            .limit(limit)
        )
    )
