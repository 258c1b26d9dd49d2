"""Polling through a real HTTP server on 127.0.0.1: store, 304, schedule, fail, pause."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from tests.factories import make_campaign, make_milestone
from tests.factories.feedback import comment
from tests.factories.feeds import ATOM, FEEDS, LOCAL, RSS, make_channel, rss
from tests.feed_server import FeedServer, Route
from tracker.feeds import claims as poll_claims
from tracker.feeds import parsing
from tracker.feeds.channels import resume_channel
from tracker.feeds.fetch import FetchPolicy
from tracker.feeds.poller import poll_channel, poll_due
from tracker.feeds.store import store_entries
from tracker.models import (
    Channel,
    EngagementObservation,
    Entry,
    EntryMilestone,
    Feedback,
    utcnow,
)


def entry_count(session, channel) -> int:
    return session.scalar(select(func.count()).where(Entry.channel_id == channel.id))


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


def test_poll_stores_entries_validators_and_schedule(session, server):
    server.route("/feed.rss", body=rss(("a", "First"), ("b", "Second")), headers=RSS, etag='"v1"')
    channel = make_channel(session, make_campaign(session), feed_url=server.url("/feed.rss"))
    before = utcnow()

    outcome = poll_channel(session, channel, policy=LOCAL)
    session.commit()

    assert (outcome.status, outcome.new) == ("updated", 2)
    assert entry_count(session, channel) == 2
    assert channel.title == "Devlog" and channel.etag == '"v1"'
    assert channel.consecutive_errors == 0 and channel.last_success_at >= before
    assert before + timedelta(minutes=59) < channel.next_poll_at <= utcnow() + timedelta(hours=1)
    assert server.requests[-1].headers["User-Agent"].startswith("tracker-feed-poller")
    titles = session.scalars(select(Entry.title).where(Entry.channel_id == channel.id)).all()
    assert sorted(titles) == ["First", "Second"]


def test_304_costs_no_parse_and_no_rows(session, server, monkeypatch):
    server.route("/feed.rss", body=rss(("a", "First")), headers=RSS, etag='"v1"')
    channel = make_channel(session, make_campaign(session), feed_url=server.url("/feed.rss"))
    poll_channel(session, channel, policy=LOCAL)
    session.commit()

    def no_parse(*args, **kwargs):
        raise AssertionError("a 304 must not be parsed")

    monkeypatch.setattr(parsing, "parse_feed", no_parse)
    outcome = poll_channel(session, channel, policy=LOCAL)
    session.commit()

    assert outcome.status == "not_modified" and outcome.new == 0
    assert server.requests[-1].headers["If-None-Match"] == '"v1"'
    assert entry_count(session, channel) == 1
    assert channel.etag == '"v1"'


def test_dedupe_across_polls_and_last_modified(session, server):
    stamp = "Wed, 18 Nov 2026 10:00:00 GMT"
    server.route("/f", body=rss(("a", "One"), ("b", "Two")), headers=RSS, last_modified=stamp)
    channel = make_channel(session, make_campaign(session), feed_url=server.url("/f"))
    poll_channel(session, channel, policy=LOCAL)
    session.commit()
    # The feed changes: one new item on top, the old ones repeated.
    server.route("/f", body=rss(("c", "Three"), ("a", "One"), ("b", "Two")), headers=RSS)
    outcome = poll_channel(session, channel, policy=LOCAL)
    session.commit()

    assert server.requests[-1].headers["If-Modified-Since"] == stamp
    assert outcome.new == 1
    assert entry_count(session, channel) == 3
    assert channel.last_modified is None  # the new response carried no validator


def test_retry_after_on_503_sets_next_poll(session, server):
    server.route("/busy", status=503, headers={"Retry-After": "7200"})
    channel = make_channel(session, make_campaign(session), feed_url=server.url("/busy"))
    before = utcnow()

    outcome = poll_channel(session, channel, policy=LOCAL)
    session.commit()

    assert outcome.status == "failed" and outcome.error == "HTTP 503"
    assert channel.consecutive_errors == 1 and channel.last_error == "HTTP 503"
    assert channel.next_poll_at >= before + timedelta(seconds=7200)


def test_max_age_pushes_the_next_poll_later(session, server):
    headers = {**RSS, "Cache-Control": "max-age=10800"}
    server.route("/f", body=rss(("a", "One")), headers=headers)
    channel = make_channel(session, make_campaign(session), feed_url=server.url("/f"))
    before = utcnow()
    poll_channel(session, channel, policy=LOCAL)
    assert channel.next_poll_at >= before + timedelta(hours=3)


def test_backoff_then_pause_after_ten_failures_and_resume(session, server):
    server.route("/gone", status=500)
    channel = make_channel(session, make_campaign(session), feed_url=server.url("/gone"))
    delays = []
    for _ in range(10):
        now = utcnow()
        outcome = poll_channel(session, channel, policy=LOCAL)
        session.commit()
        delays.append(channel.next_poll_at - now)

    assert outcome.status == "paused"
    assert channel.state == "paused" and channel.consecutive_errors == 10
    assert channel.last_error == "HTTP 500" and channel.last_error_at is not None
    assert delays[0] > timedelta(hours=1, minutes=59)  # 1 h base, doubled once
    assert delays[1] > delays[0]
    assert max(delays) <= timedelta(hours=24, seconds=5)  # capped at a day
    with Session(session.get_bind()) as other:
        assert poll_claims.count_due(other, now=utcnow() + timedelta(days=2)) == 0

    server.route("/gone", body=rss(("a", "Back")), headers=RSS)
    resume_channel(session, channel, now=utcnow())
    session.commit()
    assert channel.state == "active" and channel.consecutive_errors == 0
    assert poll_claims.count_due(session, now=utcnow()) == 1
    assert poll_channel(session, channel, policy=LOCAL).status == "updated"


def test_oversized_body_is_the_channel_error(session, server):
    server.route("/big", body=b"<rss>" + b"x" * 5000, headers=RSS)
    channel = make_channel(session, make_campaign(session), feed_url=server.url("/big"))
    policy = FetchPolicy(allow_private=True, max_bytes=1000)
    outcome = poll_channel(session, channel, policy=policy)
    session.commit()
    assert outcome.status == "failed"
    assert "larger than" in channel.last_error
    assert entry_count(session, channel) == 0


def test_timeout_is_the_channel_error(session, server):
    server.route("/slow", headers=RSS, trickle=b" ")
    channel = make_channel(session, make_campaign(session), feed_url=server.url("/slow"))
    policy = FetchPolicy(allow_private=True, total_timeout=0.5, connect_timeout=0.5)
    outcome = poll_channel(session, channel, policy=policy)
    session.commit()
    assert outcome.status == "failed"
    assert channel.last_error.startswith("timed out after 0.5 s")


def test_malformed_feed_keeps_what_parses_and_records_the_warning(session, server):
    server.route("/m", body=(FEEDS / "malformed.rss").read_bytes(), headers=RSS)
    channel = make_channel(session, make_campaign(session), feed_url=server.url("/m"))
    outcome = poll_channel(session, channel, policy=LOCAL)
    session.commit()
    assert outcome.status == "updated" and outcome.new >= 1
    assert channel.last_warning
    assert channel.consecutive_errors == 0


def test_entity_declarations_are_refused_as_an_error(session, server):
    server.route("/bomb", body=(FEEDS / "billion_laughs.xml").read_bytes(), headers=RSS)
    channel = make_channel(session, make_campaign(session), feed_url=server.url("/bomb"))
    poll_channel(session, channel, policy=LOCAL)
    assert "declares XML entities" in channel.last_error
    assert entry_count(session, channel) == 0


def test_private_address_refused_end_to_end_when_not_allowed(session, server):
    server.route("/feed.rss", body=rss(("a", "First")), headers=RSS)
    channel = make_channel(session, make_campaign(session), feed_url=server.url("/feed.rss"))

    outcome = poll_channel(session, channel, policy=FetchPolicy())
    session.commit()

    assert outcome.status == "failed"
    assert "refused" in channel.last_error and "127.0.0.1" in channel.last_error
    assert server.requests == []
    assert entry_count(session, channel) == 0


def test_engagement_is_observed_only_when_it_changes(session, server):
    body = (FEEDS / "youtube_channel.xml").read_bytes()
    server.route("/yt", body=body, headers=ATOM)
    channel = make_channel(session, make_campaign(session), feed_url=server.url("/yt"))
    poll_channel(session, channel, policy=LOCAL)
    poll_channel(session, channel, policy=LOCAL)  # same counts: nothing new
    server.route("/yt", body=body.replace(b'views="1234"', b'views="2000"'), headers=ATOM)
    poll_channel(session, channel, policy=LOCAL)
    session.commit()

    views = session.scalars(
        select(EngagementObservation.value)
        .where(EngagementObservation.metric == "views")
        .order_by(EngagementObservation.id)
    ).all()
    ratings = session.scalars(
        select(EngagementObservation.value).where(EngagementObservation.metric == "ratings")
    ).all()
    assert views == [1234, 2000]
    assert ratings == [56]


def test_updates_link_to_milestones_as_they_arrive(session, server):
    campaign = make_campaign(session)
    beta = make_milestone(session, campaign, title="Firmware beta", tag="beta")
    server.route("/m", body=(FEEDS / "mastodon_profile.rss").read_bytes(), headers=RSS)
    channel = make_channel(session, campaign, feed_url=server.url("/m"))
    poll_channel(session, channel, policy=LOCAL)
    session.commit()
    links = session.scalars(select(EntryMilestone)).all()
    assert [(link.milestone_id, link.how) for link in links] == [(beta.id, "tag")]


def test_feedback_channels_are_not_linked_to_milestones(session, server):
    campaign = make_campaign(session)
    make_milestone(session, campaign, title="Firmware beta", tag="beta")
    server.route("/m", body=(FEEDS / "mastodon_profile.rss").read_bytes(), headers=RSS)
    channel = make_channel(session, campaign, feed_url=server.url("/m"), role="feedback")
    poll_channel(session, channel, policy=LOCAL)
    session.commit()
    assert session.scalars(select(EntryMilestone)).all() == []


def test_poll_due_polls_each_due_channel_once(app, session, server):
    campaign = make_campaign(session)
    channels = []
    for n in range(6):
        server.route(f"/f{n}", body=rss((f"{n}-a", "A"), (f"{n}-b", "B")), headers=RSS)
        channels.append(make_channel(session, campaign, feed_url=server.url(f"/f{n}")))
    later = make_channel(session, campaign, feed_url=server.url("/later"))
    later.next_poll_at = utcnow() + timedelta(hours=1)
    session.add(later)
    session.commit()
    seen = []

    summary = poll_due(
        app.extensions["tracker.engine"], policy=LOCAL, workers=3, on_polled=seen.append
    )

    assert summary.polled == 6 and summary.new_entries == 12 and len(seen) == 6
    assert server.requests_to("/later") == []
    assert all(len(server.requests_to(f"/f{n}")) == 1 for n in range(6))
    assert "polled 6 channels" in summary.line(1.0)
    # Nothing is due any more: a second run polls nothing.
    assert poll_due(app.extensions["tracker.engine"], policy=LOCAL).polled == 0


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_pollers_at_once_on_postgresql_fetch_once_and_store_once(app, session, server):
    campaign = make_campaign(session)
    gate = threading.Barrier(2)
    for n in range(20):
        # Slow answers keep both pollers busy at the same time.
        server.route(f"/f{n}", lambda _req, n=n: _slow(rss((f"{n}-a", "A"), (f"{n}-b", "B"))))
        make_channel(session, campaign, feed_url=server.url(f"/f{n}"))
    engine = app.extensions["tracker.engine"]
    summaries = []

    def run():
        gate.wait()
        summaries.append(poll_due(engine, policy=LOCAL, workers=4))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(s.polled for s in summaries) == 20
    assert all(len(server.requests_to(f"/f{n}")) == 1 for n in range(20))
    assert session.scalar(select(func.count()).select_from(Entry)) == 40
    assert session.scalar(select(func.count()).select_from(Channel)) == 20


def _slow(body: bytes) -> Route:
    threading.Event().wait(0.05)
    return Route(body=body, headers=RSS)


def test_the_same_entries_stored_twice_at_once_leave_one_row_each(app, session):
    from tracker.feeds.parsing import parse_feed
    from tracker.feeds.store import store_entries

    campaign = make_campaign(session)
    channel = make_channel(session, campaign)
    parsed = parse_feed(
        rss(*((f"k{n}", f"T{n}") for n in range(30))),
        content_type="application/rss+xml",
        url="https://blog.example/",
        now=utcnow(),
    )
    engine = app.extensions["tracker.engine"]
    gate = threading.Barrier(2)
    new = []

    def store():
        with Session(engine) as own:
            mine = own.get(Channel, channel.id)
            gate.wait()
            new.append(store_entries(own, mine, parsed.entries, now=utcnow()).new)
            own.commit()

    threads = [threading.Thread(target=store) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(new) == 30
    assert entry_count(session, channel) == 30


def test_the_poller_hands_new_feedback_to_scoring_and_the_store_only_stores(session, server):
    campaign = make_campaign(session)
    stored = make_channel(session, campaign, role="feedback")
    new_ids = store_entries(session, stored, [comment("Stored, not scored")], now=utcnow()).new_ids
    session.commit()
    assert len(new_ids) == 1
    assert session.scalars(select(Feedback.entry_id)).all() == []

    server.route("/c", body=rss(("a", "Love the beta!"), ("b", "When do kits ship?")), headers=RSS)
    polled = make_channel(session, campaign, feed_url=server.url("/c"), role="feedback")
    outcome = poll_channel(session, polled, policy=LOCAL)
    session.commit()
    assert (outcome.status, outcome.new) == ("updated", 2)
    scored = session.scalars(select(Feedback.channel_id).order_by(Feedback.entry_id)).all()
    assert scored == [polled.id, polled.id]
