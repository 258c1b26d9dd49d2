"""Pledges a connector read from a platform's API, written to the ledger as an import would.

A live pledge is stored under the key the platform's export gives it (its first key), so
an import of that export after a poll finds it, and a poll after an import finds the
imported pledge by any of its keys: a transaction is counted once whichever comes first.
A pledge already in the ledger is left as it is, except that a refund marks it refunded,
as an import does. What the polls of one channel wrote hangs on one import record of
status `live` (never a report: `sources.report_covers_until` counts `done` ones only).
The caller holds the channel's row lock and commits once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlmodel import Session

from tracker.models import Campaign, Pledge, PledgeImport, PledgeStatusChange
from tracker.pledges.ledger import digest_of
from tracker.pledges.rows import PledgeRow
from tracker.pledges.sources import LIVE_IMPORT as LIVE

COLLECTED, REFUNDED = ("collected", "PAID"), ("refunded", "REFUNDED")


@dataclass(frozen=True)
class LivePledge:
    """A pledge as the API gave it: amounts only."""

    keys: tuple[str, ...]  # the ledger key first, then other ids an export may use for it
    alias: str | None  # the id an export keys by where it lacks the ledger key (alias_key)
    amount_minor: int
    currency: str
    pledged_at: datetime | None
    refunded: bool


@dataclass(frozen=True)
class LiveRefund:
    """A refund, by the keys of the pledge it refunds."""

    keys: tuple[str, ...]


def _row(key: str, amount: int, currency: str, status: tuple[str, str], at) -> PledgeRow:
    # Whole seconds, as the export writes them: an import of the same pledge is unchanged.
    at = at.replace(microsecond=0) if at is not None else None
    return PledgeRow(0, "", key, amount, currency, *status, at, None, None, None, ())


def running_import(session: Session, campaign: Campaign) -> bool:
    """Tell whether an import of the campaign is writing its batches now."""
    running = select(PledgeImport.id).where(
        PledgeImport.campaign_id == campaign.id, PledgeImport.status == "running"
    )
    return session.execute(running.limit(1)).first() is not None


def _record(session: Session, campaign: Campaign, platform: str, source: str, now) -> PledgeImport:
    record = session.scalars(
        select(PledgeImport).where(
            PledgeImport.campaign_id == campaign.id,
            PledgeImport.status == LIVE,
            PledgeImport.filename == source[:255],
        )
    ).first()
    if record is None:
        record = PledgeImport(
            campaign_id=campaign.id,
            filename=source[:255],
            sha256=hashlib.sha256(source.encode()).hexdigest(),
            format=platform,
            generation=f"{platform}-api",
            actor_label=f"{platform} API",
            imported_at=now,
            status=LIVE,
        )
        session.add(record)
        session.flush()
    return record


def _existing(session: Session, campaign: Campaign, platform: str, keys: set[str]):
    found: dict[str, Pledge] = {}
    ordered = sorted(keys)
    for start in range(0, len(ordered), 500):  # bound the IN list
        chunk = ordered[start : start + 500]
        for pledge in session.scalars(
            select(Pledge).where(
                Pledge.campaign_id == campaign.id,
                Pledge.platform == platform,
                Pledge.platform_key.in_(chunk),
            )
        ):
            found[pledge.platform_key] = pledge
    return found


def _refund(session: Session, pledge: Pledge, record: PledgeImport) -> None:
    old = pledge.status
    pledge.status, pledge.status_raw = REFUNDED
    pledge.digest = digest_of(
        _row(pledge.platform_key, pledge.amount_minor, pledge.currency, REFUNDED, pledge.pledged_at)
    )
    pledge.import_id = record.id
    session.add(
        PledgeStatusChange(
            pledge_id=pledge.id, import_id=record.id, old_status=old, new_status="refunded"
        )
    )


def record_live_pledges(
    session: Session,
    campaign: Campaign,
    *,
    platform: str,
    source: str,
    pledges: Sequence[LivePledge],
    refunds: Sequence[LiveRefund],
    now: datetime,
) -> int | None:
    """Store new pledges and mark refunded ones; return how many changed, None if it waited."""
    if running_import(session, campaign):
        return None  # the import's batches assume no other writer: the next poll stores these
    existing = _existing(
        session, campaign, platform, {key for item in (*pledges, *refunds) for key in item.keys}
    )
    refunded = {key for refund in refunds for key in refund.keys}
    new: dict[str, tuple[PledgeRow, str | None]] = {}
    to_refund: dict[int, Pledge] = {}
    for pledge in pledges:
        known = next((existing[key] for key in pledge.keys if key in existing), None)
        is_refunded = pledge.refunded or not refunded.isdisjoint(pledge.keys)
        if known is None:
            # setdefault: a page moved by a new transaction repeats the one before it.
            status = REFUNDED if is_refunded else COLLECTED
            row = _row(
                pledge.keys[0], pledge.amount_minor, pledge.currency, status, pledge.pledged_at
            )
            new.setdefault(pledge.keys[0], (row, pledge.alias))
        elif is_refunded and known.status != "refunded":
            to_refund[known.id] = known
    for refund in refunds:
        known = next((existing[key] for key in refund.keys if key in existing), None)
        if known is not None and known.status != "refunded":
            to_refund[known.id] = known
    if not new and not to_refund:
        return 0
    record = _record(session, campaign, platform, source, now)
    for pledge in to_refund.values():
        _refund(session, pledge, record)
    if new:
        values = [_values(row, alias, campaign, platform, record) for row, alias in new.values()]
        session.execute(insert(Pledge), values)
    record.created += len(new)
    record.updated += len(to_refund)
    # The funding cache and the public page's stamp move with these.
    record.imported_at = record.last_batch_at = now
    session.add(record)
    session.flush()
    return len(new) + len(to_refund)


def _values(row: PledgeRow, alias: str | None, campaign, platform: str, record) -> dict:
    return {
        "campaign_id": campaign.id,
        "platform": platform,
        "platform_key": row.platform_key,
        "alias_key": alias,
        "amount_minor": row.amount_minor,
        "currency": row.currency,
        "status": row.status,
        "status_raw": row.status_raw,
        "pledged_at": row.pledged_at,
        "digest": digest_of(row),
        "import_id": record.id,
    }
