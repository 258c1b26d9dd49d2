"""GitHub: a repository's stars, forks and watchers over time, by conditional GET."""

import json
import threading
from datetime import timedelta

import jsonschema
import pytest
from sqlalchemy import select
from sqlmodel import Session

from tests.factories.feeds import LOCAL
from tests.feed_server import FeedServer, Route
from tests.test_export import SCHEMA
from tracker.export import export_campaign
from tracker.feeds.fetch_policy import fetch_policy
from tracker.feeds.poller import poll_channel
from tracker.models import Campaign, Channel, ChannelCount, utcnow

from .test_discussions import DATA, JSON, poll

REPO = (DATA / "github_repo.json").read_bytes()
REPO_PATH = "/api/repos/ada-builds/synth"


@pytest.fixture
def server(app):
    app.config["ALLOW_PRIVATE_FEEDS"] = True  # the test server listens on 127.0.0.1
    with FeedServer() as running:
        app.config["GITHUB_API_URL"] = running.url("/api")
        yield running


@pytest.fixture
def channel(cli, server, session, campaign):
    url = "https://github.com/ada-builds/synth.git"
    result = cli("feeds", "add", "synth", url, "--kind", "github")
    assert result.exit_code == 0, result.output
    return session.scalars(select(Channel)).one()


def counts(session):
    session.expire_all()
    rows = session.scalars(select(ChannelCount).order_by(ChannelCount.id)).all()
    return [(c.metric, c.value) for c in rows]


def test_stars_forks_and_watchers_over_time_with_etags(cli, server, session, channel):
    server.route(REPO_PATH, body=REPO, headers=JSON, etag='"v1"')
    assert channel.feed_url == "https://github.com/ada-builds/synth"
    assert "1 changed" in poll(cli, session)
    # Watchers are the repository's subscribers: watchers_count is the stars' old name.
    assert counts(session) == [("forks", 96), ("stars", 1480), ("watchers", 41)]
    assert session.get(Channel, channel.id).title == "ada-builds/synth"

    assert "1 not modified" in poll(cli, session, channel)
    assert server.requests[-1].headers["If-None-Match"] == '"v1"'

    more = json.loads(REPO) | {"stargazers_count": 1502}
    server.route(REPO_PATH, body=json.dumps(more).encode(), headers=JSON, etag='"v2"')
    poll(cli, session, channel)
    assert counts(session)[3:] == [("stars", 1502)]  # only what changed is observed again
    assert [r.path for r in server.requests] == [REPO_PATH] * 3
    listed = json.loads(cli("feeds", "list", "synth", "--json").output)
    assert listed[0]["counts"] == {"forks": 96, "stars": 1502, "watchers": 41}

    document = export_campaign(session, session.get(Campaign, channel.campaign_id))
    jsonschema.validate(document, SCHEMA)
    assert {"metric": "stars", "value": 1502} in [
        {k: c[k] for k in ("metric", "value")} for c in document["channels"][0]["counts"]
    ]


def test_a_repository_url_stays_the_releases_feed_unless_github_is_asked_for(
    cli, server, session, campaign
):
    result = cli("feeds", "add", "synth", "https://github.com/ada-builds/synth")
    assert result.exit_code == 0, result.output
    added = session.scalars(select(Channel)).one()
    assert added.kind == "feed"
    assert added.feed_url == "https://github.com/ada-builds/synth/releases.atom"
    refused = cli("feeds", "add", "synth", server.url("/ada-builds"), "--kind", "github")
    assert refused.exit_code != 0 and "Give the GitHub repository URL" in refused.output
    assert server.requests == []


