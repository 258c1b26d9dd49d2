"""Mastodon: followers, own posts with their counts, replies as feedback from the threads
whose replies count changed, answered when the founder replied; every failure a clear
channel error."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import delete, select
from sqlmodel import Session

from tests.connectors.social_server import (
    FIXTURE_NOW,
    JSON,
    MASTODON_STATUSES,
    fixture,
    serve_mastodon,
)
from tests.factories.feeds import LOCAL
from tests.feed_server import FeedServer, Route
from tracker.feedback.public_figures import public_feedback
from tracker.feeds.channels import create_channel
from tracker.feeds.poller import poll_channel
from tracker.models import (
    Channel,
    EngagementObservation,
    Entry,
    Feedback,
    FollowerSnapshot,
    utcnow,
)

LOOKUP = "/api/v1/accounts/lookup"


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


@pytest.fixture
def channel(session, campaign, server):
    url = serve_mastodon(server)
    channel = create_channel(
        session, campaign, role="updates", origin="mastodon", kind="mastodon", feed_url=url
    )
    session.commit()
    return channel


def poll(session, channel, *, at=FIXTURE_NOW):
    outcome = poll_channel(session, channel, policy=LOCAL, clock=lambda: at)
    session.commit()
    return outcome


def entries(session):
    return {e.key.removeprefix("mastodon:"): e for e in session.scalars(select(Entry))}


def paths(server):
    return [request.path.split("?")[0] for request in server.requests]


def test_a_poll_reads_followers_posts_and_changed_threads(session, server, campaign, channel):
    outcome = poll(session, channel)
    assert outcome.status == "updated" and channel.last_error is None

    assert [s.count for s in session.scalars(select(FollowerSnapshot))] == [1200]
    stored = entries(session)
    # Own posts of the window (not the boost, the founder's replies or the old post 2004),
    # and the replies under 2001 and 2003; the founder's own replies are not feedback.
    assert sorted(stored) == ["2001", "2002", "2003", "2101", "2102", "2103"]
    assert channel.title == "Synth Founder"
    ana, bo = stored["2101"], stored["2102"]
    assert ana.parent_id == stored["2001"].id and stored["2103"].parent_id == stored["2003"].id
    assert (ana.author, ana.author_handle, ana.author_followers) == (
        "Ana Sound",
        "@ana@music.example",
        52_000,
    )
    assert bo.author_handle == "@bo@127.0.0.1" and bo.author_followers == 30
    assert "When does the beta ship?" in ana.summary_text and "<p>" in ana.content_html
    counts = dict(
        session.execute(
            select(EngagementObservation.metric, EngagementObservation.value).where(
                EngagementObservation.entry_id == stored["2001"].id
            )
        ).all()
    )
    assert counts == {"replies": 2, "boosts": 4, "favourites": 9, "quotes": 1}
    # The founder answered Ana in the thread: her question closed itself.
    states = {e.key: session.get(Feedback, e.id).state for e in stored.values() if e.parent_id}
    assert states == {"mastodon:2101": "answered", "mastodon:2102": "new", "mastodon:2103": "new"}
    # The public page's "questions answered" is measured, not typed.
    figures = public_feedback(session, campaign)
    assert (figures.questions, figures.questions_answered) == (1, 1)
    assert figures.answered_questions[0].author == "Ana Sound"
    # One lookup, two pages (the second reaches past the window), two threads.
    assert paths(server) == [
        LOOKUP,
        MASTODON_STATUSES,
        MASTODON_STATUSES,
        "/api/v1/statuses/2001/context",
        "/api/v1/statuses/2003/context",
    ]


def test_a_thread_is_read_again_only_when_its_replies_count_changed(session, server, channel):
    poll(session, channel)
    server.requests.clear()
    poll(session, channel, at=FIXTURE_NOW + timedelta(hours=1))
    assert paths(server) == [LOOKUP, MASTODON_STATUSES, MASTODON_STATUSES]
    observations = session.scalars(select(EngagementObservation)).all()

    page = fixture("mastodon/statuses_2.json", base=server.url("").rstrip("/"))
    server.route(
        MASTODON_STATUSES + "?limit=40&exclude_reblogs=true&max_id=2007",
        body=page.replace(b'"replies_count": 1', b'"replies_count": 2'),
        headers=JSON,
    )
    server.requests.clear()
    poll(session, channel, at=FIXTURE_NOW + timedelta(hours=2))
    assert paths(server)[-1] == "/api/v1/statuses/2003/context"
    assert "/api/v1/statuses/2001/context" not in paths(server)
    new = session.scalars(select(EngagementObservation)).all()
    assert len(new) == len(observations) + 1  # post 2003's replies: 1 -> 2


def test_a_deleted_post_skips_its_thread_and_keeps_the_rest(session, server, channel):
    server.route("/api/v1/statuses/2001/context", status=404, body=b'{"error":"Record not found"}')
    outcome = poll(session, channel)
    assert outcome.status == "updated"
    stored = entries(session)
    assert "2001" in stored and "2103" in stored and "2101" not in stored


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        (Route(status=401, body=b'{"error":"This API requires an authenticated user"}'), "401"),
        (Route(body=b'{"id": "1001", "followers_count": ', headers=JSON), "malformed JSON"),
        (Route(body=b'["not", "an", "account"]', headers=JSON), "unexpected shape"),
    ],
)
def test_a_failing_api_is_a_channel_error_and_stores_nothing(
    session, server, channel, route, reason
):
    server.route(LOOKUP, route)
    outcome = poll(session, channel)
    assert outcome.status == "failed" and reason in channel.last_error
    assert channel.consecutive_errors == 1
    assert session.scalars(select(Entry)).all() == []


def test_429_moves_the_next_poll_to_retry_after(session, server, channel):
    server.route(MASTODON_STATUSES, status=429, headers={**JSON, "Retry-After": "7200"}, body=b"{}")
    outcome = poll(session, channel)
    assert outcome.status == "failed" and "429" in channel.last_error
    assert channel.next_poll_at >= FIXTURE_NOW + timedelta(seconds=7200)
    assert session.scalars(select(Entry)).all() == []


def test_an_exhausted_rate_limit_waits_for_its_reset(session, server, channel):
    reset = (FIXTURE_NOW + timedelta(hours=3)).isoformat().replace("+00:00", "Z")
    body = fixture("mastodon/account.json", base=server.url("").rstrip("/"))
    exhausted = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0"}
    server.route(LOOKUP, body=body, headers={**JSON, **exhausted, "X-RateLimit-Reset": reset})
    outcome = poll(session, channel)
    assert outcome.status == "updated"
    assert channel.next_poll_at >= FIXTURE_NOW + timedelta(hours=3)


def test_a_profile_url_becomes_a_mastodon_channel_on_any_host(cli, session, campaign):
    added = cli("feeds", "add", "synth", "https://indie.example/@ada")
    assert added.exit_code == 0, added.output
    channel = session.scalars(select(Channel)).one()
    assert (channel.kind, channel.feed_url) == ("mastodon", "https://indie.example/@ada")
    refused = cli("feeds", "add", "synth", "https://indie.example/users/ada", "--kind", "mastodon")
    assert refused.exit_code != 0 and "https://host/@name" in refused.output


def test_the_scheduled_poll_remembers_the_threads_it_read(app, cli, server, session, campaign):
    app.config["ALLOW_PRIVATE_FEEDS"] = True  # the test server listens on 127.0.0.1
    url = serve_mastodon(server, now=utcnow())
    assert cli("feeds", "add", "synth", url, "--kind", "mastodon").exit_code == 0
    assert "1 changed" in cli("feeds", "poll").output
    assert paths(server).count("/api/v1/statuses/2001/context") == 1
    channel = session.scalars(select(Channel)).one()
    channel.next_poll_at = utcnow()
    session.commit()
    server.requests.clear()
    result = cli("feeds", "poll")
    assert result.exit_code == 0, result.output
    assert paths(server) == [LOOKUP, MASTODON_STATUSES, MASTODON_STATUSES]
    assert len(entries(session)) == 6


@pytest.mark.parametrize(
    ("url", "kind", "feed_url"),
    [
        ("https://indie.example/@ada/", "mastodon", "https://indie.example/@ada"),
        ("https://bsky.app/profile/ada.example", "bluesky", "https://bsky.app/profile/ada.example"),
    ],
)
def test_a_profile_pasted_on_the_dashboard_is_followed_by_its_connector(
    client, founder, session, campaign, url, kind, feed_url
):
    added = client.post(
        f"/dashboard/{campaign.slug}/feeds/channels", {"url": url, "role": "updates"}
    )
    assert added.status_code == 303
    channel = session.scalars(select(Channel)).one()
    assert (channel.kind, channel.feed_url, channel.job) == (kind, feed_url, None)
    assert channel.polled and channel.next_poll_at is not None  # the worker polls it next


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_pollers_at_once_store_each_observation_once(session, server, channel):
    """Both pollers read the account at the same time; their stores take turns."""
    both_reading = threading.Barrier(2, timeout=10)
    account = fixture("mastodon/account.json", base=server.url("").rstrip("/"))

    def lookup(request):
        both_reading.wait()  # answer only once both pollers asked
        return Route(body=account, headers=JSON)

    server.route(LOOKUP, lookup)
    channel.title = "Founder"  # titled: neither poller writes the channel's row before storing
    session.commit()
    engine, outcomes = session.get_bind(), []

    def poller():
        with Session(engine, expire_on_commit=False) as own:
            outcomes.append(poll(own, own.get(Channel, channel.id)).status)

    threads = [threading.Thread(target=poller) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcomes == ["updated", "updated"]
    session.expire_all()
    assert len(session.scalars(select(FollowerSnapshot)).all()) == 1
    assert len(entries(session)) == 6
    observed = session.execute(
        select(EngagementObservation.entry_id, EngagementObservation.metric)
    ).all()
    assert len(observed) == len(set(observed))  # no (entry, metric) observed twice


ADDRESSES = ["@ada@indie.example", "ada@indie.example", "@ada@Indie.Example"]


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_fediverse_address_pasted_on_the_dashboard_is_followed_by_the_connector(
    client, founder, session, campaign, address
):
    added = client.post(
        f"/dashboard/{campaign.slug}/feeds/channels", {"url": address, "role": "updates"}
    )
    assert added.status_code == 303
    channel = session.scalars(select(Channel)).one()
    assert (channel.kind, channel.feed_url, channel.job) == (
        "mastodon",
        "https://indie.example/@ada",
        None,
    )
    # The profile URL is the same channel as the address.
    again = client.post(
        f"/dashboard/{campaign.slug}/feeds/channels",
        {"url": "https://indie.example/@ada/", "role": "feedback"},
    )
    assert again.status_code == 422
    assert "already follows https://indie.example/@ada." in again.get_data(as_text=True)
    assert session.scalars(select(Channel)).all() == [channel]


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_fediverse_address_added_from_the_cli_is_followed_by_the_connector(
    cli, session, campaign, address
):
    first = cli("feeds", "add", campaign.slug, "https://indie.example/@ada")
    assert first.exit_code == 0, first.output
    again = cli("feeds", "add", campaign.slug, address, "--role", "feedback")
    assert again.exit_code != 0
    assert again.output.strip().splitlines()[-1] == (
        "Error: url: The campaign already follows https://indie.example/@ada."
    )
    session.execute(delete(Channel))
    session.commit()

    added = cli("feeds", "add", campaign.slug, address)
    assert added.exit_code == 0, added.output
    assert "https://indie.example/@ada [mastodon, updates]" in added.output
    channel = session.scalars(select(Channel)).one()
    assert (channel.kind, channel.feed_url) == ("mastodon", "https://indie.example/@ada")


@pytest.mark.parametrize(
    ("address", "profile"),
    [
        ("@first.last@indie.example", "https://indie.example/@first.last"),
        ("https://indie.example/@first.last", "https://indie.example/@first.last"),
        ("@first-last@fedi.example", "https://fedi.example/@first-last"),
        ("https://fedi.example/@a_b.c-d/", "https://fedi.example/@a_b.c-d"),
    ],
)
def test_fediverse_names_with_dots_and_hyphens_are_followed(
    client, founder, cli, session, campaign, address, profile
):
    added = client.post(
        f"/dashboard/{campaign.slug}/feeds/channels", {"url": address, "role": "updates"}
    )
    assert added.status_code == 303, added.get_data(as_text=True)[:2000]
    channel = session.scalars(select(Channel)).one()
    assert (channel.kind, channel.feed_url) == ("mastodon", profile)
    session.execute(delete(Channel))
    session.commit()
    by_cli = cli("feeds", "add", campaign.slug, address)
    assert by_cli.exit_code == 0, by_cli.output
    assert session.scalars(select(Channel.feed_url)).one() == profile


@pytest.mark.parametrize(
    "url",
    [
        "https://indie.example/@.ada",
        "https://indie.example/@ada.",
        "https://indie.example/@-ada",
        "https://indie.example/@ada!",
        "https://indie.example/@ad%20a",
        "https://indie.example/@",
        f"https://indie.example/@{'a' * 101}",
    ],
)
def test_junk_is_still_not_a_mastodon_name(cli, session, campaign, url):
    refused = cli("feeds", "add", campaign.slug, url, "--kind", "mastodon")
    assert refused.exit_code != 0 and "https://host/@name" in refused.output
    assert session.scalars(select(Channel)).all() == []


def test_a_dotted_name_is_looked_up_as_it_is(session, campaign, server):
    url = serve_mastodon(server)
    dotted = url.replace("/@founder", "/@first.last")
    channel = create_channel(
        session, campaign, role="updates", origin="mastodon", kind="mastodon", feed_url=dotted
    )
    session.commit()
    poll(session, channel)
    assert server.requests[0].path == "/api/v1/accounts/lookup?acct=first.last"
