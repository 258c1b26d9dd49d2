"""Open Collective: a collective's totals through GraphQL v2, polled like a feed."""

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.feed_server import FeedServer, Route
from tracker.connectors.opencollective import QUERY
from tracker.models import Channel, FundingSnapshot, utcnow

DATA = Path(__file__).parent.parent / "data" / "connectors"
COLLECTIVE = (DATA / "opencollective_collective.json").read_bytes()
JSON = {"Content-Type": "application/json; charset=utf-8"}


@pytest.fixture
def server(app):
    app.config["ALLOW_PRIVATE_FEEDS"] = True  # the test server listens on 127.0.0.1
    with FeedServer() as running:
        app.config["OPENCOLLECTIVE_API_URL"] = running.url("/graphql/v2")
        yield running


@pytest.fixture
def channel(cli, server, session, campaign):
    result = cli("feeds", "add", "synth", "https://opencollective.com/synth-collective")
    assert result.exit_code == 0, result.output
    assert "[opencollective, updates]" in result.output
    return session.scalars(select(Channel)).one()


def snapshots(session):
    session.expire_all()
    return session.scalars(select(FundingSnapshot).order_by(FundingSnapshot.id)).all()


def test_a_poll_records_total_received_and_contributors(cli, server, session, channel):
    server.route("/graphql/v2", body=COLLECTIVE, headers=JSON)
    assert channel.kind == "opencollective"
    assert channel.feed_url == "https://opencollective.com/synth-collective"

    assert "1 changed" in cli("feeds", "poll").output

    [snapshot] = snapshots(session)
    assert (snapshot.amount_minor, snapshot.backers) == (1250075, 87)
    assert snapshot.source == "opencollective"
    [sent] = server.requests_to("/graphql/v2")
    assert sent.method == "POST"
    payload = json.loads(sent.body)
    assert payload["variables"]["slug"] == "synth-collective"
    # Amounts only: nothing about who gave is asked for.
    for personal in ("fromAccount", "name", "email", "description"):
        assert personal not in payload["query"]
    assert payload["query"] == QUERY


def test_the_same_totals_are_stored_once(cli, server, session, channel):
    server.route("/graphql/v2", body=COLLECTIVE, headers=JSON)
    cli("feeds", "poll")
    found = session.get(Channel, channel.id)
    found.next_poll_at = utcnow()
    session.commit()
    assert "1 changed" in cli("feeds", "poll").output
    assert len(snapshots(session)) == 1


def error_of(cli):
    cli("feeds", "poll")
    [listed] = json.loads(cli("feeds", "list", "synth", "--json").output)
    assert listed["kind"] == "opencollective"
    return listed["last_error"]


@pytest.mark.parametrize(
    ("route", "error"),
    [
        (
            Route(body=b'{"data": {"account": null, "transactions": null}}', headers=JSON),
            "not found: Open Collective has no collective by this name",
        ),
        (
            Route(body=b'{"errors": [{"message": "Rate limit exceeded"}]}', headers=JSON),
            "Open Collective's API answered: Rate limit exceeded",
        ),
        (
            Route(body=b'{"data": {"account": {"slug": "x"}}}', headers=JSON),
            "Open Collective's API gave no stats: the API may have changed",
        ),
        (Route(body=b"<html>oops", headers=JSON), "the API answered with malformed JSON"),
        (Route(status=401, body=b"{}"), "the platform asks for authentication (HTTP 401)"),
        (Route(status=404, body=b"{}"), "not found (HTTP 404)"),
        (
            Route(status=429, headers={"Retry-After": "7200"}, body=b"{}"),
            "rate limited by the platform (HTTP 429); next try after",
        ),
    ],
)
def test_each_failure_is_a_clear_channel_error(cli, server, session, channel, route, error):
    server.route("/graphql/v2", route)
    assert error_of(cli).startswith(error)
    assert snapshots(session) == []


@pytest.mark.campaign(currency="USD")
def test_a_collective_in_another_currency_is_refused_not_mixed(cli, server, session, channel):
    server.route("/graphql/v2", body=COLLECTIVE, headers=JSON)
    assert error_of(cli) == (
        "the collective counts in EUR, the campaign in USD: "
        "choose the collective's currency for the campaign"
    )
    assert snapshots(session) == []


def test_a_page_that_is_no_collective_is_refused_before_any_fetch(cli, server, campaign):
    result = cli("feeds", "add", "synth", server.url("/a/b/c"), "--kind", "opencollective")
    assert result.exit_code == 1 and "Use an Open Collective page URL" in result.output
    assert server.requests == []
