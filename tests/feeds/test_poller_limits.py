"""Hostile feeds and failed stores: a poll ends, counts the failure and records it."""

import logging
import sqlite3
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, event, select, text

from tests.factories import make_campaign
from tests.factories.feeds import LOCAL, RSS, make_channel, nested_rss, rss
from tests.feed_server import FeedServer, Route
from tracker.db import make_engine
from tracker.feeds.claims import LEASE
from tracker.feeds.poller import poll_channel, poll_due
from tracker.models import Channel, Entry, utcnow


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


def test_deeply_nested_html_ends_the_poll_quickly_and_fails_the_channel(app, session, server):
    # The attack: 400,000 nested <div>, 2 MB, no entities, in one entry.
    body = nested_rss(400_000)
    assert len(body) > 2_000_000
    server.route("/deep.rss", body=body, headers=RSS)
    channel = make_channel(session, make_campaign(session), feed_url=server.url("/deep.rss"))
    engine = app.extensions["tracker.engine"]
    started = time.monotonic()

    summary = poll_due(engine, policy=LOCAL, workers=1)

    seconds = time.monotonic() - started
    print(f"a poll of 400,000 nested <div> took {seconds:.2f} s")
    assert seconds < 30  # generous: the bound is per entry; it was 512 s
    assert (summary.polled, summary.failed, summary.new_entries) == (1, 1, 2)
    session.expire_all()
    channel = session.get(Channel, channel.id)
    assert channel.consecutive_errors == 1
    assert channel.last_error == (
        "1 entry ('Deep'): HTML nested deeper than 100 levels, stored as plain text"
    )
    # Backoff applies: the base hour doubled once.
    assert channel.next_poll_at > utcnow() + timedelta(hours=1, minutes=59)
    stored = dict(session.execute(select(Entry.title, Entry.content_html)).all())
    assert stored == {"Plain": "<p>Fine</p>", "Deep": "<p>deep text</p>"}  # Deep: as text


class Locker:
    """Hold the lock a poll's store needs, from a connection of its own."""

    def __init__(self, url: str, channel_id: int) -> None:
        self.url, self.channel_id = url, channel_id
        self.held = threading.Event()
        if url.startswith("sqlite"):
            path = url.removeprefix("sqlite:///")
            self._sqlite = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        else:
            self._engine = create_engine(url)
            self._connection = self._engine.connect()

    def acquire(self) -> None:
        if self.url.startswith("sqlite"):
            self._sqlite.execute("BEGIN IMMEDIATE")  # the one writer's lock
        else:
            # Storing entries takes a key-share lock on their channel's row: wait for it.
            self._connection.execute(
                text("SELECT id FROM channels WHERE id = :id FOR UPDATE"), {"id": self.channel_id}
            )
        self.held.set()

    def release(self) -> None:
        if self.held.is_set():
            self.held.clear()
            if self.url.startswith("sqlite"):
                self._sqlite.execute("ROLLBACK")
            else:
                self._connection.rollback()

    def close(self) -> None:
        self.release()
        if self.url.startswith("sqlite"):
            self._sqlite.close()
        else:
            self._connection.close()
            self._engine.dispose()


class ReleaseOnWarning(logging.Handler):
    """Release the lock as soon as the poller reports a problem, as a busy writer would."""

    def __init__(self, locker: Locker) -> None:
        super().__init__(logging.WARNING)
        self.locker = locker

    def emit(self, record: logging.LogRecord) -> None:
        self.locker.release()


