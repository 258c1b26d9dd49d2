"""The feeds dashboard: channels, poll now, posts by hand, followers, OPML, links, access."""

import io

import pytest
from sqlalchemy import func, select

from tests.factories import make_campaign, make_milestone
from tests.factories.feeds import FEEDS, RSS, make_channel, nested_rss
from tests.feed_server import FeedServer
from tests.worker import run_jobs
from tracker.models import Channel, Entry, EntryMilestone, FollowerSnapshot

HX = {"HX-Request": "true"}
pytestmark = pytest.mark.usefixtures("founder")


@pytest.fixture(autouse=True)
def local_feeds(app):
    app.config["ALLOW_PRIVATE_FEEDS"] = True  # the test feed server listens on 127.0.0.1


def _count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_campaign_page_links_to_the_feeds_tab(client, campaign):
    page = client.get("/dashboard/synth/")
    assert page.status_code == 200
    assert 'href="/dashboard/synth/feeds/"' in page.get_data(as_text=True)


def test_add_channel_without_js_redirects(client, session, campaign):
    response = client.post("/dashboard/synth/feeds/channels", {"url": "r/synth", "role": "updates"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "https://www.reddit.com/r/synth/.rss" in html
    # The same message as with htmx, shown once by the page the redirect leads to.
    assert "Now following https://www.reddit.com/r/synth/.rss." in html
    again = client.get("/dashboard/synth/feeds/")
    assert again.status_code == 200
    assert "Now following" not in again.get_data(as_text=True)


def test_add_channel_with_htmx_returns_the_channels_fragment(client, campaign):
    response = client.post(
        "/dashboard/synth/feeds/channels",
        {"url": "https://github.com/ada/builds", "role": "updates"},
        headers=HX,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="channels"')
    assert "https://github.com/ada/builds/releases.atom" in html
    assert "Now following" in html
    assert "HX-Request" in response.headers["Vary"]


def test_pause_and_resume(client, session, campaign):
    channel = make_channel(session, campaign)
    paused = client.post(f"/dashboard/synth/feeds/channels/{channel.id}/pause")
    assert paused.status_code == 303
    session.refresh(channel)
    assert channel.state == "paused"
    resumed = client.post(f"/dashboard/synth/feeds/channels/{channel.id}/resume", headers=HX)
    assert resumed.status_code == 200
    session.refresh(channel)
    assert channel.state == "active" and ">Pause<" in resumed.get_data(as_text=True)


def test_xss_in_entries_is_harmless_on_the_dashboard(app, client, session, campaign):
    with FeedServer() as server:
        server.route("/x", body=(FEEDS / "xss.rss").read_bytes(), headers=RSS)
        channel = make_channel(session, campaign, feed_url=server.url("/x"))
        assert client.post(f"/dashboard/synth/feeds/channels/{channel.id}/poll").status_code == 303
        run_jobs(app)  # the worker polls
    # A stored entry edited behind our back is cleaned again when shown.
    entry = session.scalars(select(Entry)).first()
    entry.content_html += '<script>alert("db")</script><a href="javascript:alert(2)">x</a>'
    session.add(entry)
    session.commit()
    page = client.get(f"/dashboard/synth/feeds/channels/{channel.id}")
    assert page.status_code == 200
    body = page.get_data(as_text=True).split("<main", 1)[1]
    assert "<script" not in body.lower()
    assert "javascript:" not in body.lower()
    assert "onerror" not in body.lower() and "onclick" not in body.lower()


def test_other_founders_get_404_for_channels_and_entries(app, client, session, campaign):
    other = make_campaign(session, slug="other")
    channel = make_channel(session, other)
    entry = Entry(
        channel_id=channel.id, campaign_id=other.id, key="k", published_at=channel.created_at
    )
    session.add(entry)
    session.commit()
    milestone = make_milestone(session, campaign)
    assert client.get("/dashboard/other/feeds/").status_code == 404
    assert client.get(f"/dashboard/synth/feeds/channels/{channel.id}").status_code == 404
    assert client.post(f"/dashboard/synth/feeds/channels/{channel.id}/poll").status_code == 404
    assert client.post(f"/dashboard/synth/feeds/channels/{channel.id}/pause").status_code == 404
    linked = client.post(
        f"/dashboard/synth/feeds/entries/{entry.id}/links", {"milestone": str(milestone.id)}
    )
    assert linked.status_code == 404
    assert _count(session, EntryMilestone) == 0


def test_add_a_post_by_hand(client, session, campaign):
    added = client.post(
        "/dashboard/synth/feeds/channels", {"url": "https://x.com/synth", "role": "updates"}
    )
    assert added.status_code == 303
    channel = session.scalars(select(Channel)).one()
    assert channel.feed_url is None and not channel.polled
    response = client.post(
        "/dashboard/synth/feeds/posts",
        {
            "post-channel": str(channel.id),
            "post-url": "https://x.com/synth/status/1",
            "post-published_at": "2026-11-20T10:00",
            "post-text": "The <b>beta</b> ships Friday",
        },
    )
    assert response.status_code == 303
    entry = session.scalars(select(Entry)).one()
    assert entry.source == "manual" and entry.content_html == (
        "<p>The &lt;b&gt;beta&lt;/b&gt; ships Friday</p>"
    )
    bad = client.post(
        "/dashboard/synth/feeds/posts",
        {
            "post-channel": str(channel.id),
            "post-url": "javascript:x",
            "post-published_at": "2026-11-20T10:00",
        },
    )
    assert bad.status_code == 422


def test_followers_form_and_csv(client, session, campaign):
    channel = make_channel(session, campaign)
    response = client.post(
        "/dashboard/synth/feeds/followers",
        {"followers-channel": str(channel.id), "followers-count": "340"},
    )
    assert response.status_code == 303
    csv = (
        f"channel,taken_at,count\n{channel.id},2026-11-01T08:00:00Z,300\n"
        f"{channel.id},2026-11-02,-1\n"
    )
    bad = client.post(
        "/dashboard/synth/feeds/followers.csv",
        {"csv": (io.BytesIO(csv.encode()), "f.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    assert "Line 3, column count" in bad.get_data(as_text=True)
    assert _count(session, FollowerSnapshot) == 1
    good = client.post(
        "/dashboard/synth/feeds/followers.csv",
        {"csv": (io.BytesIO(csv.rsplit("\n", 2)[0].encode()), "f.csv")},
        content_type="multipart/form-data",
    )
    assert good.status_code == 200 and "1 follower counts recorded" in good.get_data(as_text=True)
    assert _count(session, FollowerSnapshot) == 2


def test_opml_round_trip_with_bad_outlines_reported(client, session, owner, campaign):
    make_channel(session, campaign, feed_url="https://a.example/one.rss", title="One & <Two>")
    make_channel(session, campaign, feed_url="https://b.example/two.atom", role="feedback")
    download = client.get("/dashboard/synth/feeds/channels.opml")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    opml = download.data
    assert b'xmlUrl="https://a.example/one.rss"' in opml and b"One &amp; &lt;Two&gt;" in opml

    make_campaign(session, owner=owner, slug="copy")
    broken = opml.replace(b"</body>", b'<outline text="Nothing here"/></body>')
    response = client.post(
        "/dashboard/copy/feeds/opml",
        {"opml-opml": (io.BytesIO(broken), "subs.opml"), "opml-role": "updates"},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 channels added" in html and "outline 3 (&#39;Nothing here&#39;): no xmlUrl" in html
    copied = session.scalars(
        select(Channel.feed_url).where(Channel.campaign_id != campaign.id).order_by(Channel.id)
    ).all()
    assert copied == ["https://a.example/one.rss", "https://b.example/two.atom"]


def test_link_and_unlink_by_hand_with_htmx_and_without(app, client, session, campaign):
    beta = make_milestone(session, campaign, title="Firmware beta", tag="beta")
    launch = make_milestone(session, campaign, title="Launch")
    with FeedServer() as server:
        server.route("/m", body=(FEEDS / "mastodon_profile.rss").read_bytes(), headers=RSS)
        channel = make_channel(session, campaign, feed_url=server.url("/m"))
        assert client.post(f"/dashboard/synth/feeds/channels/{channel.id}/poll").status_code == 303
        run_jobs(app)  # the worker polls
    tagged = session.scalars(select(Entry).where(Entry.tags.contains("beta"))).one()
    overview = client.get("/dashboard/synth/feeds/")
    assert overview.status_code == 200
    assert tagged.title in overview.get_data(as_text=True).split("Updates by milestone")[1]

    url = f"/dashboard/synth/feeds/entries/{tagged.id}/links"
    linked = client.post(url, {"milestone": str(launch.id)}, headers=HX)
    assert linked.status_code == 200
    html = linked.get_data(as_text=True)
    assert html.lstrip().startswith(f'<div id="entry-{tagged.id}-links"')
    assert "Launch" in html
    response = client.post(f"{url}/{beta.id}/delete")
    assert response.status_code == 303
    # A relink does not bring back what the founder unlinked.
    assert client.post("/dashboard/synth/feeds/relink").status_code == 303
    links = session.scalars(select(EntryMilestone).where(EntryMilestone.entry_id == tagged.id))
    state = {(link.milestone_id, link.how, link.unlinked_at is None) for link in links}
    assert state == {(beta.id, "tag", False), (launch.id, "manual", True)}


def test_channel_page_shows_engagement_in_english_and_german(app, client, session, campaign):
    with FeedServer() as server:
        body = (FEEDS / "youtube_channel.xml").read_bytes()
        server.route("/yt", body=body, headers={"Content-Type": "application/atom+xml"})
        channel = make_channel(session, campaign, feed_url=server.url("/yt"))
        assert client.post(f"/dashboard/synth/feeds/channels/{channel.id}/poll").status_code == 303
        run_jobs(app)  # the worker polls
    url = f"/dashboard/synth/feeds/channels/{channel.id}"
    english = client.get(url)
    assert english.status_code == 200
    assert "1234 views" in english.text and "56 ratings" in english.text
    german = client.get(url, headers={"Accept-Language": "de"})
    assert german.status_code == 200 and "1234 Aufrufe" in german.text


def test_ids_counts_and_dates_out_of_range_are_clear_4xx(client, session, campaign):
    channel = make_channel(session, campaign)
    entry = Entry(
        channel_id=channel.id, campaign_id=campaign.id, key="k", published_at=channel.created_at
    )
    session.add(entry)
    session.commit()
    huge = "99999999999"  # past PostgreSQL's INTEGER
    post = client.post(
        "/dashboard/synth/feeds/posts",
        {
            "post-channel": huge,
            "post-published_at": "2026-11-20T10:00",
            "post-text": "Hello",
        },
    )
    followers = client.post(
        "/dashboard/synth/feeds/followers",
        {
            "followers-channel": str(channel.id),
            "followers-count": "99999999999999999999",
            "followers-taken_at": "0001-01-01T00:00",
        },
    )
    linked = client.post(f"/dashboard/synth/feeds/entries/{entry.id}/links", {"milestone": huge})
    assert post.status_code == 422
    assert "Choose a channel of this campaign." in post.get_data(as_text=True)
    assert followers.status_code == 422
    assert "Use a whole number from 0 to 1000000000000." in followers.get_data(as_text=True)
    assert linked.status_code == 404
    assert client.post(f"/dashboard/synth/feeds/channels/{huge}/poll").status_code == 404
    assert _count(session, FollowerSnapshot) == 0 and _count(session, EntryMilestone) == 0


def test_a_follower_count_dated_year_one_is_refused(client, session, campaign):
    channel = make_channel(session, campaign)
    response = client.post(
        "/dashboard/synth/feeds/followers",
        {
            "followers-channel": str(channel.id),
            "followers-count": "10",
            "followers-taken_at": "0001-01-01T00:00",
        },
    )
    assert response.status_code == 422
    assert "must lie between 2000-01-01 and 2100-01-01" in response.get_data(as_text=True)
    assert _count(session, FollowerSnapshot) == 0


def test_a_feed_with_too_deeply_nested_html_shows_why_it_fails(app, client, session, campaign):
    with FeedServer() as server:
        server.route("/deep.rss", body=nested_rss(400_000), headers=RSS)
        channel = make_channel(session, campaign, feed_url=server.url("/deep.rss"))
        queued = client.post(f"/dashboard/synth/feeds/channels/{channel.id}/poll", headers=HX)
        assert queued.status_code == 200
        run_jobs(app)  # the worker polls
    polled = client.get(f"/dashboard/synth/feeds/channels/{channel.id}/row", headers=HX)
    page = client.get("/dashboard/synth/feeds/")
    assert polled.status_code == 200 and page.status_code == 200
    for html in (polled.get_data(as_text=True), page.get_data(as_text=True)):
        assert (
            "Last error (1 in a row): 1 entry (&#39;Deep&#39;): HTML nested deeper than 100 "
            "levels, stored as plain text"
        ) in html


@pytest.mark.campaign(timezone="Europe/Berlin")
def test_times_typed_by_hand_are_the_campaigns_local_times(client, session, campaign):
    from datetime import UTC, datetime

    channel = make_channel(session, campaign)
    page = client.get("/dashboard/synth/feeds/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Posted at (Europe/Berlin time)" in html
    assert "As of (Europe/Berlin time, optional)" in html
    posted = client.post(
        "/dashboard/synth/feeds/posts",
        {
            "post-channel": str(channel.id),
            "post-published_at": "2026-11-20T10:00",
            "post-text": "Beta ships Friday",
        },
    )
    assert posted.status_code == 303
    entry = session.scalars(select(Entry).where(Entry.source == "manual")).one()
    assert entry.published_at == datetime(2026, 11, 20, 9, tzinfo=UTC)
    counted = client.post(
        "/dashboard/synth/feeds/followers",
        {
            "followers-channel": str(channel.id),
            "followers-count": "340",
            "followers-taken_at": "2026-11-21T00:30",
        },
    )
    assert counted.status_code == 303
    snapshot = session.scalars(select(FollowerSnapshot)).one()
    assert snapshot.taken_at == datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