def test_an_exhausted_rate_limit_waits_for_its_reset(cli, server, session, channel):
    reset = int((utcnow() + timedelta(hours=2)).timestamp())
    limited = {**JSON, "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)}
    server.route(REPO_PATH, status=403, headers=limited, body=b'{"message": "API rate limit"}')
    assert "1 failed" in poll(cli, session)
    failed = session.get(Channel, channel.id)
    assert failed.last_error.startswith("the platform refused access (HTTP 403)")
    assert abs(failed.next_poll_at.timestamp() - reset) < 5
    server.route(REPO_PATH, status=429, headers={**JSON, "Retry-After": "9000"}, body=b"{}")
    before = utcnow()
    poll(cli, session, channel)
    assert session.get(Channel, channel.id).next_poll_at > before + timedelta(seconds=8990)
    assert counts(session) == []


@pytest.mark.parametrize(
    ("route", "error"),
    [
        (Route(status=404, body=b'{"message": "Not Found"}', headers=JSON), "not found (HTTP 404)"),
        (Route(status=401, body=b"{}", headers=JSON), "the platform asks for authentication"),
        (Route(body=b'{"full_name": ', headers=JSON), "the API answered with malformed JSON"),
        (
            Route(body=b'{"full_name": "a/b", "stargazers_count": "many"}', headers=JSON),
            "the GitHub API answered in an unexpected shape",
        ),
    ],
)
def test_failures_are_channel_errors(cli, server, session, channel, route, error):
    server.route(REPO_PATH, route)
    assert "1 failed" in poll(cli, session)
    listed = json.loads(cli("feeds", "list", "synth", "--json").output)
    assert listed[0]["kind"] == "github" and listed[0]["last_error"].startswith(error)
    assert counts(session) == []


def test_two_pollers_on_postgresql_store_the_counts_once(app, server, session, channel):
    if session.bind.dialect.name != "postgresql":
        pytest.skip("row locks: several pollers run on PostgreSQL only")
    in_flight = threading.Barrier(2, timeout=10)

    def both_at_once(_request):
        in_flight.wait()  # each poller has fetched before either stores
        return Route(body=REPO, headers=JSON)

    server.route(REPO_PATH, both_at_once)
    engine = app.extensions["tracker.engine"]
    policy = LOCAL.__class__(**{**LOCAL.__dict__, "api_urls": (("github", server.url("/api")),)})

    def poll_once():
        with Session(engine, expire_on_commit=False) as own:
            poll_channel(own, own.get(Channel, channel.id), policy=policy)
            own.commit()

    pollers = [threading.Thread(target=poll_once) for _ in range(2)]
    for poller in pollers:
        poller.start()
    for poller in pollers:
        poller.join()
    assert counts(session) == [("forks", 96), ("stars", 1480), ("watchers", 41)]


TOKEN = "ghp_test0123456789secret"


@pytest.fixture
def other_host():
    with FeedServer() as running:
        yield running


def test_the_token_goes_to_the_api_origin_only(
    app, cli, server, other_host, session, channel, caplog
):
    app.config["GITHUB_TOKEN"] = TOKEN
    server.route(REPO_PATH, body=REPO, headers=JSON)
    stats = "/projects/maker/synth/stats.json?v=1"
    other_host.route(stats, body=(DATA / "kickstarter_stats.json").read_bytes(), headers=JSON)
    project = other_host.url("/projects/maker/synth")
    assert cli("feeds", "add", "synth", project, "--kind", "kickstarter").exit_code == 0
    caplog.set_level("DEBUG")
    assert "2 changed" in poll(cli, session)
    (asked,) = server.requests_to(REPO_PATH)
    assert asked.headers["Authorization"] == f"Bearer {TOKEN}"
    (elsewhere,) = other_host.requests_to(stats)
    assert "Authorization" not in elsewhere.headers  # another connector, another host
    assert TOKEN not in caplog.text


def test_a_redirect_to_another_origin_carries_no_token(
    app, cli, server, other_host, session, channel
):
    app.config["GITHUB_TOKEN"] = TOKEN
    moved = other_host.url(REPO_PATH)
    server.route(REPO_PATH, status=301, headers={"Location": moved})
    other_host.route(REPO_PATH, body=REPO, headers=JSON)
    assert "1 changed" in poll(cli, session)
    assert server.requests_to(REPO_PATH)[0].headers["Authorization"] == f"Bearer {TOKEN}"
    (followed,) = other_host.requests_to(REPO_PATH)
    assert "Authorization" not in followed.headers
    # Back on the API's own origin after a hop elsewhere: still no token.
    server.route(REPO_PATH, status=302, headers={"Location": moved})
    other_host.route(REPO_PATH, status=302, headers={"Location": server.url("/api/again")})
    server.route("/api/again", body=REPO, headers=JSON)
    poll(cli, session, channel)
    assert "Authorization" not in server.requests_to("/api/again")[0].headers


def test_without_a_token_nothing_is_sent_and_a_refusal_never_shows_it(
    app, cli, server, session, channel
):
    server.route(REPO_PATH, body=REPO, headers=JSON)
    poll(cli, session)
    assert "Authorization" not in server.requests_to(REPO_PATH)[0].headers
    app.config["GITHUB_TOKEN"] = TOKEN
    server.route(REPO_PATH, status=401, body=b'{"message": "Bad credentials"}', headers=JSON)
    assert "1 failed" in poll(cli, session, channel)
    listed = cli("feeds", "list", "synth", "--json").output
    assert "asks for authentication" in listed and TOKEN not in listed
    assert TOKEN not in repr(fetch_policy(app.config))
