"""YouTube: view and rating counts per video per poll from the channel feed; with an API
key, comments on the channel's videos as feedback, answered when the channel replied."""

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.feed_server import FeedServer, Route
from tracker.models import Channel, Entry, Feedback

from .test_discussions import DATA, JSON, entries, metric, poll

FEED = (Path(__file__).parent.parent / "data" / "feeds" / "youtube_channel.xml").read_bytes()
THREADS = (DATA / "youtube_comment_threads.json").read_bytes()
CHANNEL_ID = "UCabcdefghijklmnopqrstuv"
FEED_PATH = f"/feeds/videos.xml?channel_id={CHANNEL_ID}"
ATOM = {"Content-Type": "application/atom+xml"}
VIDEO = "guid:yt:video:dQw4w9WgXc1"


@pytest.fixture
def server(app):
    app.config["ALLOW_PRIVATE_FEEDS"] = True  # the test server listens on 127.0.0.1
    with FeedServer() as running:
        app.config["YOUTUBE_API_URL"] = running.url("/youtube/v3")
        running.route(FEED_PATH, body=FEED, headers=ATOM, etag='"f1"')
        yield running


@pytest.fixture
def channel(cli, server, session, campaign):
    result = cli("feeds", "add", "synth", server.url(f"/channel/{CHANNEL_ID}"), "--kind", "youtube")
    assert result.exit_code == 0, result.output
    return session.scalars(select(Channel)).one()


def threads_path(server):
    return next(r.path for r in server.requests if r.path.startswith("/youtube/v3/"))


def test_without_a_key_the_feed_gives_counts_per_video_per_poll(cli, server, session, channel):
    assert "1 changed" in poll(cli, session)
    assert metric(session, VIDEO, "views") == [1234]
    assert metric(session, VIDEO, "ratings") == [56]
    assert session.get(Channel, channel.id).title == "Ada Plays Devlogs"
    assert "1 not modified" in poll(cli, session, channel)  # 304: the feed's ETag
    more = FEED.replace(b'views="1234"', b'views="2000"')
    server.route(FEED_PATH, body=more, headers=ATOM, etag='"f2"')
    poll(cli, session, channel)
    assert metric(session, VIDEO, "views") == [1234, 2000]
    assert metric(session, VIDEO, "ratings") == [56]
    assert all(r.path == FEED_PATH for r in server.requests)  # no API call without a key


def test_with_a_key_comments_become_feedback_answered_when_the_channel_replied(
    app, cli, server, session, channel
):
    app.config["YOUTUBE_API_KEY"] = "test-key"
    server.route("/youtube/v3/commentThreads", body=THREADS, headers=JSON)  # query: below
    assert "1 changed" in poll(cli, session)
    stored = entries(session)
    # The channel's own pinned comment and its reply are not feedback.
    assert sorted(stored) == [VIDEO, "youtube:UgyPraise2", "youtube:UgyQuestion1"]
    video, question = stored[VIDEO], stored["youtube:UgyQuestion1"]
    assert question.parent_id == video.id and question.author_handle == "@bob_builds"
    assert session.get(Feedback, question.id).state == "answered"
    assert session.get(Feedback, stored["youtube:UgyPraise2"].id).state == "new"
    assert session.get(Feedback, video.id) is None
    assert metric(session, "youtube:UgyPraise2", "likes") == [9]
    path = threads_path(server)
    assert f"allThreadsRelatedToChannelId={CHANNEL_ID}" in path and "key=test-key" in path
    # The feed unchanged (304), the comments are read again: one request each a poll.
    server.requests.clear()
    poll(cli, session, channel)
    assert len(server.requests) == 2 and len(entries(session)) == 3


@pytest.mark.parametrize(
    ("route", "error"),
    [
        (Route(status=403, body=b'{"error": {}}', headers=JSON), "the platform refused access"),
        (Route(status=401, body=b"{}", headers=JSON), "the platform asks for authentication"),
        (Route(body=b'{"items": [', headers=JSON), "the API answered with malformed JSON"),
        (Route(body=b'{"items": [{"id": 1}]}', headers=JSON), "the YouTube API answered in an"),
    ],
)
def test_api_failures_are_channel_errors(app, cli, server, session, channel, route, error):
    app.config["YOUTUBE_API_KEY"] = "test-key"
    server.route("/youtube/v3/commentThreads", route)
    assert "1 failed" in poll(cli, session)
    listed = json.loads(cli("feeds", "list", "synth", "--json").output)
    assert listed[0]["kind"] == "youtube" and listed[0]["last_error"].startswith(error)
    assert "test-key" not in listed[0]["last_error"]
    assert session.scalars(select(Entry)).all() == []


