"""Storing what a social connector read: followers, own posts and their counts over time,
replies as feedback threaded to their post, answered when the owner replied in the thread."""

import threading
from datetime import UTC, datetime, timedelta

import jsonschema
import pytest
from sqlalchemy import func, select, text
from sqlmodel import Session

from tests.factories.feeds import make_channel
from tests.test_export import SCHEMA
from tracker.campaigns.timeline import last_update_at
from tracker.connectors.social import (
    Author,
    SocialPost,
    SocialRead,
    read_threads,
    store_social_read,
)
from tracker.export import export_campaign
from tracker.models import EngagementObservation, Entry, Feedback, FollowerSnapshot

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
ANA = Author(handle="@ana@social.example", name="Ana", followers=52_000)


def post(key="p1", *, counts=None, at=NOW - timedelta(hours=3)):
    return SocialPost(
        key=f"mastodon:{key}",
        link=f"https://social.example/@founder/{key}",
        text="Prototype 3 is on the bench #beta",
        html="<p>Prototype 3 is on the bench #beta</p>",
        published_at=at,
        counts=counts or {"replies": 1, "boosts": 4, "favourites": 9},
    )


def reply(key="r1", *, to="p1", text_="When does the beta ship?", author=ANA):
    return SocialPost(
        key=f"mastodon:{key}",
        link=f"https://social.example/@ana/{key}",
        text=text_,
        html=f"<p>{text_}</p>",
        published_at=NOW - timedelta(hours=2),
        counts={"replies": 0, "boosts": 0, "favourites": 2},
        reply_to=f"mastodon:{to}",
        author=author,
    )


def read(*, followers=1200, posts=None, replies=None, answered=(), threads=None):
    return SocialRead(
        title="Founder",
        followers=followers,
        posts=posts if posts is not None else [post()],
        replies=replies if replies is not None else [reply()],
        answered=frozenset(answered),
        threads=threads if threads is not None else {"mastodon:p1": 1},
    )


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_a_read_stores_followers_posts_counts_and_replies_as_threaded_feedback(session, campaign):
    channel = make_channel(session, campaign, role="updates")
    stored = store_social_read(session, channel, read(), now=NOW)
    session.commit()

    assert (stored.new_posts, stored.new_replies, stored.followers_recorded) == (1, 1, True)
    own = session.scalar(select(Entry).where(Entry.key == "mastodon:p1"))
    answer = session.scalar(select(Entry).where(Entry.key == "mastodon:r1"))
    assert own.parent_id is None and read_threads(channel.connector_memo) == {"mastodon:p1": 1}
    assert answer.parent_id == own.id
    assert (answer.author, answer.author_handle, answer.author_followers) == (
        "Ana",
        "@ana@social.example",
        52_000,
    )
    # The reply is feedback, scored like any; the own post is an update, never scored.
    feedback = session.get(Feedback, answer.id)
    assert feedback is not None and feedback.category == "question" and feedback.state == "new"
    assert session.get(Feedback, own.id) is None
    assert last_update_at(session, campaign) == own.published_at
    assert [s.count for s in session.scalars(select(FollowerSnapshot))] == [1200]
    metrics = session.execute(
        select(EngagementObservation.metric, EngagementObservation.value).where(
            EngagementObservation.entry_id == own.id
        )
    ).all()
    assert sorted(metrics) == [("boosts", 4), ("favourites", 9), ("replies", 1)]


def test_a_second_read_observes_only_what_changed(session, campaign):
    channel = make_channel(session, campaign, role="updates")
    store_social_read(session, channel, read(), now=NOW)
    later = read(posts=[post(counts={"replies": 1, "boosts": 5, "favourites": 9})])
    stored = store_social_read(session, channel, later, now=NOW + timedelta(hours=1))
    session.commit()
    assert (stored.new_posts, stored.new_replies, stored.followers_recorded) == (0, 0, False)
    assert count(session, FollowerSnapshot) == 1
    assert count(session, Entry) == 2
    boosts = session.scalars(
        select(EngagementObservation.value)
        .join(Entry, Entry.id == EngagementObservation.entry_id)
        .where(EngagementObservation.metric == "boosts", Entry.key == "mastodon:p1")
        .order_by(EngagementObservation.observed_at)
    ).all()
    assert boosts == [4, 5]


