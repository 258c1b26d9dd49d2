"""The pledge part of `tracker export`: figures, import records, the ledger, pushed totals,
and what moved pledges."""

import json

from sqlalchemy import select
from sqlmodel import Session

from tracker.dates import today_in
from tracker.models import Campaign, FundingSnapshot, Pledge, PledgeAddon, PledgeImport, utcnow
from tracker.pledges.funding import summarize_funding
from tracker.pledges.funding_json import funding_as_dict
from tracker.pledges.update_effects import update_effects


def export_funding(session: Session, campaign: Campaign) -> dict:
    """Return the funding figures as of today."""
    return funding_as_dict(summarize_funding(session, campaign, today=today_in(campaign.timezone)))


def export_imports(session: Session, campaign: Campaign) -> list[dict]:
    """Return every import record, oldest first, with its rejected rows."""
    records = session.execute(
        select(PledgeImport)
        .where(PledgeImport.campaign_id == campaign.id)
        .order_by(PledgeImport.id)
    ).scalars()
    return [
        {
            "filename": r.filename,
            "sha256": r.sha256,
            "format": r.format,
            "generation": r.generation,
            "created": r.created,
            "updated": r.updated,
            "unchanged": r.unchanged,
            "rejected": r.rejected,
            "by": r.actor_label,
            "at": r.imported_at.isoformat(),
            "status": r.status,
            "rejected_rows": json.loads(r.rejected_rows),
        }
        for r in records
    ]


def export_pledges(session: Session, campaign: Campaign) -> list[dict]:
    """Return the ledger: what the numbers need, never who pledged."""
    addons: dict[int, dict[str, int]] = {}
    for pledge_id, name, quantity in session.execute(
        select(PledgeAddon.pledge_id, PledgeAddon.name, PledgeAddon.quantity)
        .join(Pledge, Pledge.id == PledgeAddon.pledge_id)
        .where(Pledge.campaign_id == campaign.id)
    ):
        addons.setdefault(pledge_id, {})[name] = quantity
    rows = session.execute(
        select(Pledge).where(Pledge.campaign_id == campaign.id).order_by(Pledge.id)
    ).scalars()
    return [
        {
            "platform": p.platform,
            "key": p.platform_key,
            "amount": {"amount_minor": p.amount_minor, "currency": p.currency},
            "status": p.status,
            "status_raw": p.status_raw,
            "pledged_at": p.pledged_at.isoformat() if p.pledged_at else None,
            "tier": p.tier,
            "country": p.country,
            "fulfilment": p.fulfilment,
            "addons": addons.get(p.id, {}),
        }
        for p in rows
    ]


def export_snapshots(session: Session, campaign: Campaign) -> list[dict]:
    """Return the totals pushed by scripts, the dashboard or the CLI."""
    rows = session.execute(
        select(FundingSnapshot)
        .where(FundingSnapshot.campaign_id == campaign.id)
        .order_by(FundingSnapshot.taken_at)
    ).scalars()
    return [
        {
            "at": s.taken_at.isoformat(),
            "amount_minor": s.amount_minor,
            "backers": s.backers,
            "source": s.source,
        }
        for s in rows
    ]


def export_update_effects(session: Session, campaign: Campaign) -> dict:
    """Return what moved pledges: the dashboard's medians per kind and per channel, as of now."""
    effects = update_effects(session, campaign, now=utcnow())

    def group(g, name: str, value) -> dict:
        return {
            name: value,
            **({"title": g.label, "platform": g.platform} if g.platform else {}),
            "updates": g.updates,
            "comparable": g.comparable,
            "median_pledges": g.median_pledges,
            "median_amount_minor": g.median_amount_minor,
            "currency": campaign.currency,
            "engagement_counted": g.engagement_counted,
            "median_engagement": g.median_engagement,
            "updates_from_totals": g.from_totals,
        }

    return {
        "window_hours": effects.window_hours,
        "min_updates_to_compare": effects.min_to_compare,
        "updates_not_counted_yet": effects.pending,
        "updates_after_the_ledger": effects.uncovered,
        "pledges_known_until": effects.pledges_known_until.isoformat()
        if effects.pledges_known_until
        else None,
        "updates_from_totals": effects.from_totals,
        "totals_slack_hours": effects.totals_slack_hours,
        "by_kind": [group(g, "kind", g.key) for g in effects.by_kind],
        "by_channel": [group(g, "channel_id", int(g.key)) for g in effects.by_channel],
    }
