"""Kickstarter's live figures: stats.json polled like a feed, stored as funding snapshots."""

import json
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session

from tests.factories.feeds import LOCAL
from tests.feed_server import FeedServer, Route
from tracker.connectors.kinds import CONNECTORS, KINDS
from tracker.feeds.poller import poll_channel
from tracker.models import Channel, FundingSnapshot, utcnow

DATA = Path(__file__).parent.parent / "data" / "connectors"
STATS = (DATA / "kickstarter_stats.json").read_bytes()
JSON = {"Content-Type": "application/json; charset=utf-8"}
STATS_PATH = "/projects/maker/synth/stats.json?v=1"


@pytest.fixture
def server(app):
    app.config["ALLOW_PRIVATE_FEEDS"] = True  # the test server listens on 127.0.0.1
    with FeedServer() as running:
        yield running


@pytest.fixture
def channel(cli, server, session, campaign):
    result = cli(
        "feeds", "add", "synth", server.url("/projects/maker/synth"), "--kind", "kickstarter"
    )
    assert result.exit_code == 0, result.output
    return session.scalars(select(Channel)).one()


def snapshots(session):
    session.expire_all()
    return session.scalars(select(FundingSnapshot).order_by(FundingSnapshot.id)).all()


def poll_again(cli, session, channel):
    session.expire_all()
    channel = session.get(Channel, channel.id)
    channel.next_poll_at = utcnow()
    session.commit()
    result = cli("feeds", "poll")
    assert result.exit_code == 0, result.output
    return result.output


def test_each_poll_records_the_live_figures(cli, server, session, channel):
    server.route(STATS_PATH, body=STATS, headers=JSON)
    assert channel.kind == "kickstarter" and channel.origin == "kickstarter"
    assert channel.feed_url == server.url("/projects/maker/synth")

    output = cli("feeds", "poll").output

    assert "1 changed" in output
    [snapshot] = snapshots(session)
    assert (snapshot.amount_minor, snapshot.backers, snapshot.source) == (
        1234550,
        321,
        "kickstarter",
    )
    assert [r.path for r in server.requests] == [STATS_PATH]


def test_the_same_figures_are_stored_once_a_day_and_changes_each_time(
    cli, server, session, channel
):
    server.route(STATS_PATH, body=STATS, headers=JSON)
    poll_again(cli, session, channel)
    poll_again(cli, session, channel)
    assert len(snapshots(session)) == 1
    changed = json.loads(STATS)
    changed["project"].update(pledged="13000.0", backers_count=330)
    server.route(STATS_PATH, body=json.dumps(changed).encode(), headers=JSON)
    poll_again(cli, session, channel)
    assert [(s.amount_minor, s.backers) for s in snapshots(session)] == [
        (1234550, 321),
        (1300000, 330),
    ]


def test_a_kickstarter_url_is_detected_and_checked_before_any_fetch(cli, server, session, campaign):
    result = cli(
        "feeds", "add", "synth", "https://www.kickstarter.com/projects/maker/synth/description"
    )
    assert result.exit_code == 0, result.output
    assert "[kickstarter, updates]" in result.output
    added = session.scalars(select(Channel)).one()
    assert added.feed_url == "https://www.kickstarter.com/projects/maker/synth"

    refused = cli("feeds", "add", "synth", server.url("/creators/maker"), "--kind", "kickstarter")
    assert refused.exit_code != 0
    assert "Use a Kickstarter project URL" in refused.output
    assert server.requests == []


def test_unknown_and_unsupported_kinds_are_refused(cli, campaign):
    unknown = cli("feeds", "add", "synth", "https://blog.example/", "--kind", "myspace")
    assert unknown.exit_code == 2 and "'myspace' is not one of" in unknown.output
    # Whichever kind still has no connector (tests/connectors/test_kinds.py checks each).
    for kind in [k for k in KINDS if k != "feed" and k not in CONNECTORS][:1]:
        later = cli("feeds", "add", "synth", "https://example.org/maker/synth", "--kind", kind)
        assert (
            later.exit_code == 1 and f"The {kind} connector is not supported yet." in later.output
        )


def test_429_moves_the_next_poll_to_retry_after(cli, server, session, channel):
    server.route(STATS_PATH, status=429, headers={**JSON, "Retry-After": "20000"}, body=b"{}")
    before = utcnow()
    assert "1 failed" in cli("feeds", "poll").output
    session.expire_all()
    failed = session.get(Channel, channel.id)
    assert failed.last_error.startswith("rate limited by the platform (HTTP 429); next try after")
    # Later than the backoff (2 h): Retry-After wins.
    assert (
        before + timedelta(seconds=19990)
        < failed.next_poll_at
        < utcnow() + timedelta(seconds=20010)
    )
    assert snapshots(session) == []


@pytest.mark.parametrize(
    ("route", "error"),
    [
        (
            Route(body=b'{"project": {"state": "live", "backers_count": 3}}', headers=JSON),
            "Kickstarter's stats.json has no amount project.pledged: the endpoint may have "
            "changed; import a backer report",
        ),
        (
            Route(body=b"<html>Just a moment...</html>", headers=JSON),
            "the API answered with malformed JSON",
        ),
        (Route(status=404, body=b"gone"), "not found (HTTP 404)"),
        (Route(status=403, body=b"blocked"), "the platform refused access (HTTP 403)"),
    ],
)
def test_a_blocked_or_changed_endpoint_is_a_clear_channel_error(
    cli, server, session, channel, route, error
):
    server.route(STATS_PATH, route)
    cli("feeds", "poll")
    listed = json.loads(cli("feeds", "list", "synth", "--json").output)
    assert listed[0]["kind"] == "kickstarter" and listed[0]["state"] == "active"
    assert listed[0]["last_error"].startswith(error)
    assert snapshots(session) == []


def test_repeated_errors_pause_the_channel(cli, server, session, channel):
    server.route(STATS_PATH, status=500, body=b"")
    channel = session.get(Channel, channel.id)
    channel.consecutive_errors = 9
    session.commit()
    assert "(1 paused)" in cli("feeds", "poll").output
    listed = json.loads(cli("feeds", "list", "synth", "--json").output)
    assert listed[0]["state"] == "paused" and listed[0]["consecutive_errors"] == 10


def test_two_pollers_on_postgresql_store_the_figures_once(app, server, session, channel):
    if session.bind.dialect.name != "postgresql":
        pytest.skip("row locks: several pollers run on PostgreSQL only")
    in_flight = threading.Barrier(2, timeout=10)

    def both_at_once(_request):
        in_flight.wait()  # each poller has fetched before either stores
        return Route(body=STATS, headers=JSON)

    server.route(STATS_PATH, both_at_once)
    engine = app.extensions["tracker.engine"]
    outcomes = []

    def poll():
        with Session(engine, expire_on_commit=False) as own:
            outcomes.append(poll_channel(own, own.get(Channel, channel.id), policy=LOCAL))
            own.commit()

    pollers = [threading.Thread(target=poll) for _ in range(2)]
    for poller in pollers:
        poller.start()
    for poller in pollers:
        poller.join()
    assert sorted(outcome.new for outcome in outcomes) == [0, 1]
    assert len(snapshots(session)) == 1