def impatient_engine(url: str):
    """Return an engine like the app's that waits at most 0.2 s for a lock."""
    engine = make_engine(url)

    def wait_briefly(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        if url.startswith("sqlite"):
            cursor.execute("PRAGMA busy_timeout = 200")
        else:
            cursor.execute("SET lock_timeout = '200ms'")
            dbapi_connection.commit()
        cursor.close()

    event.listen(engine, "connect", wait_briefly)
    return engine


def _locked_poll(db_url, session, server, *, release_on_warning: bool, answer=None):
    channel = make_channel(session, make_campaign(session), feed_url=server.url("/f.rss"))
    locker = Locker(db_url, channel.id)

    def feed_while_locked(_request):
        locker.acquire()  # after the claim, before the store
        return answer or Route(body=rss(("a", "One"), ("b", "Two")), headers=RSS)

    server.route("/f.rss", feed_while_locked)
    engine = impatient_engine(db_url)
    handler = ReleaseOnWarning(locker)
    if release_on_warning:
        logging.getLogger("tracker.feeds.poller").addHandler(handler)
    try:
        summary = poll_due(engine, policy=LOCAL, workers=1)
    finally:
        logging.getLogger("tracker.feeds.poller").removeHandler(handler)
        locker.close()
        engine.dispose()
    session.expire_all()
    return summary, session.get(Channel, channel.id)


def test_a_store_that_meets_a_lock_counts_as_failed_and_is_recorded(db_url, session, server):
    summary, channel = _locked_poll(db_url, session, server, release_on_warning=True)

    assert (summary.polled, summary.failed, summary.new_entries) == (1, 1, 0)
    assert channel.consecutive_errors == 1
    assert channel.last_error.startswith("could not store the poll: ")
    assert ("locked" if db_url.startswith("sqlite") else "lock timeout") in channel.last_error
    assert channel.next_poll_at > utcnow() + timedelta(hours=1, minutes=59)  # backoff
    assert session.scalars(select(Entry)).all() == []


def test_a_304_whose_write_meets_a_lock_counts_as_failed_and_is_recorded(db_url, session, server):
    not_modified = Route(status=304, headers={"ETag": '"v1"'})
    summary, channel = _locked_poll(
        db_url, session, server, release_on_warning=True, answer=not_modified
    )

    assert (summary.polled, summary.failed, summary.not_modified) == (1, 1, 0)
    assert channel.consecutive_errors == 1 and channel.etag is None
    assert channel.last_error.startswith("could not store the poll: ")
    assert channel.next_poll_at > utcnow() + timedelta(hours=1, minutes=59)  # backoff


def test_a_store_that_cannot_even_record_its_failure_still_counts(db_url, session, server):
    summary, channel = _locked_poll(db_url, session, server, release_on_warning=False)

    assert (summary.polled, summary.failed) == (1, 1)
    # Nothing could be written: the claim's lease (10 minutes) brings the channel back.
    assert channel.consecutive_errors == 0 and channel.last_error is None
    assert utcnow() + timedelta(minutes=9) < channel.next_poll_at <= utcnow() + LEASE


def test_oversized_or_odd_validators_are_not_stored_and_the_poll_succeeds(session, server):
    # On PostgreSQL a Last-Modified over 100 characters raised StringDataRightTruncation.
    server.route(
        "/odd.rss",
        body=rss(("a", "One")),
        headers={**RSS, "Last-Modified": "Wed, 18 Nov 2026 10:00:00 GMT" + " x" * 60},
        etag='"caf\xe9"',  # sent as Latin-1: httpx cannot send it back
    )
    channel = make_channel(session, make_campaign(session), feed_url=server.url("/odd.rss"))

    first = poll_channel(session, channel, policy=LOCAL)
    session.commit()
    second = poll_channel(session, channel, policy=LOCAL)
    session.commit()

    assert (first.status, first.new, second.status) == ("updated", 1, "updated")
    assert channel.last_modified is None and channel.etag is None
    assert channel.consecutive_errors == 0
    assert "If-None-Match" not in server.requests[-1].headers


def test_valid_validators_are_kept(session, server):
    stamp = "Wed, 18 Nov 2026 10:00:00 GMT"
    server.route("/ok.rss", body=rss(("a", "One")), headers=RSS, etag='W/"v1"', last_modified=stamp)
    channel = make_channel(session, make_campaign(session), feed_url=server.url("/ok.rss"))

    poll_channel(session, channel, policy=LOCAL)
    session.commit()

    assert (channel.etag, channel.last_modified) == ('W/"v1"', stamp)
    assert poll_channel(session, channel, policy=LOCAL).status == "not_modified"


def test_an_unsendable_validator_stored_earlier_is_not_sent(session, server):
    server.route("/f.rss", body=rss(("a", "One")), headers=RSS)
    channel = make_channel(session, make_campaign(session), feed_url=server.url("/f.rss"))
    channel.etag = '"caf\xe9"'
    session.commit()

    outcome = poll_channel(session, channel, policy=LOCAL)

    assert (outcome.status, outcome.new) == ("updated", 1)
    assert "If-None-Match" not in server.requests[-1].headers