def test_a_deleted_channel_and_a_bad_url(cli, server, session, campaign, channel):
    server.route(FEED_PATH, status=404, body=b"")
    assert "1 failed" in poll(cli, session)
    assert session.get(Channel, channel.id).last_error.startswith("not found (HTTP 404)")
    refused = cli("feeds", "add", "synth", server.url("/user/ada"), "--kind", "youtube")
    assert refused.exit_code != 0 and "Give the YouTube channel URL" in refused.output


HTML = {"Content-Type": "text/html; charset=utf-8"}
CANONICAL = f'<link rel="canonical" href="https://www.youtube.com/channel/{CHANNEL_ID}">'
PAGE = f"<!doctype html><html><head>{CANONICAL}</head><body>Ada</body></html>".encode()
META = f'<html><head><meta itemprop="channelId" content="{CHANNEL_ID}"></head></html>'.encode()


def _add_handle(client, campaign, url, status=303):
    added = client.post(
        f"/dashboard/{campaign.slug}/feeds/channels",
        {"url": url, "role": "updates", "kind": "youtube"},
    )
    assert added.status_code == status, added.get_data(as_text=True)[:2000]
    return added.get_data(as_text=True)


@pytest.mark.parametrize("handle_page", [PAGE, META])
def test_a_handle_is_resolved_by_the_worker_from_its_page(
    client, founder, cli, server, session, campaign, handle_page
):
    server.route("/@ada", body=handle_page, headers=HTML)
    _add_handle(client, campaign, server.url("/@Ada/videos"))
    assert server.requests == []  # the dashboard fetches nothing
    channel = session.scalars(select(Channel)).one()
    assert (channel.kind, channel.feed_url) == ("youtube", server.url("/@ada"))
    assert "1 changed" in poll(cli, session)
    assert [r.path for r in server.requests] == ["/@ada", FEED_PATH]
    assert metric(session, VIDEO, "views") == [1234]
    # The channel id is remembered: later polls read the feed alone, as for any channel.
    server.requests.clear()
    assert "1 not modified" in poll(cli, session, channel)
    assert [r.path for r in server.requests] == [FEED_PATH]
    _add_handle(client, campaign, server.url("/@ADA"), 422)  # the same handle again


def test_with_a_key_a_handle_is_resolved_by_the_data_api(
    app, client, founder, cli, server, session, campaign
):
    app.config["YOUTUBE_API_KEY"] = "test-key"
    found = json.dumps({"kind": "youtube#channelListResponse", "items": [{"id": CHANNEL_ID}]})
    server.route("/youtube/v3/channels", body=found.encode(), headers=JSON)
    server.route("/youtube/v3/commentThreads", body=THREADS, headers=JSON)
    _add_handle(client, campaign, server.url("/@ada"))
    assert "1 changed" in poll(cli, session)
    paths = [r.path for r in server.requests]
    assert "/@ada" not in paths and paths[1] == FEED_PATH
    assert "forHandle=%40ada" in paths[0] and "key=test-key" in paths[0]
    assert len(entries(session)) == 3


@pytest.mark.parametrize(
    ("key", "route", "error"),
    [
        (
            None,
            Route(body=b"<html><head></head></html>", headers=HTML),
            "could not find the channel id",
        ),
        (
            None,
            Route(status=404, body=b""),
            "YouTube has no channel with the handle @ada (HTTP 404)",
        ),
        (None, Route(body=b"x" * (3 * 1024 * 1024 + 1), headers=HTML), "body larger than 3"),
        (
            "test-key",
            Route(body=b'{"kind": "youtube#channelListResponse"}', headers=JSON),
            "YouTube has no channel with the handle @ada",
        ),
    ],
)
def test_an_unresolvable_handle_is_an_error_on_its_row(
    app, client, founder, cli, server, session, campaign, key, route, error
):
    app.config["YOUTUBE_API_KEY"] = key
    server.route("/youtube/v3/channels" if key else "/@ada", route)
    _add_handle(client, campaign, server.url("/@ada"))
    assert "1 failed" in poll(cli, session)
    channel = session.scalars(select(Channel)).one()
    assert error in channel.last_error and "test-key" not in channel.last_error
    row = client.get_text(f"/dashboard/{campaign.slug}/feeds/")
    assert error.replace("'", "&#39;") in row
    assert session.scalars(select(Entry)).all() == []


@pytest.mark.parametrize("url", ["https://www.youtube.com/@a", "https://www.youtube.com/@ad!a"])
def test_a_handle_that_cannot_be_one_is_refused_at_once(client, founder, session, campaign, url):
    assert "Give the YouTube channel URL" in _add_handle(client, campaign, url, 422)
    assert session.scalars(select(Channel)).all() == []
