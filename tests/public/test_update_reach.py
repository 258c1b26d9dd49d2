"""Reach and virality per update: followers when posted, engagement after an hour, a day
and in total; the impact table ranked by pledges after an update or by its engagement."""

from datetime import UTC, datetime, timedelta

from tests.factories.feeds import make_channel
from tracker.connectors.social import SocialPost, SocialRead, store_social_read
from tracker.public.update_impact import update_impacts

POSTED = datetime(2026, 11, 10, 9, tzinfo=UTC)
LATER = datetime(2026, 11, 12, 9, tzinfo=UTC)


def _post(key, title, counts, *, at):
    return SocialPost(
        key=f"mastodon:{key}",
        link=f"https://social.example/@founder/{key}",
        text=title,
        html=f"<p>{title}</p>",
        published_at=at,
        counts=counts,
    )


def _poll(session, channel, *, now, followers, counts_a=None, counts_b=None):
    posts = [_post("a", "Prototype 3 sings", counts_a, at=POSTED)] if counts_a else []
    if counts_b is not None:
        posts.append(_post("b", "Knobs arrived", counts_b, at=LATER))
    read = SocialRead(title="Founder", followers=followers, posts=posts)
    store_social_read(session, channel, read, now=now)
    session.commit()


def _seed(session, campaign):
    channel = make_channel(session, campaign, role="updates", title="Mastodon")
    _poll(session, channel, now=POSTED - timedelta(hours=1), followers=1000)
    _poll(
        session,
        channel,
        now=POSTED + timedelta(minutes=50),
        followers=1010,
        counts_a={"replies": 2, "boosts": 4, "favourites": 9},
    )
    _poll(
        session,
        channel,
        now=POSTED + timedelta(hours=20),
        followers=1100,
        counts_a={"replies": 3, "boosts": 10, "favourites": 30},
    )
    _poll(
        session,
        channel,
        now=LATER + timedelta(hours=30),
        followers=1500,
        counts_a={"replies": 3, "boosts": 12, "favourites": 41},
        counts_b={"replies": 0, "boosts": 1, "favourites": 2},
    )
    return channel


def test_each_update_has_its_reach_and_engagement_curve(session, campaign):
    _seed(session, campaign)
    impacts = {i.title: i for i in update_impacts(session, campaign)}
    loud, quiet = impacts["Prototype 3 sings"], impacts["Knobs arrived"]
    assert loud.reach == 1000  # the count last seen before it was posted
    assert (loud.engagement_first_hour, loud.engagement_first_day) == (15, 43)
    assert loud.engagement_total == 56
    # First seen 30 hours after posting: its first hour and first day are unknown.
    assert quiet.reach == 1100
    assert (quiet.engagement_first_hour, quiet.engagement_first_day) == (None, None)
    assert quiet.engagement_total == 3


def test_the_impact_table_ranks_by_engagement_on_request(client, founder, session, campaign):
    _seed(session, campaign)
    ranked = update_impacts(session, campaign, by="engagement")
    assert [i.title for i in ranked] == ["Prototype 3 sings", "Knobs arrived"]
    page = client.get(f"/dashboard/{campaign.slug}/insights/impact?by=engagement")
    assert page.status_code == 200
    assert page.text.index("Prototype 3 sings") < page.text.index("Knobs arrived")
    assert "Reach" in page.text and "First hour" in page.text and "1,000" in page.text
