"""Replies under own posts in the inbox: threaded to their post, their channel a filter."""

from datetime import UTC, datetime, timedelta

from tests.factories.feeds import make_channel
from tracker.connectors.social import Author, SocialPost, SocialRead, store_social_read
from tracker.feedback.inbox import InboxFilter, filter_choices, inbox_page

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def _seed(session, campaign):
    channel = make_channel(session, campaign, role="updates", title="Mastodon")
    own = SocialPost(
        key="mastodon:p1",
        link="https://social.example/@founder/p1",
        text="Prototype 3 is on the bench",
        html="<p>Prototype 3 is on the bench</p>",
        published_at=NOW - timedelta(hours=3),
        counts={"replies": 1},
    )
    reply = SocialPost(
        key="mastodon:r1",
        link="https://social.example/@ana/r1",
        text="When does the beta ship?",
        html="<p>When does the beta ship?</p>",
        published_at=NOW - timedelta(hours=1),
        counts={},
        reply_to="mastodon:p1",
        author=Author("@ana@social.example", "Ana", 52_000),
    )
    read = SocialRead(title="Founder", followers=10, posts=[own], replies=[reply])
    store_social_read(session, channel, read, now=NOW)
    session.commit()
    return channel


def test_a_reply_shows_the_post_it_answers_and_its_channel_filters_the_inbox(
    client, founder, session, campaign
):
    channel = _seed(session, campaign)
    assert filter_choices(session, campaign).channels == [(channel.id, "Mastodon")]
    (item,) = inbox_page(session, campaign, InboxFilter(channel=channel.id)).items
    assert (item.reply_to, item.reply_to_link) == (
        "Prototype 3 is on the bench",
        "https://social.example/@founder/p1",
    )
    page = client.get(f"/dashboard/{campaign.slug}/feedback/")
    assert page.status_code == 200
    assert "In reply to" in page.text and "Prototype 3 is on the bench" in page.text
