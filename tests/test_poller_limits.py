"""Hostile feeds and failed stores: a poll ends, counts the failure and records it."""

import time
from datetime import timedelta

import pytest
from factories import make_campaign
from factories_feeds import LOCAL, RSS, make_channel
from feed_server import FeedServer
from sqlalchemy import select

from tracker.models import Channel, Entry, utcnow
from tracker.poller import poll_due


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


def nested_feed(depth: int) -> bytes:
    """Return an RSS document: one plain entry, then one whose HTML nests `depth` <div>."""
    deep = "<div>" * depth + "deep text"
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Devlog</title>'
        "<item><guid>plain</guid><title>Plain</title><description>&lt;p&gt;Fine&lt;/p&gt;"
        "</description></item>"
        f"<item><guid>deep</guid><title>Deep</title><description><![CDATA[{deep}]]>"
        "</description></item></channel></rss>"
    ).encode()


def test_deeply_nested_html_ends_the_poll_quickly_and_fails_the_channel(app, session, server):
    # The attack: 400,000 nested <div>, 2 MB, no entities, in one entry.
    body = nested_feed(400_000)
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

