"""Hacker News and Reddit: a linked post's points and comments over time, its comments as
feedback threaded to it, answered when the poster replied; each failure a channel error."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.feed_server import FeedServer, Route
from tracker.models import Channel, EngagementObservation, Entry, Feedback, utcnow

DATA = Path(__file__).parent.parent / "data" / "connectors"
HN_ITEM = (DATA / "hn_item.json").read_bytes()
REDDIT_POST = (DATA / "reddit_post.json").read_bytes()
JSON = {"Content-Type": "application/json; charset=utf-8"}
HN_PATH = "/api/v1/items/4242"
REDDIT_PATH = "/r/synthdiy/comments/1abcde/.json?raw_json=1&limit=500"


@pytest.fixture
def server(app):
    app.config["ALLOW_PRIVATE_FEEDS"] = True  # the test server listens on 127.0.0.1
    with FeedServer() as running:
        app.config["HN_API_URL"] = running.url("/api/v1")
        yield running


def add(cli, url, kind):
    result = cli("feeds", "add", "synth", url, "--kind", kind)
    assert result.exit_code == 0, result.output


@pytest.fixture
def hn(cli, server, session, campaign):
    add(cli, server.url("/item?id=4242"), "hackernews")
    return session.scalars(select(Channel)).one()


@pytest.fixture
def reddit(cli, server, session, campaign):
    add(cli, server.url("/r/synthdiy/comments/1abcde/i_built_a_synth_kit/"), "reddit")
    return session.scalars(select(Channel)).one()


def poll(cli, session, channel=None):
    if channel is not None:
        session.expire_all()
        session.get(Channel, channel.id).next_poll_at = utcnow()
        session.commit()
    result = cli("feeds", "poll")
    assert result.exit_code == 0, result.output
    session.expire_all()
    return result.output


def entries(session):
    return {e.key: e for e in session.scalars(select(Entry))}


def metric(session, key, name):
    return session.scalars(
        select(EngagementObservation.value)
        .join(Entry, Entry.id == EngagementObservation.entry_id)
        .where(Entry.key == key, EngagementObservation.metric == name)
        .order_by(EngagementObservation.id)
    ).all()


def test_a_hacker_news_story_its_counts_and_comments(cli, server, session, hn):
    server.route(HN_PATH, body=HN_ITEM, headers=JSON)
    assert hn.feed_url == server.url("/item?id=4242")
    assert "1 changed" in poll(cli, session)

    stored = entries(session)
    # The poster's own answer is not feedback; the deleted comment is left out, its reply kept.
    assert sorted(stored) == ["hackernews:4242", "hackernews:4250", "hackernews:4261"]
    story, question, praise = (stored[k] for k in sorted(stored))
    assert story.title == "Show HN: A synth you can build in an evening"
    assert story.link == "https://news.ycombinator.com/item?id=4242"
    assert session.get(Feedback, story.id) is None
    assert question.parent_id == story.id == praise.parent_id
    assert (question.author, question.author_handle) == ("bob_hacks", "bob_hacks")
    assert "<script>" not in praise.content_html and "alert" not in praise.summary_text
    assert praise.summary_text == "Love the wooden case & the knobs."
    # The poster replied to bob's question: answered without bookkeeping.
    assert session.get(Feedback, question.id).state == "answered"
    assert session.get(Feedback, praise.id).state == "new"
    assert metric(session, "hackernews:4242", "points") == [120]
    assert metric(session, "hackernews:4242", "comments") == [3]
    assert [r.path for r in server.requests] == [HN_PATH]

    more = json.loads(HN_ITEM)
    more["points"] = 180
    server.route(HN_PATH, body=json.dumps(more).encode(), headers=JSON)
    poll(cli, session, hn)
    assert metric(session, "hackernews:4242", "points") == [120, 180]
    assert metric(session, "hackernews:4242", "comments") == [3]
    assert len(entries(session)) == 3


def test_a_reddit_post_its_counts_and_comments(cli, server, session, reddit):
    server.route(REDDIT_PATH, body=REDDIT_POST, headers=JSON)
    assert reddit.feed_url == server.url("/r/synthdiy/comments/1abcde")
    assert "1 changed" in poll(cli, session)

    stored = entries(session)
    # No AutoModerator boilerplate, no removed comment, no answer of the poster's.
    assert sorted(stored) == ["reddit:1abcde", "reddit:c2", "reddit:c5"]
    post, question = stored["reddit:1abcde"], stored["reddit:c2"]
    assert post.title.startswith("I built a synth kit you can solder in an evening Campaign")
    assert post.link == server.url("/r/synthdiy/comments/1abcde/i_built_a_synth_kit/")
    assert question.parent_id == post.id and question.author_handle == "u/bob_hacks"
    assert question.summary_text == "Is the **MIDI** board included?"
    assert session.get(Feedback, question.id).state == "answered"
    assert session.get(Feedback, stored["reddit:c5"].id).state == "new"
    assert metric(session, "reddit:1abcde", "points") == [87]
    assert metric(session, "reddit:1abcde", "comments") == [5]
    assert metric(session, "reddit:c5", "points") == [30]


def test_hacker_news_and_reddit_urls_are_detected_and_checked_before_any_fetch(
    cli, server, session, campaign
):
    add(cli, "https://news.ycombinator.com/item?id=4242", "hackernews")
    result = cli("feeds", "add", "synth", "https://old.reddit.com/r/synthdiy/comments/1abcde/x/")
    assert result.exit_code == 0 and "[reddit, updates]" in result.output
    detected = cli("feeds", "add", "synth", "https://news.ycombinator.com/item?id=99")
    assert detected.exit_code == 0 and "[hackernews, updates]" in detected.output
    for url, kind, reason in (
        (server.url("/item?id=abc"), "hackernews", "Give the Hacker News story URL"),
        (server.url("/r/synthdiy/"), "reddit", "Give the Reddit post URL"),
    ):
        refused = cli("feeds", "add", "synth", url, "--kind", kind)
        assert refused.exit_code != 0 and reason in refused.output
    assert server.requests == []


@pytest.mark.parametrize(
    ("route", "error"),
    [
        (Route(status=404, body=b'{"status":404}', headers=JSON), "not found (HTTP 404)"),
        (Route(status=401, body=b"{}", headers=JSON), "the platform asks for authentication"),
        (Route(body=b'{"id": 4242, "type": "story"', headers=JSON), "the API answered with mal"),
        (
            Route(body=b'{"id": 4250, "type": "comment", "children": []}', headers=JSON),
            "the Hacker News API answered in an unexpected shape",
        ),
    ],
)
def test_hacker_news_failures_are_channel_errors(cli, server, session, hn, route, error):
    server.route(HN_PATH, route)
    assert "1 failed" in poll(cli, session)
    listed = json.loads(cli("feeds", "list", "synth", "--json").output)
    assert listed[0]["kind"] == "hackernews" and listed[0]["last_error"].startswith(error)
    assert entries(session) == {}


@pytest.mark.parametrize(
    ("route", "error"),
    [
        (Route(status=404, body=b"{}", headers=JSON), "not found (HTTP 404)"),
        (Route(status=401, body=b"{}", headers=JSON), "the platform asks for authentication"),
        (Route(body=b"<html>blocked</html>", headers=JSON), "the API answered with malformed"),
        (Route(body=b'{"kind": "Listing"}', headers=JSON), "Reddit answered in an unexpected"),
    ],
)
def test_reddit_failures_are_channel_errors(cli, server, session, reddit, route, error):
    server.route(REDDIT_PATH, route)
    assert "1 failed" in poll(cli, session)
    listed = json.loads(cli("feeds", "list", "synth", "--json").output)
    assert listed[0]["kind"] == "reddit" and listed[0]["last_error"].startswith(error)
    assert entries(session) == {}


def test_429_and_an_exhausted_rate_limit_move_the_next_poll(cli, server, session, reddit):
    server.route(REDDIT_PATH, status=429, headers={**JSON, "Retry-After": "20000"}, body=b"{}")
    before = utcnow()
    poll(cli, session)
    failed = session.get(Channel, reddit.id)
    assert failed.last_error.startswith("rate limited by the platform (HTTP 429)")
    assert before + timedelta(seconds=19990) < failed.next_poll_at
    # Reddit's own headers: the post is stored, the next poll waits for the reset.
    limited = {**JSON, "X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "30000"}
    server.route(REDDIT_PATH, body=REDDIT_POST, headers=limited)
    before = utcnow()
    assert "1 changed" in poll(cli, session, reddit)
    polled = session.get(Channel, reddit.id)
    assert polled.last_error is None or polled.consecutive_errors == 0
    assert before + timedelta(seconds=29990) < polled.next_poll_at
    assert len(entries(session)) == 3
