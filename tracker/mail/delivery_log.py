"""What a campaign's founders see of its mail: counts per state and the newest deliveries.

Editors never see an address; the owner sees them masked (a***@example.com), enough to
answer "did my message reach a.b@...?" without a list of backers' addresses. Addresses a
server quoted in its reply are masked the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.mail.subscribers import mask_address
from tracker.models import Campaign, OutboxMessage

_ADDRESS = re.compile(r"[^\s<>@,;:\"']+@[^\s<>@,;:\"']+")
SHOWN = 50


@dataclass(frozen=True)
class LogEntry:
    """One message as the delivery log shows it."""

    kind: str
    state: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime | None  # when a deferred message is tried again
    error: str | None
    recipient: str | None  # masked, and only for the owner


def delivery_counts(session: Session, campaign: Campaign) -> dict[str, int]:
    """Return how many of the campaign's messages are in each state."""
    counts = dict.fromkeys(("queued", "sending", "sent", "deferred", "bounced"), 0)
    rows = session.execute(
        select(OutboxMessage.state, func.count())
        .where(OutboxMessage.campaign_id == campaign.id)
        .group_by(OutboxMessage.state)
    )
    counts.update({state: count for state, count in rows})
    return counts


def delivery_log(
    session: Session, campaign: Campaign, *, show_recipients: bool, limit: int = SHOWN
) -> list[LogEntry]:
    """Return the campaign's newest messages, newest first, addresses masked or left out."""
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.campaign_id == campaign.id)
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    )
    return [
        LogEntry(
            kind=row.kind,
            state=row.state,
            attempts=row.attempts,
            created_at=row.created_at,
            sent_at=row.sent_at,
            next_attempt_at=row.next_attempt_at if row.state == "deferred" else None,
            error=_masked(row.last_error),
            recipient=mask_address(row.recipient) if show_recipients else None,
        )
        for row in rows
    ]


def _masked(text: str | None) -> str | None:
    return _ADDRESS.sub(lambda match: mask_address(match.group()), text) if text else text
