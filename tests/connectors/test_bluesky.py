"""Bluesky through the public AppView: followers, own posts with their counts, replies as
feedback with their authors' followers, answered when the founder replied; every failure
a clear channel error."""

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.connectors.social_server import FIXTURE_NOW, JSON, XRPC, fixture, serve_bluesky
from tests.factories.feeds import LOCAL
from tests.feed_server import FeedServer, Route
from tracker.feeds.channels import create_channel
from tracker.feeds.poller import poll_channel
from tracker.models import Channel, EngagementObservation, Entry, Feedback, FollowerSnapshot

PROFILE = f"{XRPC}app.bsky.actor.getProfile"
FEED = f"{XRPC}app.bsky.feed.getAuthorFeed"
THREAD = f"{XRPC}app.bsky.feed.getPostThread"
PROFILES = f"{XRPC}app.bsky.actor.getProfiles"
OWNER = "at://did:plc:founder0000000000000000/app.bsky.feed.post/"


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


@pytest.fixture
def policy(server):
    return replace(LOCAL, api_urls=(("bluesky", server.url("").rstrip("/")),))


@pytest.fixture
def channel(session, campaign, server):
    url = serve_bluesky(server)
    channel = create_channel(
        session, campaign, role="updates", origin="bluesky", kind="bluesky", feed_url=url
    )
    session.commit()
    return channel


def poll(session, channel, policy, *, at=FIXTURE_NOW):
    outcome = poll_channel(session, channel, policy=policy, clock=lambda: at)
    session.commit()
    return outcome


def entries(session):
    return {e.key.rsplit("/", 1)[-1]: e for e in session.scalars(select(Entry))}


def paths(server):
    return [request.path.split("?")[0] for request in server.requests]


def test_a_poll_reads_followers_posts_and_changed_threads(session, server, policy, channel):
    outcome = poll(session, channel, policy)
    assert outcome.status == "updated" and channel.last_error is None

    assert [s.count for s in session.scalars(select(FollowerSnapshot))] == [800]
    stored = entries(session)
    # Own posts of the window (not the repost, the founder's reply or the old post), and
    # the replies under 3laaa and 3lccc (the deleted one skipped).
    assert sorted(stored) == ["3laaa", "3lbbb", "3lccc", "3lr01", "3lr02", "3lr03"]
    assert stored["3laaa"].key == OWNER + "3laaa"
    assert stored["3laaa"].link == "https://bsky.app/profile/founder.bsky.social/post/3laaa"
    ana, bo = stored["3lr01"], stored["3lr02"]
    assert ana.parent_id == stored["3laaa"].id and stored["3lr03"].parent_id == stored["3lccc"].id
    assert (ana.author, ana.author_handle, ana.author_followers) == (
        "Ana Sound",
        "@ana.music.example",
        52_000,
    )
    assert (bo.author, bo.author_handle, bo.author_followers) == (
        "@bo.bsky.social",
        "@bo.bsky.social",
        30,
    )
    counts = dict(
        session.execute(
            select(EngagementObservation.metric, EngagementObservation.value).where(
                EngagementObservation.entry_id == stored["3laaa"].id
            )
        ).all()
    )
    assert counts == {"replies": 2, "reposts": 4, "likes": 9, "quotes": 1}
    states = {k: session.get(Feedback, e.id).state for k, e in stored.items() if e.parent_id}
    assert states == {"3lr01": "answered", "3lr02": "new", "3lr03": "new"}
    # The profile, two feed pages, two threads and one getProfiles for both authors.
    assert paths(server) == [PROFILE, FEED, FEED, THREAD, THREAD, PROFILES]
    assert server.requests[1].path.endswith("filter=posts_with_replies")
    assert "cursor=" in server.requests[2].path


def test_a_thread_is_read_again_only_when_its_replies_count_changed(
    session, server, policy, channel
):
    poll(session, channel, policy)
    server.requests.clear()
    poll(session, channel, policy, at=FIXTURE_NOW + timedelta(hours=1))
    assert paths(server) == [PROFILE, FEED, FEED]


def test_a_deleted_post_skips_its_thread_and_keeps_the_rest(session, server, policy, channel):
    missing = b'{"error":"NotFound","message":"Post not found"}'
    server.route(THREAD, Route(status=400, body=missing, headers=JSON))
    outcome = poll(session, channel, policy)
    assert outcome.status == "updated"
    stored = entries(session)
    assert sorted(stored) == ["3laaa", "3lbbb", "3lccc"]


@pytest.mark.parametrize(
    ("path", "route", "reason"),
    [
        (PROFILE, Route(status=401, body=b'{"error":"AuthMissing"}', headers=JSON), "401"),
        (FEED, Route(body=b'{"feed": [', headers=JSON), "malformed JSON"),
        (FEED, Route(body=b'{"feed": [{"post": 7}]}', headers=JSON), "unexpected shape"),
        (PROFILE, Route(status=400, body=b'{"error":"InvalidRequest"}', headers=JSON), "400"),
    ],
)
def test_a_failing_api_is_a_channel_error_and_stores_nothing(
    session, server, policy, channel, path, route, reason
):
    server.route(path, route)
    outcome = poll(session, channel, policy)
    assert outcome.status == "failed" and reason in channel.last_error
    assert session.scalars(select(Entry)).all() == []


def test_429_and_an_exhausted_rate_limit_move_the_next_poll(session, server, policy, channel):
    server.route(FEED, status=429, headers={**JSON, "Retry-After": "3600"}, body=b"{}")
    assert poll(session, channel, policy).status == "failed"
    assert channel.next_poll_at >= FIXTURE_NOW + timedelta(hours=1)

    reset = str(int((FIXTURE_NOW + timedelta(hours=5)).timestamp()))
    exhausted = {**JSON, "RateLimit-Remaining": "0", "RateLimit-Reset": reset}
    server.route(PROFILE, Route(body=fixture("bluesky/profile.json"), headers=exhausted))
    serve_feed = fixture("bluesky/author_feed_2.json")
    server.route(FEED, Route(body=serve_feed, headers=JSON))
    assert poll(session, channel, policy).status == "updated"
    assert channel.next_poll_at >= FIXTURE_NOW + timedelta(hours=5)


def test_a_bluesky_profile_url_becomes_a_bluesky_channel(cli, server, session, campaign):
    added = cli("feeds", "add", "synth", "https://bsky.app/profile/founder.bsky.social")
    assert added.exit_code == 0, added.output
    channel = session.scalars(select(Channel)).one()
    assert channel.kind == "bluesky"
    assert channel.feed_url == "https://bsky.app/profile/founder.bsky.social"
    refused = cli("feeds", "add", "synth", "https://bsky.app/search?q=synth", "--kind", "bluesky")
    assert refused.exit_code != 0 and "https://bsky.app/profile/" in refused.output
    assert server.requests == []
