"""Channels from what founders paste, posts by hand, follower counts, OPML, the policy."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import make_campaign
from tests.factories.feeds import FEEDS, RSS, make_channel, rss
from tests.feed_server import FeedServer
from tracker.errors import InvalidInput, NotFound
from tracker.feeds.channel_lists import channels_of
from tracker.feeds.channels import (
    add_channel,
    add_post_by_hand,
    find_channel,
    page_fetcher,
)
from tracker.feeds.fetch import FetchPolicy
from tracker.feeds.fetch_policy import fetch_policy
from tracker.feeds.followers import FollowerCsvRejected, import_followers_csv, record_followers
from tracker.feeds.opml import OpmlError, import_opml, read_opml, write_opml
from tracker.models import Channel, Entry, FollowerSnapshot, utcnow

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def test_fetch_policy_from_config():
    assert fetch_policy({}) == FetchPolicy()
    policy = fetch_policy({"ALLOW_PRIVATE_FEEDS": "1", "FEED_ALLOWED_HOSTS": "a.lan, B.lan,"})
    assert policy.allow_private and policy.allowed_hosts == frozenset({"a.lan", "b.lan"})
    assert not fetch_policy({"ALLOW_PRIVATE_FEEDS": "false"}).allow_private
    assert fetch_policy({"FEED_ALLOWED_HOSTS": ["x.lan"]}).allowed_hosts == {"x.lan"}


def test_add_channel_discovers_a_page_feed_through_the_guarded_fetcher(session):
    campaign = make_campaign(session)
    with FeedServer() as server:
        page = (FEEDS / "page_with_alternate.html").read_bytes()
        server.route("/blog", body=page, headers={"Content-Type": "text/html"})
        fetcher = page_fetcher(FetchPolicy(allow_private=True))
        added = add_channel(
            session, campaign, text=server.url("/blog"), role="updates", fetch_page=fetcher
        )
    assert added.channel.origin == "discovered"
    assert added.channel.source_url == server.url("/blog")
    assert added.channel.next_poll_at is not None and added.channel.polled


def test_discovery_fetches_are_guarded_too(session):
    campaign = make_campaign(session)
    with FeedServer() as server:
        server.route("/f.rss", body=rss(("a", "A")), headers=RSS)
        with pytest.raises(InvalidInput) as error:
            add_channel(
                session,
                campaign,
                text=server.url("/blog"),
                role="updates",
                fetch_page=page_fetcher(FetchPolicy()),
            )
        assert server.requests == []
    assert "refused" in str(error.value) and "tried" in str(error.value)


def test_the_same_feed_twice_is_refused(session):
    campaign = make_campaign(session)
    add_channel(session, campaign, text="@ada@indie.example", role="updates", fetch_page=None)
    with pytest.raises(InvalidInput, match="already follows"):
        add_channel(
            session, campaign, text="https://indie.example/@ada", role="updates", fetch_page=None
        )


def test_bad_role_and_nonsense_are_refused(session):
    campaign = make_campaign(session)
    with pytest.raises(InvalidInput, match="role"):
        add_channel(session, campaign, text="@a@b.example", role="fans", fetch_page=None)
    with pytest.raises(InvalidInput, match="no feed found"):
        add_channel(session, campaign, text="", role="updates", fetch_page=None)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("https://x.com/lumendeck", "x"),
        ("twitter.com/lumendeck", "x"),
        ("https://www.instagram.com/lumendeck/", "instagram"),
        ("https://facebook.com/lumendeck", "facebook"),
    ],
)
def test_feedless_platforms_become_hand_kept_channels(session, text, kind):
    campaign = make_campaign(session)
    added = add_channel(session, campaign, text=text, role="updates", fetch_page=None)
    assert added.hand_kept and added.channel.origin == kind
    assert added.channel.feed_url is None and not added.channel.polled
    assert added.channel.next_poll_at is None


def test_posts_by_hand_are_escaped_dated_and_deduplicated(session):
    campaign = make_campaign(session)
    channel = add_channel(
        session, campaign, text="https://x.com/a", role="updates", fetch_page=None
    ).channel
    when = NOW - timedelta(days=2)
    text = "<script>alert(1)</script>\n\nSecond paragraph #beta"
    first = add_post_by_hand(
        session, channel, url="https://x.com/a/status/1", published_at=when, text=text, now=NOW
    )
    again = add_post_by_hand(
        session, channel, url="https://x.com/a/status/1", published_at=when, text=text, now=NOW
    )
    entry = session.get(Entry, first.new_ids[0])
    assert (first.new, again.new) == (1, 0)
    assert entry.content_html == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><p>Second paragraph #beta</p>"
    )
    assert entry.published_at == when and entry.source == "manual"
    assert entry.link == "https://x.com/a/status/1"
    without_url = add_post_by_hand(
        session, channel, url="", published_at=when, text="no link", now=NOW
    )
    assert session.get(Entry, without_url.new_ids[0]).key.startswith("manual:")


@pytest.mark.parametrize(
    ("url", "text", "when", "field"),
    [
        ("javascript:alert(1)", "x", NOW, "url"),
        ("", "   ", NOW, "text"),
        ("", "x", NOW + timedelta(days=1), "published_at"),
    ],
)
def test_posts_by_hand_refuse_bad_input(session, url, text, when, field):
    channel = make_channel(session, make_campaign(session))
    with pytest.raises(InvalidInput) as error:
        add_post_by_hand(session, channel, url=url, published_at=when, text=text, now=NOW)
    assert field in error.value.errors


def test_find_channel_by_id_feed_url_or_pasted_url(session):
    campaign = make_campaign(session)
    channel = add_channel(
        session, campaign, text="@ada@indie.example", role="updates", fetch_page=None
    ).channel
    assert find_channel(session, campaign, str(channel.id)) is channel
    assert find_channel(session, campaign, "https://indie.example/@ada.rss") is channel
    assert find_channel(session, campaign, "@ada@indie.example") is channel
    with pytest.raises(NotFound):
        find_channel(session, make_campaign(session), str(channel.id))


def test_follower_snapshots_and_latest_count(session):
    campaign = make_campaign(session)
    channel = make_channel(session, campaign)
    record_followers(
        session, channel, count=10, taken_at=NOW - timedelta(days=3), source="cli", now=NOW
    )
    record_followers(
        session, channel, count=25, taken_at=NOW - timedelta(days=1), source="cli", now=NOW
    )
    record_followers(
        session, channel, count=20, taken_at=NOW - timedelta(days=2), source="cli", now=NOW
    )
    session.commit()
    assert channels_of(session, campaign)[0].followers == 25
    with pytest.raises(InvalidInput):
        record_followers(session, channel, count=-1, taken_at=None, source="cli", now=NOW)


def test_follower_csv_reports_every_bad_row_with_line_and_column(session):
    campaign = make_campaign(session)
    channel = make_channel(session, campaign, feed_url="https://a.example/f.rss")
    data = (
        "channel,taken_at,count\n"
        f"{channel.id},2026-11-01,100\n"
        "https://a.example/f.rss,2026-11-02T10:00:00Z,120\n"
        "999,2026-11-03,1\n"
        f"{channel.id},someday,1\n"
        f"{channel.id},2026-11-04,lots\n"
        f"{channel.id},2999-01-01,5\n"
    ).encode()
    with pytest.raises(FollowerCsvRejected) as error:
        import_followers_csv(session, campaign, data, now=NOW)
    where = [(e.line, e.column) for e in error.value.errors]
    assert where == [(4, "channel"), (5, "taken_at"), (6, "count"), (7, "taken_at")]
    session.rollback()
    assert session.scalar(select(func.count()).select_from(FollowerSnapshot)) == 0

    good = b"\n".join(data.split(b"\n")[:3])
    assert len(import_followers_csv(session, campaign, good, now=NOW)) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"name,when\nx,y\n", "the header needs"),
        (b"channel,taken_at,count\n", "no rows"),
        ("channel,taken_at,count\n1,2026-01-01,1\n".encode("utf-16"), "not UTF-8"),
    ],
)
def test_follower_csv_refuses_bad_files(session, data, message):
    with pytest.raises(FollowerCsvRejected, match=message):
        import_followers_csv(session, make_campaign(session), data, now=NOW)


def test_opml_round_trip(session):
    source, target = make_campaign(session), make_campaign(session)
    make_channel(session, source, feed_url="https://a.example/a.rss", title='A "quoted" <feed>')
    make_channel(session, source, feed_url="https://b.example/b.atom", role="feedback")
    add_channel(session, source, text="https://x.com/hand", role="updates", fetch_page=None)
    document = write_opml("Source", session.scalars(select(Channel)).all(), now=NOW)

    outlines = read_opml(document)
    assert [o.xml_url for o in outlines] == ["https://a.example/a.rss", "https://b.example/b.atom"]
    assert outlines[0].text == 'A "quoted" <feed>'
    result = import_opml(session, target, document, role="updates")
    assert [c.feed_url for c in result.added] == [o.xml_url for o in outlines]
    assert result.problems == []
    again = import_opml(session, target, document, role="updates")
    assert len(again.problems) == 2 and "already follows" in again.problems[0]


def test_opml_export_is_valid_xml_for_titles_stored_before_stripping(session):
    campaign = make_campaign(session)
    channel = make_channel(session, campaign, feed_url="https://a.example/a.rss", title="A")
    # Written as an older version stored it: the stripping at entry did not exist yet.
    channel.title = "Bell\x07 feed\x01"
    session.flush()
    document = write_opml("Campaign\x0b", [channel], now=NOW)
    assert [o.text for o in read_opml(document)] == ["Bell feed"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'<!DOCTYPE x [<!ENTITY a "b">]><opml><body/></opml>', "declares XML entities"),
        (b"<opml><body>", "not valid XML"),
        (b"<rss/>", "not an OPML document"),
    ],
)
def test_opml_refuses_hostile_or_wrong_documents(data, message):
    with pytest.raises(OpmlError, match=message):
        read_opml(data)


def test_channels_list_counts_entries(session):
    campaign = make_campaign(session)
    channel = make_channel(session, campaign)
    add_post_by_hand(session, channel, url="", published_at=NOW, text="hi", now=utcnow())
    session.commit()
    assert [
        (row.channel.id, row.entries, row.followers) for row in channels_of(session, campaign)
    ] == [(channel.id, 1, None)]
