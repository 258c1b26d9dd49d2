"""Limits around channels: how many a campaign follows, how much OPML is read, how long a
web request may fetch, and the feeds page in pages."""

import io
import re
import time

import pytest
from sqlalchemy import func, select

from tests.factories import make_campaign
from tests.factories.feeds import make_channel
from tests.feed_server import FeedServer
from tracker.errors import InvalidInput
from tracker.feeds.channels import add_channel, create_channel, page_fetcher
from tracker.feeds.fetch import FetchError
from tracker.feeds.fetch_policy import FetchPolicy
from tracker.feeds.opml import (
    MAX_OPML_BYTES,
    MAX_OUTLINE_DEPTH,
    MAX_OUTLINES,
    OpmlError,
    import_opml,
)
from tracker.models import Channel


def opml(*urls: str, folder: str = "") -> bytes:
    outlines = "".join(f'<outline text="{n}" xmlUrl="{url}"/>' for n, url in enumerate(urls))
    if folder:
        outlines = f'<outline text="{folder}">{outlines}</outline>'
    return f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>'.encode()


def feeds(count: int, start: int = 0) -> list[str]:
    return [f"https://f{n}.example/feed.rss" for n in range(start, start + count)]


def channel_count(session) -> int:
    return session.scalar(select(func.count()).select_from(Channel))


def test_a_campaign_follows_at_most_max_channels(session):
    campaign = make_campaign(session)
    direct = {"role": "updates", "origin": "direct", "max_channels": 3}
    for url in feeds(3):
        create_channel(session, campaign, feed_url=url, **direct)
    with pytest.raises(InvalidInput, match="already follows 3 channels, the most it may"):
        create_channel(session, campaign, feed_url=feeds(1, 3)[0], **direct)
    with pytest.raises(InvalidInput, match="already follows 3 channels"):
        add_channel(
            session,
            campaign,
            text="@ada@indie.example",
            role="updates",
            fetch_page=None,
            max_channels=3,
        )
    assert channel_count(session) == 3
    # Another campaign has room of its own.
    create_channel(session, make_campaign(session), feed_url=feeds(1)[0], **direct)


def test_an_opml_file_past_the_limit_is_refused_whole(session):
    campaign = make_campaign(session)
    make_channel(session, campaign, feed_url=feeds(1)[0])
    # Already followed and repeated feeds take no room; four new ones do not fit in three.
    data = opml(*feeds(5), feeds(1)[0], folder="Blogs")

    with pytest.raises(OpmlError, match=r"4 new feeds.*1 channel.*at most 4"):
        import_opml(session, campaign, data, role="updates", max_channels=4)
    assert channel_count(session) == 1

    result = import_opml(session, campaign, opml(*feeds(4)), role="updates", max_channels=4)
    assert len(result.added) == 3 and channel_count(session) == 4


def test_the_attack_file_of_50000_outlines_is_refused_at_once(session):
    campaign = make_campaign(session)
    data = opml(*feeds(50_000))
    started = time.monotonic()
    with pytest.raises(OpmlError, match="larger than 1 MB"):
        import_opml(session, campaign, data, role="updates")
    print(f"refusing 50,000 outlines ({len(data)} bytes) took {time.monotonic() - started:.3f} s")
    assert channel_count(session) == 0


def test_more_outlines_than_the_limit_are_refused_while_parsing(session):
    data = b"<opml><body>" + b"<outline/>" * (MAX_OUTLINES + 1) + b"</body></opml>"
    assert len(data) < MAX_OPML_BYTES
    with pytest.raises(OpmlError, match=f"more than {MAX_OUTLINES} outlines"):
        import_opml(session, make_campaign(session), data, role="updates")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<opml><body>" + b" " * MAX_OPML_BYTES + b"</body></opml>", "larger than 1 MB"),
        (
            b"<opml><body>" + b"<outline>" * (MAX_OUTLINE_DEPTH + 1) + b"</body></opml>",
            f"nest deeper than {MAX_OUTLINE_DEPTH}",
        ),
        (b"<opml><body>" + b"<x>" * 100_000, f"nest deeper than {MAX_OUTLINE_DEPTH}"),
    ],
)
def test_opml_size_and_depth_are_bounded(session, data, message):
    with pytest.raises(OpmlError, match=message):
        import_opml(session, make_campaign(session), data, role="updates")


# The web: configuration, the upload and the feeds page in pages.


def test_the_limit_is_configured_and_the_web_says_so(app, client, session, founder, campaign):
    app.config["MAX_CHANNELS_PER_CAMPAIGN"] = 2
    for url in feeds(2):
        make_channel(session, campaign, feed_url=url)

    added = client.post(
        "/dashboard/synth/feeds/channels", {"url": "@ada@indie.example", "role": "updates"}
    )
    upload = client.post(
        "/dashboard/synth/feeds/opml",
        {"opml-opml": (io.BytesIO(opml(*feeds(3, 5))), "subs.opml"), "opml-role": "updates"},
        content_type="multipart/form-data",
    )

    assert added.status_code == 422
    assert "already follows 2 channels, the most it may" in added.get_data(as_text=True)
    assert upload.status_code == 422
    assert "3 new feeds" in upload.get_data(as_text=True)
    assert channel_count(session) == 2


def test_the_feeds_page_lists_channels_in_pages(client, session, founder, campaign):
    for url in feeds(55):
        make_channel(session, campaign, feed_url=url)

    first = client.get("/dashboard/synth/feeds/")
    second = client.get("/dashboard/synth/feeds/?page=2")

    assert first.status_code == 200 and second.status_code == 200
    rows = re.findall(r'<tr id="channel-(\d+)"', first.get_data(as_text=True))
    assert len(rows) == 50
    assert 'href="/dashboard/synth/feeds/?page=2#channels"' in first.get_data(as_text=True)
    assert len(re.findall(r'<tr id="channel-', second.get_data(as_text=True))) == 5
    assert "Page 2 of 2" in second.get_data(as_text=True)
    for page in ("3", "0", "-1", "abc", "99999999999999999999999", "²"):
        assert client.get(f"/dashboard/synth/feeds/?page={page}").status_code == 404, page


def test_the_entries_of_a_channel_refuse_pages_that_do_not_exist(
    client, session, founder, campaign
):
    channel = make_channel(session, campaign)
    base = f"/dashboard/synth/feeds/channels/{channel.id}"
    assert client.get(base).status_code == 200
    assert client.get(base + "?page=1").status_code == 200
    for page in ("2", "0", "abc", "99999999999999999999999"):
        assert client.get(f"{base}?page={page}").status_code == 404, page
    assert client.get("/dashboard/synth/feeds/channels/99999999999").status_code == 404


def test_the_cli_refuses_an_opml_file_past_the_limit_in_one_line(app, cli, session, tmp_path):
    app.config["MAX_CHANNELS_PER_CAMPAIGN"] = 2
    campaign = make_campaign(session)
    path = tmp_path / "subs.opml"
    path.write_bytes(opml(*feeds(3)))
    result = cli("feeds", "import-opml", campaign.slug, path, "--role", "updates")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1].startswith("Error: subs.opml: 3 new feeds")
    assert channel_count(session) == 0


def test_discovery_fetches_share_one_deadline():
    fetch = page_fetcher(FetchPolicy(allow_private=True, total_timeout=0.3))
    with FeedServer() as server:
        server.route("/slow", headers={"Content-Type": "text/html"}, trickle=b" ")
        for _ in range(2):
            with pytest.raises(FetchError, match=r"out of time: fetching may take 0\.3 s in all"):
                fetch(server.url("/slow"))
    assert len(server.requests) == 1  # the second fetch did not even start
