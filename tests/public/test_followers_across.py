"""Followers across channels: each channel's latest count, the total, the change over the
last 7 days on the dashboard, and counts marked when their channel fails."""

from datetime import timedelta

from sqlalchemy import update

from tests.factories.feeds import count_followers, make_channel
from tracker.models import Channel, utcnow
from tracker.public.community import followers_across


def _fail(session, channel):
    session.execute(
        update(Channel)
        .where(Channel.id == channel.id)
        .values(consecutive_errors=3, last_error="HTTP 503", last_error_at=utcnow())
    )
    session.commit()


def _two_channels(session, campaign):
    mastodon = make_channel(
        session, campaign, kind="mastodon", origin="mastodon-profile", title="@synth"
    )
    for days_ago, count in ((10, 1000), (8, 1050), (3, 1100), (0.1, 1200)):
        count_followers(session, mastodon, count, ago=timedelta(days=days_ago))
    bluesky = make_channel(session, campaign, kind="bluesky", origin="bluesky", title="synth.bsky")
    # first counted two days ago: no week yet
    count_followers(session, bluesky, 300, ago=timedelta(days=2))
    return mastodon, bluesky


def test_latest_counts_total_and_change_over_seven_days(session, campaign):
    _mastodon, bluesky = _two_channels(session, campaign)
    _fail(session, bluesky)

    across = followers_across(session, campaign, now=utcnow())

    assert across.total == 1500
    assert [(c.platform, c.count, c.change, c.stale) for c in across.channels] == [
        ("mastodon", 1200, 150, False),  # against the count of 8 days ago, the last before
        ("bluesky", 300, None, True),
    ]
    assert (across.change, across.changes_known) == (150, 1)
    assert across.stale
    assert across.counted_at == across.channels[1].counted_at  # the oldest figure


def test_no_counts_no_block(client, founder, session, campaign):
    make_channel(session, campaign, kind="mastodon", origin="mastodon-profile")
    assert followers_across(session, campaign, now=utcnow()) is None
    assert 'id="followers"' not in client.get_text("/dashboard/synth/")


def test_dashboard_shows_each_channel_the_total_and_the_week(client, founder, session, campaign):
    _mastodon, bluesky = _two_channels(session, campaign)
    page = " ".join(client.get_text("/dashboard/synth/").split())
    assert 'id="followers"' in page and "Followers across channels" in page
    assert "@synth" in page and "1,200" in page and "+150" in page and "1,500" in page
    assert "may be out of date" not in page
    _fail(session, bluesky)
    page = " ".join(client.get_text("/dashboard/synth/").split())
    assert "may be out of date" in page
    german = client.get_text("/dashboard/synth/", headers={"Accept-Language": "de"})
    assert "Follower auf allen Kanälen" in german and "möglicherweise veraltet" in german


def test_public_page_and_json_mark_a_failing_channels_count(client, session, campaign):
    _mastodon, bluesky = _two_channels(session, campaign)
    first = client.get("/c/synth")
    assert first.status_code == 200
    assert "may be out of date" not in first.get_data(as_text=True)
    _fail(session, bluesky)
    changed = client.get("/c/synth", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    page = " ".join(changed.get_data(as_text=True).split())
    assert "Followers across channels" in page and "1,500" in page
    assert "may be out of date" in page
    followers = client.get_checked("/api/campaigns/synth.json").get_json()["followers"]
    assert [(c["platform"], c["stale"]) for c in followers["channels"]] == [
        ("mastodon", False),
        ("bluesky", True),
    ]
    assert followers["stale"] is True