def test_an_answer_in_the_thread_closes_the_question(session, campaign):
    channel = make_channel(session, campaign, role="updates")
    store_social_read(session, channel, read(), now=NOW)
    stored = store_social_read(
        session, channel, read(answered={"mastodon:r1"}), now=NOW + timedelta(hours=1)
    )
    session.commit()
    answer = session.scalar(select(Entry).where(Entry.key == "mastodon:r1"))
    feedback = session.get(Feedback, answer.id)
    assert stored.answered == 1
    assert feedback.state == "answered" and feedback.state_changed_at == NOW + timedelta(hours=1)


def test_an_answer_leaves_a_reply_the_team_ignored_alone(session, campaign):
    channel = make_channel(session, campaign, role="updates")
    store_social_read(session, channel, read(), now=NOW)
    answer = session.scalar(select(Entry).where(Entry.key == "mastodon:r1"))
    session.get(Feedback, answer.id).state = "ignored"
    session.commit()
    stored = store_social_read(session, channel, read(answered={"mastodon:r1"}), now=NOW)
    session.commit()
    assert stored.answered == 0 and session.get(Feedback, answer.id).state == "ignored"


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_pollers_on_postgresql_never_store_an_observation_twice(session, campaign):
    """The second poller waits for the first one's commit and then finds nothing new."""
    # Titled already: neither poller writes the channel's row before it stores.
    channel = make_channel(session, campaign, role="updates", title="Founder")
    engine = session.get_bind()
    first = Session(engine, expire_on_commit=False)
    store_social_read(first, first.merge(channel), read(), now=NOW)  # not committed yet
    second_done, second_pid = threading.Event(), []
    errors = []

    def second_poller():
        try:
            with Session(engine, expire_on_commit=False) as second:
                second_pid.append(second.scalar(text("SELECT pg_backend_pid()")))
                store_social_read(second, second.merge(channel), read(), now=NOW)
                second.commit()
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            second_done.set()

    thread = threading.Thread(target=second_poller)
    thread.start()
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity WHERE pid = :pid AND wait_event_type = 'Lock'"
    )
    with engine.connect() as watcher:
        deadline = datetime.now(UTC) + timedelta(seconds=10)
        while not second_done.is_set() and datetime.now(UTC) < deadline:
            if second_pid and watcher.execute(waiting, {"pid": second_pid[0]}).scalar():
                break  # the second poller waits for the first one's lock
            second_done.wait(0.01)
    first.commit()
    first.close()
    thread.join(10)
    assert not errors
    session.expire_all()
    assert count(session, FollowerSnapshot) == 1
    assert count(session, Entry) == 2
    assert count(session, EngagementObservation) == 3 + 3  # the post's and the reply's counts
    assert count(session, Feedback) == 1


def test_the_export_holds_replies_with_their_post_handle_and_followers(session, campaign):
    channel = make_channel(session, campaign, role="updates")
    store_social_read(session, channel, read(), now=NOW)
    session.commit()
    document = export_campaign(session, campaign)
    jsonschema.validate(document, SCHEMA)
    own, answer = sorted(document["entries"], key=lambda e: e["key"])
    assert (own["reply_to"], own["author_handle"], own["author_followers"]) == (None, None, None)
    assert answer["reply_to"] == "mastodon:p1"
    assert (answer["author_handle"], answer["author_followers"]) == ("@ana@social.example", 52_000)
    assert {"metric": "favourites", "value": 9} in [
        {k: o[k] for k in ("metric", "value")} for o in own["engagement"]
    ]
