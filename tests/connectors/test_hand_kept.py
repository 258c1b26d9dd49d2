"""X/Twitter, Facebook and Instagram have no open API: their profiles are kept by hand,
and any RSS bridge's URL for them is accepted and polled as a feed."""

import pytest
from sqlalchemy import select

from tests.feed_server import FeedServer
from tracker.models import Channel, Entry

from .test_discussions import poll

BRIDGED = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Bridge: @ada on X</title>
<id>urn:bridge:ada</id><updated>2026-11-20T10:00:00Z</updated>
<entry><id>https://x.com/ada/status/1</id><title>Prototype 3 is on the bench</title>
<link href="https://x.com/ada/status/1"/><updated>2026-11-20T10:00:00Z</updated>
<content type="html">&lt;p&gt;Prototype 3 is on the bench&lt;/p&gt;</content></entry>
</feed>"""
BRIDGE_QUERY = "/?action=display&bridge=XBridge&context=By+username&u=ada&format=Atom"


@pytest.fixture
def server(app):
    app.config["ALLOW_PRIVATE_FEEDS"] = True  # the test server listens on 127.0.0.1
    with FeedServer() as running:
        yield running


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://x.com/ada", "x"),
        ("https://www.facebook.com/adabuilds", "facebook"),
        ("https://www.instagram.com/adabuilds/", "instagram"),
    ],
)
def test_profiles_without_an_open_api_are_kept_by_hand(cli, session, campaign, url, origin):
    result = cli("feeds", "add", "synth", url)
    assert result.exit_code == 0, result.output
    assert "kept by hand" in result.output
    channel = session.scalars(select(Channel)).one()
    assert (channel.kind, channel.origin, channel.feed_url, channel.polled) == (
        "feed",
        origin,
        None,
        False,
    )


def test_an_rss_bridge_url_is_a_feed_like_any(cli, server, session, campaign):
    server.route("/", body=BRIDGED, headers={"Content-Type": "application/atom+xml"})
    url = server.url(BRIDGE_QUERY)
    result = cli("feeds", "add", "synth", url)
    assert result.exit_code == 0, result.output
    channel = session.scalars(select(Channel)).one()
    assert (channel.kind, channel.feed_url) == ("feed", url)
    poll(cli, session)
    [entry] = session.scalars(select(Entry)).all()
    assert entry.link == "https://x.com/ada/status/1"
