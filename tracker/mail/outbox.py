"""The outbox: every e-mail is a row, sent by the worker in batches, exactly once if it can be.

For other areas (alerts, digests), the whole API is:

    queue_letter(session, recipient=..., kind="alert", letter=Letter(...), campaign_id=...)
    session.commit(); enqueue("mail.deliver")    # the worker sends it soon

`deliver_due(engine, transport, ...)` is what the worker runs ("mail.deliver" when asked,
"mail.retry" every minute). It claims up to `batch_size` due rows with a lease (one short
transaction), then for each row: one transaction marks it "sending", the SMTP transaction
hands it over, and the next transaction marks it "sent" (or "deferred", "bounced") together
with the next row's "sending". A run keeps one database connection and one SMTP connection;
the composer loads a batch's subscribers in one query. "sending" is never set for a whole
batch, nor "sent" for a group: either would widen the window below past one message.
A worker killed anywhere leaves at most one row in "sending"; rows it claimed and never
began stay "queued" and are taken by the next worker once the lease expires
(MAIL_LEASE_SECONDS), so none is dropped.

The one-message window: a worker killed after the server accepted a message (its 250
reply to DATA) and before "sent" was committed leaves that row in "sending". Nothing can
tell whether the server kept it: SMTP has no way to ask, nor a two-phase commit. The row
is sent again when its lease expires, with the same Message-ID, which receiving servers
and mail readers use to drop a duplicate. Sending again rather than giving up is the best
possible choice: a backer may at worst see a second copy of one message, never miss one,
and the window is a few milliseconds long per batch, not the batch's length.

Retries: a 4xx reply or a lost connection defers the row (after MAIL_RETRY_SECONDS,
doubling each time, at most 6 hours; bounced after MAIL_MAX_ATTEMPTS). A 5xx reply bounces
it and stops mail to that address: its other rows bounce and its subscriptions are marked.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from threading import Event

from sqlalchemy import Engine, Row, bindparam, delete, or_, select, update
from sqlmodel import Session

from tracker.mail.messages import Letter, build_message, message_id
from tracker.mail.transport import PermanentFailure, TemporaryFailure
from tracker.models import OutboxMessage, Subscriber, utcnow

OUTBOX = OutboxMessage.__table__
SUBSCRIBERS = Subscriber.__table__
STATES = ("queued", "sending", "sent", "deferred", "bounced")
DUE_STATES = ("queued", "sending", "deferred")
MAX_RETRY_DELAY = timedelta(hours=6)


@dataclass(frozen=True)
class DeliveryRules:
    """How the worker sends: batch size, claim lease, retry delay and attempts."""

    sender: str
    id_domain: str  # the right side of Message-IDs
    batch_size: int = 100
    lease_seconds: float = 300
    retry_seconds: float = 60
    max_attempts: int = 10


@dataclass
class DeliveryTally:
    """How many messages a run sent, deferred and bounced."""

    sent: int = 0
    deferred: int = 0
    bounced: int = 0
    dropped: int = 0
    unreachable: list[str] = field(default_factory=list)

    def line(self) -> str:
        """Return a one-line summary."""
        return f"{self.sent} sent, {self.deferred} deferred, {self.bounced} bounced" + (
            f", {self.dropped} dropped" if self.dropped else ""
        )


# compose(rows) is called once per claimed batch (to load what its messages need at once)
# and returns letter(row): the Letter of a row composed when sent (one naming a report),
# or None when it should no longer be sent (its subscriber is gone).
Composer = Callable[[Sequence[Row]], Callable[[Row], Letter | None]]


def queue_letter(
    session: Session,
    *,
    recipient: str,
    kind: str,
    letter: Letter,
    campaign_id: int | None = None,
    subscriber_id: int | None = None,
) -> OutboxMessage:
    """Add one message to the outbox (flushed; the caller commits, then enqueues mail.deliver)."""
    row = OutboxMessage(**_columns(recipient, kind, letter, campaign_id, subscriber_id))
    session.add(row)
    session.flush()
    return row


def _columns(recipient, kind, letter, campaign_id, subscriber_id) -> dict:
    return {
        "campaign_id": campaign_id,
        "subscriber_id": subscriber_id,
        "kind": kind,
        "recipient": recipient,
        "language": letter.language,
        "subject": letter.subject,
        "text_body": letter.text,
        "html_body": letter.html,
        "unsubscribe_url": letter.unsubscribe_url,
    }


# (recipient, letter, subscriber_id) of one message among many of a kind and campaign
Addressed = tuple[str, Letter, int | None]
BULK_ROWS = 500  # rows per INSERT when many messages are queued at once


def queue_letters(
    session: Session, addressed: Iterable[Addressed], *, kind: str, campaign_id: int | None
) -> int:
    """Add many messages to the outbox, BULK_ROWS per INSERT; return how many (caller commits)."""
    # One flush per message made a digest to 2,000 subscribers take 15 s, most of it here.
    queued, rows = 0, []
    for recipient, letter, subscriber_id in addressed:
        rows.append(_columns(recipient, kind, letter, campaign_id, subscriber_id))
        if len(rows) == BULK_ROWS:
            queued += _insert(session, rows)
            rows = []
    return queued + (_insert(session, rows) if rows else 0)


def _insert(session: Session, rows: list[dict]) -> int:
    # Column defaults (state, attempts, next_attempt_at, created_at) apply to Core inserts.
    session.execute(OUTBOX.insert(), rows)
    return len(rows)


def stored_letter(row: OutboxMessage) -> Letter:
    """Return the Letter a row carries in its own columns."""
    return Letter(
        subject=row.subject,
        text=row.text_body,
        html=row.html_body,
        language=row.language,
        unsubscribe_url=row.unsubscribe_url,
    )


def deliver_due(
    engine: Engine,
    transport,
    rules: DeliveryRules,
    *,
    compose: Composer | None = None,
    stop: Event | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> DeliveryTally:
    """Send every message due now, batch by batch, until none is left or stop is set."""
    tally = DeliveryTally()
    started = clock()  # rows deferred during this run wait for a later one
    try:
        # One connection for the whole run: checking one out per message (and PostgreSQL's
        # pre-ping with it) was a large share of each message's cost.
        with engine.connect() as connection:
            while not (stop and stop.is_set()):
                token = uuid.uuid4().hex
                rows = _claim(connection, token, started, clock(), rules)
                if not rows:
                    break
                batch = _Batch(connection, token, transport, rules, tally, clock)
                letters = compose(rows) if compose is not None else None
                if not batch.send(rows, letters, stop):
                    break  # the server cannot be reached: the next run tries again
    finally:
        transport.close()
    return tally


def _claim(connection, token: str, started: datetime, now: datetime, rules: DeliveryRules):
    """Lease up to batch_size due rows to token; return them in id order."""
    free = or_(OUTBOX.c.lease_until.is_(None), OUTBOX.c.lease_until < now)
    due = (
        select(OUTBOX.c.id)
        .where(OUTBOX.c.state.in_(DUE_STATES), OUTBOX.c.next_attempt_at <= started, free)
        .order_by(OUTBOX.c.id)
        .limit(rules.batch_size)
        .with_for_update(skip_locked=True)  # PostgreSQL: workers claim different rows
    )
    with connection.begin():
        ids = connection.execute(due).scalars().all()
        if not ids:
            return []
        # `free` again: on SQLite another process may have leased them since the SELECT.
        connection.execute(
            update(OUTBOX)
            .where(OUTBOX.c.id.in_(ids), free)
            .values(lease=token, lease_until=now + timedelta(seconds=rules.lease_seconds))
        )
        claimed = select(OUTBOX).where(OUTBOX.c.lease == token).order_by(OUTBOX.c.id)
        return connection.execute(claimed).all()


# Built once: building and caching an UPDATE per message cost more than running it.
_row, _token = bindparam("row_id"), bindparam("token")
# The states spelt out: an IN list is expanded anew at each execution.
_DUE = or_(*(OUTBOX.c.state == state for state in DUE_STATES))
_START = (
    update(OUTBOX)
    .where(OUTBOX.c.id == _row, OUTBOX.c.lease == _token, _DUE)
    .values(state="sending", attempts=OUTBOX.c.attempts + 1)
)
_SENT = (
    update(OUTBOX)
    .where(OUTBOX.c.id == _row)
    .values(state="sent", sent_at=bindparam("at"), last_error=None, lease=None, lease_until=None)
)


class _Batch:
    """The claimed rows of one lease, sent in order over one database connection."""

    def __init__(self, connection, token, transport, rules, tally, clock) -> None:
        self.connection, self.token, self.transport = connection, token, transport
        self.rules, self.tally, self.clock = rules, tally, clock
        self.sent_row: int | None = None  # the previous row's "sent", written with the next
        self.pending: list = []  # or its other outcome's statements

    def send(self, rows, letters, stop: Event | None) -> bool:
        """Send the rows in order; return False when the server cannot be reached."""
        rules, tally = self.rules, self.tally
        try:
            for row in rows:
                if stop and stop.is_set():
                    break
                composed = letters is not None and row.report_id is not None
                letter = letters(row) if composed else stored_letter(row)
                if letter is None:
                    self.pending.append(delete(OUTBOX).where(OUTBOX.c.id == row.id))
                    tally.dropped += 1
                    continue
                data = build_message(
                    letter,
                    sender=rules.sender,
                    recipient=row.recipient,
                    message_id=message_id(row.id, rules.id_domain),
                    date=self.clock(),
                )
                if not self._begin(row.id):
                    continue  # the lease was lost to another worker: it sends this row
                try:
                    self.transport.send(rules.sender, row.recipient, data)
                except TemporaryFailure as error:
                    self.pending = _deferred(row, str(error), rules, self.clock(), tally)
                    if str(error).startswith(("cannot reach", "connection lost", "login refused")):
                        tally.unreachable.append(str(error))
                        return False
                except PermanentFailure as error:
                    self.pending = _bounced(row, str(error), self.clock())
                    tally.bounced += 1
                else:
                    self.sent_row = row.id
                    tally.sent += 1
            return True
        finally:
            with self.connection.begin():
                self._write_outcome()
                # Rows of the batch not begun go back to the queue at once.
                self.connection.execute(
                    update(OUTBOX)
                    .where(OUTBOX.c.lease == self.token, OUTBOX.c.state != "sending")
                    .values(lease=None, lease_until=None)
                )

    def _begin(self, row_id: int) -> bool:
        """Write the previous outcome and mark the row sending, in one transaction."""
        # One transaction per SMTP transaction is what keeps the window at one message: a
        # row is "sending" only while its own DATA is out, and its "sent" is committed
        # before the next row's DATA begins (with that row's "sending").
        with self.connection.begin():
            self._write_outcome()
            started = self.connection.execute(_START, {"row_id": row_id, "token": self.token})
            return started.rowcount == 1

    def _write_outcome(self) -> None:
        if self.sent_row is not None:
            self.connection.execute(_SENT, {"row_id": self.sent_row, "at": self.clock()})
            self.sent_row = None
        for statement in self.pending:
            self.connection.execute(statement)
        self.pending = []


def _finished(row_id: int, **values):
    return (
        update(OUTBOX).where(OUTBOX.c.id == row_id).values(lease=None, lease_until=None, **values)
    )


def _deferred(row, error: str, rules: DeliveryRules, now: datetime, tally) -> list:
    attempts = row.attempts + 1
    if attempts >= rules.max_attempts:
        tally.bounced += 1
        error = f"gave up after {attempts} attempts: {error}"
        return [_finished(row.id, state="bounced", last_error=error[:300])]
    tally.deferred += 1
    delay = min(timedelta(seconds=rules.retry_seconds * 2 ** (attempts - 1)), MAX_RETRY_DELAY)
    return [
        _finished(row.id, state="deferred", next_attempt_at=now + delay, last_error=error[:300])
    ]


def _bounced(row, error: str, now: datetime) -> list:
    """Bounce the row and stop every other message and subscription to its address."""
    others = (OUTBOX.c.recipient == row.recipient) & OUTBOX.c.state.in_(("queued", "deferred"))
    return [
        _finished(row.id, state="bounced", last_error=error[:300]),
        update(OUTBOX)
        .where(others, OUTBOX.c.id != row.id)
        .values(state="bounced", last_error=f"an earlier message bounced: {error}"[:300]),
        update(SUBSCRIBERS).where(SUBSCRIBERS.c.address == row.recipient).values(bounced_at=now),
    ]
