"""A campaign's currency: when it may change, and what changes with it."""

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.models import Campaign, FundingSnapshot, Milestone, Pledge
from tracker.money import minor_digits


def currency_change_refusal(session: Session, campaign: Campaign, currency: str) -> str | None:
    """Return why the campaign's currency cannot become currency, or None if it can."""
    if currency == campaign.currency or campaign.id is None:
        return None
    # Imported pledges keep their own currency and every figure counts the campaign's: a
    # change that would set pledges apart is refused, one that brings them all in (a
    # report confirmed in the wrong currency) is not. Pushed totals carry no currency at
    # all: they would silently be read in the new one.
    apart = session.execute(
        select(Pledge.currency, func.count())
        .where(Pledge.campaign_id == campaign.id, Pledge.currency != currency)
        .group_by(Pledge.currency)
        .order_by(Pledge.currency)
    ).all()
    totals = session.execute(
        select(func.count()).where(FundingSnapshot.campaign_id == campaign.id)
    ).scalar_one()
    if not apart and not totals:
        return None
    recorded = [f"{_counted(n, 'imported pledge')} in {code}" for code, n in apart]
    if totals:
        recorded.append(f"{_counted(totals, 'pushed total')} in {campaign.currency}")
    return (
        f"The currency cannot change to {currency} once pledges in another one are "
        f"recorded ({', '.join(recorded)}): every figure would drop them. Create a new "
        "campaign for the other currency."
    )


def rescale_thresholds(session: Session, campaign: Campaign, old: str, new: str) -> None:
    """Keep the stretch goals' whole units when the currency's minor digits change."""
    shift = minor_digits(new) - minor_digits(old)
    if shift == 0:
        return
    milestones = session.scalars(
        select(Milestone).where(
            Milestone.campaign_id == campaign.id, Milestone.threshold_minor.is_not(None)
        )
    )
    for milestone in milestones:
        if shift > 0:
            milestone.threshold_minor *= 10**shift
        else:
            milestone.threshold_minor //= 10**-shift
        session.add(milestone)


def _counted(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}" if n else ""
