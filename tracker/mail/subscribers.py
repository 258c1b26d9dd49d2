"""Backers' subscriptions: double opt-in, rate limits, unsubscribe, counts (never addresses).

subscribe() answers the same whatever the address's state, so the form never tells
whether an address is subscribed: a new or pending address gets the confirmation message,
a confirmed one a note that it already is (both only to that address), a bounced one
nothing. Nothing else is ever sent to an address before it is confirmed.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, literal, select, update
from sqlmodel import Session

from tracker.errors import InvalidInput
from tracker.mail.messages import Letter
from tracker.mail.outbox import OUTBOX, queue_letter
from tracker.mail.tokens import CONFIRM_MAX_AGE, subscriber_digest
from tracker.models import (
    Campaign,
    OutboxMessage,
    PublishedReport,
    SubscribeAttempt,
    Subscriber,
    UTCDateTime,
    utcnow,
)

SUBSCRIBERS = Subscriber.__table__
LANGUAGES = ("en", "de")
RECEIVES = ("reports", "digest", "both")
STATES = ("pending", "confirmed")
# Per address: a few tries an hour (a typo corrected, a lost message); more would let
# anyone flood a stranger's inbox with confirmation requests.
ADDRESS_LIMIT = 3
# Per client address: a household or office behind one IP subscribes a few people.
CLIENT_LIMIT = 10
LIMIT_WINDOW = timedelta(hours=1)


class TooManyAttempts(Exception):
    """This client subscribed too often in the last hour: it should wait."""


@dataclass(frozen=True)
class Letters:
    """The two messages subscribe() may queue, made by the caller (templates, links)."""

    confirm: Callable[[Subscriber], Letter]
    already: Callable[[Subscriber], Letter]


def normalize_address(address: str) -> str:
    """Return the address in the form we store (lower case), or raise InvalidInput."""
    from tracker.accounts.users import normalize_email  # loads email_validator: see there

    try:
        return normalize_email(address)
    except InvalidInput as error:
        raise InvalidInput({"address": error.errors["email"]}) from None


def subscribe(
    session: Session,
    *,
    campaign: Campaign,
    address: str,
    language: str,
    receives: str,
    client: str,
    secret: str,
    letters: Letters,
    now: datetime | None = None,
) -> OutboxMessage | None:
    """Record the wish and queue the one message it warrants; return it (None: none sent)."""
    now = now or utcnow()
    if language not in LANGUAGES:
        raise InvalidInput({"language": f"choose one of {', '.join(LANGUAGES)}"})
    if receives not in RECEIVES:
        raise InvalidInput({"receives": f"choose one of {', '.join(RECEIVES)}"})
    address = normalize_address(address)
    if _attempts(session, _key(secret, "client", client), now) >= CLIENT_LIMIT:
        raise TooManyAttempts()
    _record(session, _key(secret, "client", client), now)
    address_key = _key(secret, "address", address)
    flooded = _attempts(session, address_key, now) >= ADDRESS_LIMIT
    _record(session, address_key, now)
    if flooded:
        return None  # the same answer, and no message: the inbox's owner is not flooded
    subscriber = session.scalar(
        select(Subscriber).where(
            Subscriber.campaign_id == campaign.id, Subscriber.address == address
        )
    )
    if subscriber is not None and subscriber.bounced_at is not None:
        return None
    if subscriber is None:
        subscriber = Subscriber(
            campaign_id=campaign.id,
            address=address,
            language=language,
            receives=receives,
            created_at=now,
        )
        session.add(subscriber)
        session.flush()
    elif subscriber.state == "pending":
        subscriber.language, subscriber.receives = language, receives
        subscriber.created_at = now  # a new link; the older ones stop working
        session.flush()
    letter = (letters.already if subscriber.state == "confirmed" else letters.confirm)(subscriber)
    return queue_letter(
        session,
        recipient=address,
        kind="confirm" if subscriber.state == "pending" else "notice",
        letter=letter,
        campaign_id=campaign.id,
        subscriber_id=subscriber.id,
    )


def queue_report_mail(
    session: Session, report: PublishedReport, *, now: datetime | None = None
) -> int:
    """Queue a published report's e-mail to each confirmed subscriber of reports; return how many.

    One INSERT ... SELECT: no subscriber is loaded, whatever their number. Each row is
    composed when the worker sends it, in its subscriber's language.
    """
    now = now or utcnow()
    chosen = SUBSCRIBERS.c.campaign_id == report.campaign_id
    wanted = (
        chosen
        & (SUBSCRIBERS.c.state == "confirmed")
        & SUBSCRIBERS.c.receives.in_(("reports", "both"))
        & SUBSCRIBERS.c.bounced_at.is_(None)
    )
    rows = select(
        literal(report.campaign_id),
        SUBSCRIBERS.c.id,
        literal(report.id),
        literal("report"),
        SUBSCRIBERS.c.address,
        SUBSCRIBERS.c.language,
        literal(""),
        literal(""),
        literal("queued"),
        literal(0),
        literal(now, UTCDateTime()),
        literal(now, UTCDateTime()),
    ).where(wanted)
    columns = [
        "campaign_id", "subscriber_id", "report_id", "kind", "recipient", "language",
        "subject", "text_body", "state", "attempts", "next_attempt_at", "created_at",
    ]  # fmt: skip
    session.execute(insert(OUTBOX).from_select(columns, rows.order_by(SUBSCRIBERS.c.id)))
    # Counted, not the INSERT's rowcount: psycopg reports -1 for INSERT ... SELECT here.
    queued = select(func.count()).where(OUTBOX.c.report_id == report.id, OUTBOX.c.kind == "report")
    return session.scalar(queued)


def find_subscriber(session: Session, subscriber_id: int, digest: str) -> Subscriber | None:
    """Return the subscription a token names, if it still exists."""
    subscriber = session.get(Subscriber, subscriber_id)
    if subscriber is None or not hmac.compare_digest(subscriber_digest(subscriber), digest):
        return None
    return subscriber


def confirm(session: Session, subscriber: Subscriber, *, now: datetime | None = None) -> None:
    """Confirm the subscription (again is harmless)."""
    if subscriber.state != "confirmed":
        subscriber.state = "confirmed"
        subscriber.confirmed_at = now or utcnow()
        session.flush()


def unsubscribe(session: Session, subscriber: Subscriber) -> None:
    """Delete the subscription and every trace of its address in the outbox."""
    forget(session, subscriber)


def delete_address(session: Session, *, campaign: Campaign, address: str) -> bool:
    """Delete the campaign's subscription of address (a founder's erasure on request)."""
    subscriber = session.scalar(
        select(Subscriber).where(
            Subscriber.campaign_id == campaign.id,
            Subscriber.address == normalize_address(address),
        )
    )
    if subscriber is None:
        return False
    forget(session, subscriber)
    return True


def forget(session: Session, subscriber: Subscriber) -> None:
    """Delete the subscriber, its unsent messages, and its address from the delivery log."""
    unsent = OUTBOX.c.state.in_(("queued", "deferred"))
    mine = OUTBOX.c.subscriber_id == subscriber.id
    session.execute(delete(OUTBOX).where(mine, unsent))
    session.execute(update(OUTBOX).where(mine).values(recipient=mask_address(subscriber.address)))
    session.delete(subscriber)
    session.flush()


def purge_unconfirmed(session: Session, *, now: datetime | None = None) -> int:
    """Delete pending subscriptions whose confirmation link has expired; return how many."""
    cutoff = (now or utcnow()) - CONFIRM_MAX_AGE
    stale = session.scalars(
        select(Subscriber).where(Subscriber.state == "pending", Subscriber.created_at < cutoff)
    ).all()
    for subscriber in stale:
        forget(session, subscriber)
    session.execute(
        delete(SubscribeAttempt).where(
            SubscribeAttempt.attempted_at < (now or utcnow()) - LIMIT_WINDOW
        )
    )
    return len(stale)


def subscriber_counts(session: Session, campaign: Campaign) -> dict[str, dict[str, int]]:
    """Return {state: {language: count}} of the campaign's subscribers, every key present."""
    counts = {state: dict.fromkeys(LANGUAGES, 0) for state in STATES}
    rows = session.execute(
        select(Subscriber.state, Subscriber.language, func.count())
        .where(Subscriber.campaign_id == campaign.id)
        .group_by(Subscriber.state, Subscriber.language)
    )
    for state, language, count in rows:
        counts.setdefault(state, {}).setdefault(language, 0)
        counts[state][language] += count
    return counts


def confirmed_subscribers(session: Session, campaign: Campaign) -> int:
    """Return how many confirmed subscribers the campaign has."""
    return session.scalar(
        select(func.count())
        .select_from(Subscriber)
        .where(Subscriber.campaign_id == campaign.id, Subscriber.state == "confirmed")
    )


def mask_address(address: str) -> str:
    """Return the address with its local part hidden but its first letter: a***@example.com."""
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}***@{domain}" if local else "***"


def _key(secret: str, kind: str, value: str) -> str:
    # Keyed: the attempts table never holds an address, nor a hash anyone could reverse
    # by hashing candidate addresses.
    return hmac.new(secret.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _attempts(session: Session, key: str, now: datetime) -> int:
    return session.scalar(
        select(func.count())
        .select_from(SubscribeAttempt)
        .where(SubscribeAttempt.key == key, SubscribeAttempt.attempted_at > now - LIMIT_WINDOW)
    )


def _record(session: Session, key: str, now: datetime) -> None:
    session.add(SubscribeAttempt(key=key, attempted_at=now))
    session.flush()
