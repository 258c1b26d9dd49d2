"""The public page's "Community": the latest follower count of each updates channel."""

from datetime import timedelta

from tests.factories import make_campaign
from tests.factories.feeds import count_followers, make_channel
from tracker.models import utcnow
from tracker.public.community import community_of


def _hand_kept(session, campaign, origin, **values):
    return make_channel(session, campaign, origin=origin, feed_url=None, polled=False, **values)


def test_latest_count_of_each_updates_channel_by_platform(session, owner, campaign):
    mastodon = make_channel(session, campaign, kind="mastodon", origin="mastodon-profile")
    count_followers(session, mastodon, 900, ago=timedelta(hours=48))
    count_followers(session, mastodon, 1200, ago=timedelta(hours=1))
    # recorded later, counted earlier
    count_followers(session, mastodon, 1000, ago=timedelta(hours=24))
    bluesky = make_channel(session, campaign, kind="bluesky", origin="bluesky")
    count_followers(session, bluesky, 300)
    x = _hand_kept(session, campaign, "x", source_url="https://x.com/synth")
    count_followers(session, x, 50, ago=timedelta(hours=5))
    # Not followers of the founder's updates: stars, a feedback channel, another campaign.
    count_followers(session, make_channel(session, campaign, kind="github", origin="direct"), 7000)
    count_followers(session, make_channel(session, campaign, role="feedback"), 4000)
    other = make_campaign(session, owner=owner, slug="other")
    count_followers(
        session, make_channel(session, other, kind="mastodon", origin="mastodon-profile"), 9
    )
    make_channel(session, campaign, kind="mastodon", origin="mastodon-profile")  # never counted

    community = community_of(session, campaign)

    assert community.total == 1550
    assert [(c.platform, c.count) for c in community.channels] == [
        ("mastodon", 1200),
        ("bluesky", 300),
        ("x", 50),
    ]
    assert community.channels[2].counted_at < community.channels[0].counted_at


def test_two_channels_on_one_platform_add_up(session, campaign):
    for count in (100, 20):
        count_followers(
            session, make_channel(session, campaign, kind="bluesky", origin="bluesky"), count
        )
    (platform,) = community_of(session, campaign).by_platform
    assert (platform.platform, platform.count) == ("bluesky", 120)


def test_no_count_means_no_community(session, campaign):
    make_channel(session, campaign, kind="mastodon", origin="mastodon-profile")
    assert community_of(session, campaign) is None


def test_page_and_json_show_the_community_in_the_page_language(client, session, campaign):
    page = client.get_text("/c/synth")
    assert 'id="community"' not in page
    assert client.get_checked("/api/campaigns/synth.json").get_json()["followers"] is None
    first = client.get("/c/synth")
    assert first.status_code == 200

    channel = make_channel(session, campaign, kind="mastodon", origin="mastodon-profile")
    count_followers(session, channel, 1234)

    changed = client.get("/c/synth", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    page = " ".join(changed.get_data(as_text=True).split())
    assert 'id="community"' in page and "1,234" in page and "Mastodon" in page
    german = client.get_text("/c/synth", headers={"Accept-Language": "de"})
    assert "Gemeinschaft" in german and "1.234" in german
    followers = client.get_checked("/api/campaigns/synth.json").get_json()["followers"]
    assert followers["total"] == 1234
    (only,) = followers["channels"]
    assert (only["platform"], only["count"]) == ("mastodon", 1234)
    assert only["counted_at"].startswith(utcnow().date().isoformat()[:4])
