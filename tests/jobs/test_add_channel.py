"""Adding a channel on the dashboard fetches nothing: the URL's syntax and address are
checked at once, the worker looks for the feed and the row shows what it found (#15)."""

import json
import re

import pytest
from sqlalchemy import select

from tests.factories import make_campaign, make_user
from tests.factories.feeds import FEEDS, RSS, make_channel, rss
from tests.feed_server import FeedServer
from tests.worker import run_jobs
from tracker.cli import main
from tracker.models import Channel

HX = {"HX-Request": "true"}
HTML = {"Content-Type": "text/html; charset=utf-8"}
POLLING = 'data-hx-trigger="every 2s"'
ADD = "/dashboard/synth/feeds/channels"


@pytest.fixture
def campaign(app, client, session):
    owner = make_user(session)
    client.login(owner.email)
    return make_campaign(session, owner=owner, slug="synth")


@pytest.fixture
def local_feeds(app):
    app.config["ALLOW_PRIVATE_FEEDS"] = True  # the test feed server listens on 127.0.0.1


def _channels(session):
    session.rollback()
    session.expire_all()
    return session.scalars(select(Channel).order_by(Channel.id)).all()


def _row(client, channel):
    response = client.get(f"/dashboard/synth/feeds/channels/{channel.id}/row", headers=HX)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.usefixtures("local_feeds")
def test_the_worker_finds_the_feed_and_the_row_shows_it(app, client, session, campaign):
    with FeedServer() as server:
        server.route("/", body=(FEEDS / "page_with_alternate.html").read_bytes(), headers=HTML)
        server.route("/devlog/feed.xml", body=rss(("a", "First")), headers=RSS)
        added = client.post(ADD, {"url": server.url("/"), "role": "updates"}, headers=HX)
        html = added.get_data(as_text=True)
        assert added.status_code == 200 and server.requests == []  # nothing fetched yet
        assert "Looking for the feed of" in html and POLLING in html
        (channel,) = _channels(session)
        assert channel.feed_url is None and not channel.polled and channel.job_state == "queued"

        run_jobs(app)  # finds the feed, then the periodic poll reads it: it is due at once

    (channel,) = _channels(session)
    assert channel.feed_url == server.url("/devlog/feed.xml") and channel.origin == "discovered"
    assert channel.polled and channel.job == "discover" and channel.job_state == "done"
    row = _row(client, channel)
    assert "Feed found." in row and POLLING not in row and "<td>1</td>" in row
    assert "Poll now" in row


@pytest.mark.usefixtures("local_feeds")
def test_without_javascript_the_add_redirects_and_the_page_shows_the_search(
    app, client, session, campaign
):
    with FeedServer() as server:
        server.route("/", body=(FEEDS / "page_without_feed.html").read_bytes(), headers=HTML)
        added = client.post(ADD, {"url": server.url("/"), "role": "updates"})
        assert added.status_code == 303 and server.requests == []
        page = client.get(added.headers["Location"])
        assert page.status_code == 200 and "Looking for the feed" in page.get_data(as_text=True)
        listed = app.test_cli_runner().invoke(main, ["feeds", "list", "synth", "--json"])
        assert listed.exit_code == 0 and json.loads(listed.output)[0]["state"] == "pending"
        run_jobs(app)
    (channel,) = _channels(session)
    assert channel.job_state == "failed" and channel.feed_url is None
    page = client.get("/dashboard/synth/feeds/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "no feed found" in html and "a page without &lt;link rel=alternate&gt;" in html
    remove = re.search(r'action="([^"]+/remove)"', html).group(1)
    removed = client.post(remove)
    assert removed.status_code == 303 and _channels(session) == []


def test_a_channel_with_a_feed_cannot_be_removed_that_way(client, session, campaign):
    channel = make_channel(session, campaign)
    refused = client.post(f"/dashboard/synth/feeds/channels/{channel.id}/remove")
    assert refused.status_code == 400 and len(_channels(session)) == 1


@pytest.mark.usefixtures("local_feeds")
def test_a_feed_the_campaign_follows_already_is_not_followed_twice(app, client, session, campaign):
    with FeedServer() as server:
        server.route("/", body=(FEEDS / "page_with_alternate.html").read_bytes(), headers=HTML)
        make_channel(session, campaign, feed_url=server.url("/devlog/feed.xml"))
        added = client.post(ADD, {"url": server.url("/"), "role": "updates"})
        assert added.status_code == 303
        run_jobs(app)
    first, pending = _channels(session)
    assert pending.job_state == "failed" and pending.feed_url is None
    assert f"The campaign already follows {first.feed_url}." in _row(client, pending)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:9/feed", "refused: 127.0.0.1 is a loopback address"),
        ("http://[::ffff:10.0.0.1]/", "refused: ::ffff:10.0.0.1 is a private address"),
        ("http://localhost:8080/", "refused: localhost is a loopback name"),
        ("mailto:someone@example.org", "no feed found"),
        ("http://[::1", "reading it as a URL"),
    ],
)
def test_syntax_and_addresses_are_checked_at_once(client, session, campaign, url, reason):
    added = client.post(ADD, {"url": url, "role": "updates"}, headers=HX)
    assert added.status_code == 422
    assert reason in added.get_data(as_text=True)
    assert _channels(session) == []


def test_known_platforms_and_hand_kept_profiles_are_added_at_once(client, session, campaign):
    for url in ("r/synth", "https://x.com/synth"):
        assert client.post(ADD, {"url": url, "role": "updates"}).status_code == 303
    reddit, x = _channels(session)
    assert reddit.feed_url == "https://www.reddit.com/r/synth/.rss" and reddit.job is None
    assert x.origin == "x" and x.feed_url is None and x.job is None
