"""The record of a running import: one per campaign, committed batch by batch, done or failed.

An import writes its rows in batches, each its own short transaction, so that no other
writer waits on it for longer than one batch: on SQLite one writer holds the whole file,
and a login or a milestone edit waiting past the busy timeout answered 500 "database is
locked". The price is that an import is no longer atomic; its record says 'running'
while it writes, 'done' at the end, and 'failed' when it stopped halfway. The batches a
failed import wrote stay: the ledger is keyed by the platform's ids, so importing the
file again finds them unchanged and writes the rest.
"""

import logging
import sqlite3
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, select

from tracker.models import PledgeImport, utcnow

log = logging.getLogger("tracker.pledges.imports")

# A running import commits a batch every second or so, at worst every 20 s while it
# retries a locked database; one silent for this long was killed (SIGKILL, a worker
# timeout, a lost machine) and no longer holds its campaign.
STALE_AFTER = timedelta(minutes=2)
# Each attempt waits SQLite's busy timeout first: a writer holding the file this long
# (4 x 5 s) is stuck, and the import fails rather than wait for ever.
LOCK_ATTEMPTS = 4
_LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL, when a lock_timeout is set


def is_locked(error: OperationalError) -> bool:
    """Tell whether a database error means another writer held the lock too long."""
    cause = error.orig
    if isinstance(cause, sqlite3.OperationalError):
        return "locked" in str(cause)
    return getattr(cause, "sqlstate", None) == _LOCK_NOT_AVAILABLE


def commit_with_retry(session: Session, work: Callable[[], None], *, what: str) -> None:
    """Run work and commit it; start again from a clean transaction when the lock was busy."""
    for attempt in range(1, LOCK_ATTEMPTS + 1):
        try:
            work()
            session.commit()
            return
        except OperationalError as error:
            session.rollback()
            if attempt == LOCK_ATTEMPTS or not is_locked(error):
                raise
            log.warning(
                "%s: the database is locked (attempt %d of %d), trying again",
                what,
                attempt,
                LOCK_ATTEMPTS,
            )


class RunBusy(Exception):
    """Another import of the campaign is running; `running` is it, when it could be read."""

    def __init__(self, running: PledgeImport | None) -> None:
        self.running = running
        super().__init__("an import of this campaign is running")


def start_run(session: Session, record: PledgeImport) -> PledgeImport:
    """Commit record as its campaign's running import, or raise RunBusy."""
    session.commit()  # what the caller wrote before is theirs, not part of a refusal
    running = None
    for _ in range(3):
        record.status, record.last_batch_at = "running", utcnow()
        try:
            commit_with_retry(session, lambda r=record: session.add(r), what=record.filename)
            return record
        except IntegrityError:
            session.rollback()
        running = session.exec(
            select(PledgeImport).where(
                PledgeImport.campaign_id == record.campaign_id, PledgeImport.status == "running"
            )
        ).first()
        if running is not None and (running.last_batch_at or running.imported_at) > (
            utcnow() - STALE_AFTER
        ):
            raise RunBusy(running)
        if running is not None:
            log.warning("pledge import %s was left running: marked failed", running.id)
            _mark(session, running, "failed")
        record = PledgeImport(**record.model_dump(exclude={"id"}))
    raise RunBusy(running)


def finish_run(session: Session, record: PledgeImport) -> None:
    """Mark the import done, with the counts already set on its record."""
    _mark(session, record, "done")


def fail_run(session: Session, record: PledgeImport) -> None:
    """Mark an import that stopped halfway as failed, keeping the batches it committed."""
    session.rollback()
    try:
        _mark(session, record, "failed")
    except Exception:
        # The original error matters more; left 'running', the record goes stale.
        log.exception("pledge import %s could not be marked failed", record.id)
        session.rollback()


def _mark(session: Session, record: PledgeImport, status: str) -> None:
    def work() -> None:
        record.status, record.last_batch_at = status, utcnow()
        session.add(record)

    commit_with_retry(session, work, what=record.filename)
