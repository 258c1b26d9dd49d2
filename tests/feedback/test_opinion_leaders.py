"""Opinion leaders: top voices weighted by the follower counts the platforms give."""

from datetime import UTC, datetime, timedelta

from tests.factories.feeds import make_channel
from tracker.connectors.social import Author, SocialPost, SocialRead, store_social_read
from tracker.feedback.stats import top_voices

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
BIG = Author(handle="@ana@music.example", name="Ana Sound", followers=52_000)
SMALL = Author(handle="@bo@social.example", name="Bo", followers=30)


def _reply(key, author, text, *, to="mastodon:p1"):
    return SocialPost(
        key=f"mastodon:{key}",
        link=f"https://social.example/{key}",
        text=text,
        html=f"<p>{text}</p>",
        published_at=NOW - timedelta(hours=1),
        counts={"replies": 0, "boosts": 0, "favourites": 0},
        reply_to=to,
        author=author,
    )


def _seed(session, campaign):
    channel = make_channel(session, campaign, role="updates", title="Mastodon")
    own = SocialPost(
        key="mastodon:p1",
        link="https://social.example/p1",
        text="Prototype 3",
        html="<p>Prototype 3</p>",
        published_at=NOW - timedelta(hours=3),
        counts={"replies": 4, "boosts": 0, "favourites": 0},
    )
    replies = [
        _reply("r1", SMALL, "Nice!"),
        _reply("r2", SMALL, "Really nice!"),
        _reply("r3", SMALL, "Can't wait"),
        _reply("r4", BIG, "This filter is the best I heard this year."),
    ]
    read = SocialRead(title="Founder", followers=1200, posts=[own], replies=replies)
    store_social_read(session, channel, read, now=NOW)
    session.commit()


def test_one_reply_from_a_big_account_leads_the_opinion_leaders(session, campaign):
    _seed(session, campaign)
    by_posts = top_voices(session, campaign)
    assert [(v.author, v.posts) for v in by_posts] == [
        ("@bo@social.example", 3),
        ("@ana@music.example", 1),
    ]
    leaders = top_voices(session, campaign, by="followers")
    assert [(v.author, v.name, v.followers, v.posts) for v in leaders] == [
        ("@ana@music.example", "Ana Sound", 52_000, 1),
        ("@bo@social.example", "Bo", 30, 3),
    ]


def test_the_trends_page_shows_the_opinion_leaders(client, founder, session, campaign):
    _seed(session, campaign)
    page = client.get(f"/dashboard/{campaign.slug}/feedback/insights")
    assert page.status_code == 200
    leaders = page.text.split("Opinion leaders", 1)[1]
    assert leaders.index("Ana Sound") < leaders.index("Bo")
    assert "@ana@music.example" in leaders and "52,000" in leaders
