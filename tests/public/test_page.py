"""The public progress page and what hangs off it: figures, timeline, Atom, badge, JSON."""

import re
from dataclasses import replace
from datetime import date, datetime, timedelta

import feedparser
import pytest

from tests.factories import make_campaign, make_milestone, make_user
from tests.factories.feedback import comment, make_feedback_channel, post_comments
from tests.factories.feeds import make_channel
from tests.factories.pledges import import_file
from tracker.campaigns.milestones import change_milestone
from tracker.feedback.replies import get_feedback, set_note, set_state
from tracker.feeds.store import store_entries
from tracker.models import Actor, Entry, utcnow

PUBLIC_ROUTES = (
    "/c/{slug}",
    "/c/{slug}/timeline",
    "/c/{slug}/feed.atom",
    "/c/{slug}/badge.svg",
    "/api/campaigns/{slug}.json",
    "/c/{slug}/funding.svg",
    "/",
    "/sitemap.xml",
)
# A campaign running today: 20 days in, 10 to go.
TODAY = utcnow().date()
pytestmark = pytest.mark.campaign(
    goal_minor=200_000, starts_on=TODAY - timedelta(days=20), ends_on=TODAY + timedelta(days=10)
)


def _updates(session, campaign, *titles, start=None):
    channel = make_channel(session, campaign)
    start = start or utcnow() - timedelta(hours=1)
    entries = [
        comment(title, at=start - timedelta(days=i), author="Founder")
        for i, title in enumerate(titles)
    ]
    store_entries(session, channel, entries, now=utcnow())
    session.commit()
    return channel


def test_page_shows_the_figures_of_the_analytics(client, session, campaign):
    import_file(session, campaign, "ledger/kickstarter_v2.csv")
    make_milestone(session, campaign, title="Second oscillator", threshold_minor=100_000)
    page = client.get_text("/c/synth")
    assert "€1,359.00" in page  # net pledged
    assert "<dd>67%</dd>" in page  # of a €2,000 goal: 67.95 %, rounded down
    assert ">4<" in page  # backers
    assert "Second oscillator: €1,000.00 — reached" in " ".join(page.split())
    assert 'class="fill"' in page and 'class="marker within reached"' in page


def test_badge_and_json_match_the_analytics(client, session, campaign):
    import_file(session, campaign, "ledger/kickstarter_v2.csv")
    badge = client.get_checked("/c/synth/badge.svg")
    assert badge.mimetype == "image/svg+xml"
    assert "67% · €1,359.00" in badge.get_data(as_text=True)
    assert badge.headers["Cache-Control"].startswith("public")
    data = client.get_checked("/api/campaigns/synth.json")
    assert data.headers["Access-Control-Allow-Origin"] == "*"
    summary = data.get_json()
    assert (summary["pledged_minor"], summary["backers"], summary["goal_minor"]) == (
        135_900,
        4,
        200_000,
    )
    assert summary["percent_of_goal"] == 67.95


@pytest.mark.parametrize(
    "route",
    [
        "/c/synth",
        "/c/synth/feed.atom",
        "/c/synth/badge.svg",
        "/api/campaigns/synth.json",
        "/c/synth/card.png",
    ],
)
def test_repeat_request_gets_304_until_something_changes(client, session, campaign, route):
    first = client.get(route)
    assert first.status_code == 200 and first.headers["ETag"]
    again = client.get(route, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    import_file(session, campaign, "ledger/kickstarter_v1.csv")
    changed = client.get(route, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200


def test_atom_feed_parses_and_links_from_the_page(client, session, campaign):
    milestone = make_milestone(session, campaign, title="Beta", tag="beta")
    _updates(session, campaign, "Devlog 3: the #beta is out", "Devlog 2", "Devlog 1")
    change_milestone(session, milestone, status="done", actor=Actor(label="test"))
    session.commit()
    response = client.get_checked("/c/synth/feed.atom")
    assert response.mimetype == "application/atom+xml"
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    titles = [entry.title for entry in parsed.entries]
    assert titles[0] == "“Beta” is now Done"
    assert {"Devlog 3: the #beta is out", "Devlog 2", "Devlog 1"} <= set(titles)
    assert all(entry.id and entry.updated for entry in parsed.entries)
    assert parsed.feed.title == campaign.title
    assert any(link.rel == "self" for link in parsed.feed.links)
    page = client.get_text("/c/synth")
    assert 'rel="alternate" type="application/atom+xml"' in page


def test_sharing_tags_and_card(client, session, campaign):
    page = client.get_text("/c/synth")
    for tag in (
        'property="og:title"',
        'property="og:image"',
        'name="twitter:card"',
        'rel="canonical"',
        "application/ld+json",
    ):
        assert tag in page
    card = client.get_checked("/c/synth/card.png")
    assert card.mimetype == "image/png" and card.data.startswith(b"\x89PNG")


def test_timeline_pages_and_filters_with_and_without_htmx(client, session, campaign):
    milestone = make_milestone(session, campaign, title="Beta", tag="beta")
    titles = [f"Devlog {n}" + (" #beta" if n % 5 == 0 else "") for n in range(30, 0, -1)]
    _updates(session, campaign, *titles)
    page = client.get_text("/c/synth")
    assert "Devlog 30 #beta" in page and "Devlog 5 #beta" not in page
    more = page.split('<li class="more">', 1)[1].split('href="', 1)[1].split('"', 1)[0]
    text = client.get_text(more.replace("&amp;", "&"), headers={"HX-Request": "true"})
    assert "<html" not in text and text.lstrip().startswith("<li")
    # The page shows the newest five; the next page the twenty after them.
    assert "Devlog 10 #beta" in text and "Devlog 30" not in text and "Devlog 5 #" not in text
    plain = client.get_text(more.replace("&amp;", "&"))
    assert "<html" in plain and "Devlog 10 #beta" in plain
    filtered = client.get_text(f"/c/synth/timeline?milestone={milestone.id}")
    assert "Devlog 30 #beta" in filtered and "Devlog 29" not in filtered


def test_the_timeline_filter_answers_404_for_every_milestone_it_does_not_show(
    client, session, campaign
):
    public = make_milestone(session, campaign, title="Beta", tag="beta")
    private = make_milestone(session, campaign, title="Secret", tag="secret", is_public=False)
    foreign = make_milestone(session, make_campaign(session), title="Other", tag="other")
    _updates(session, campaign, "Devlog 2 #secret", "Devlog 1 #beta")
    assert client.get(f"/c/synth/timeline?milestone={public.id}").status_code == 200
    everything = client.get("/c/synth/timeline?milestone=")  # the "All milestones" choice
    assert everything.status_code == 200
    assert "Devlog 2" in everything.get_data(as_text=True)
    for value in (private.id, foreign.id, 0, -1, "abc", "1e3", "\u0663", 2**31, "9" * 30):
        response = client.get("/c/synth/timeline", query_string={"milestone": value})
        assert response.status_code == 404, value


def test_last_update_days_ago(client, session, campaign):
    assert "No update posted yet." in client.get_text("/c/synth")
    _updates(session, campaign, "Old news", start=utcnow() - timedelta(days=9))
    assert "Last update 9 days ago." in client.get_text("/c/synth")


def test_no_private_data_on_any_public_route(client, session, campaign):
    owner_draft = make_campaign(session, slug="secret-draft", title="Draft Kraken", is_public=False)
    make_milestone(session, owner_draft, title="Kraken milestone")
    make_milestone(
        session, campaign, title="Hidden supplier deal", is_public=False, threshold_minor=150_000
    )
    import_file(session, campaign, "ledger/kickstarter_v2.csv")  # names, emails, addresses
    channel = make_feedback_channel(session, campaign)
    now = utcnow()
    post_comments(
        session,
        channel,
        [
            comment("When does the beta ship?", at=now - timedelta(hours=3)),
            comment("Unanswered worry about pricing?", at=now - timedelta(hours=2)),
        ],
        now=now,
    )
    entries = {e.summary_text: e.id for e in session.query(Entry).all()}
    answered = get_feedback(session, campaign, entries["When does the beta ship?"])
    set_state(session, answered, "answered")
    set_note(session, answered, "PRIVATE NOTE: refund Quinn quietly")
    waiting = get_feedback(session, campaign, entries["Unanswered worry about pricing?"])
    set_state(session, waiting, "needs_reply")
    session.commit()
    secrets = (
        "Hidden supplier deal",
        "PRIVATE NOTE",
        "Draft Kraken",
        "Kraken milestone",
        "Quinn",
        "quinn.quartz@example.com",
        "Musterweg",
        "+49 30",
        "Unanswered worry",
        "needs_reply",
        "secret-draft",
    )
    anonymous = client.raw.application.test_client()
    for route in PUBLIC_ROUTES:
        response = anonymous.get(route.format(slug="synth"))
        assert response.status_code == 200, route
        body = response.get_data(as_text=True)
        found = [secret for secret in secrets if secret in body]
        assert found == [], route
    page = anonymous.get("/c/synth")
    assert page.status_code == 200
    assert "When does the beta ship?" in page.get_data(as_text=True)
    assert anonymous.get("/c/secret-draft").status_code == 404
    for route in PUBLIC_ROUTES[1:6]:
        assert anonymous.get(route.format(slug="secret-draft")).status_code == 404, route


def test_draft_shows_to_its_team_only(client, session):
    owner = make_user(session)
    make_campaign(session, owner=owner, slug="draft", is_public=False)
    assert client.get("/c/draft/feed.atom").status_code == 404
    client.login(owner.email)
    assert client.get("/c/draft/feed.atom").status_code == 200
    page = client.get("/c/draft")
    assert page.status_code == 200 and page.headers["Cache-Control"].startswith("private")


def test_timeline_cursor_is_checked(client, campaign):
    assert client.get("/c/synth/timeline?before=yesterday").status_code == 400
    assert client.get("/c/synth/timeline?before=2026-01-01T00:00:00").status_code == 400
    assert client.get("/c/synth/timeline?before=2026-01-01T00:00:00~2~7").status_code == 200


def test_published_reports_join_the_timeline_and_the_feed(client, session, campaign):
    from tracker.reports.periods import Period
    from tracker.reports.publishing import publish_report

    period = Period(kind="month", start=date(2026, 11, 1), end=date(2026, 11, 30))
    publish_report(
        session,
        campaign,
        pdf=b"%PDF-1.7 tiny",
        pages=1,
        period=period,
        language="en",
        title="Progress report, November 2026",
        actor=Actor(label="test"),
    )
    session.commit()
    page = client.get_text("/c/synth")
    assert "Progress report, November 2026" in page
    assert "/c/synth/reports/1.pdf" in page
    parsed = feedparser.parse(client.get_checked("/c/synth/feed.atom").data)
    report = next(e for e in parsed.entries if e.title == "Progress report, November 2026")
    assert report.link.endswith("/c/synth/reports/1.pdf")
    assert client.get_checked("/c/synth/reports/1.pdf").data == b"%PDF-1.7 tiny"


ATOM = "{http://www.w3.org/2005/Atom}"


def test_atom_feed_follows_rfc_4287(client, session, campaign):
    from lxml import etree

    _updates(session, campaign, "Devlog <b>1</b> & more")
    root = etree.fromstring(client.get_checked("/c/synth/feed.atom").data)
    assert root.tag == f"{ATOM}feed"

    def one(parent, name):
        found = parent.findall(f"{ATOM}{name}")
        assert len(found) == 1, name
        return found[0]

    for name in ("id", "title", "updated"):
        one(root, name)
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    links = {
        link.get("rel", "alternate"): link.get("href")
        for link in root.iter(f"{ATOM}link")
        if link.getparent() is root
    }
    assert links["self"].endswith("/c/synth/feed.atom")
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            one(entry, name)
        assert datetime.fromisoformat(one(entry, "updated").text).tzinfo is not None
        assert entry.find(f"{ATOM}link").get("href").startswith("http")
    titles = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
    assert "Devlog <b>1</b> & more" in titles  # text, escaped by the XML, not markup


def test_public_sentiment_chart(client, session, campaign):
    channel = make_feedback_channel(session, campaign)
    post_comments(session, channel, [comment("Love it, great work!", at=utcnow())], now=utcnow())
    page = client.get_text("/c/synth")
    assert 'id="public-mood-wide-desc">1 comment from' in page  # the chart, inline
    chart = client.get_checked("/c/synth/sentiment.svg")
    assert chart.mimetype == "image/svg+xml" and "<script" not in chart.get_data(as_text=True)


def test_items_sharing_one_moment_are_each_shown_once_across_pages(client, session, campaign):
    # A feed without dates stores a whole batch at the moment it was first seen.
    channel = make_channel(session, campaign)
    moment = utcnow() - timedelta(hours=2)
    store_entries(
        session,
        channel,
        [comment(f"Undated post {n}", at=moment, author="Team") for n in range(45)],
        now=utcnow(),
    )
    session.commit()
    seen, url = [], "/c/synth/timeline"
    while url:
        page = client.get_text(url, headers={"HX-Request": "true"})
        seen += set(re.findall(r"Undated post (\d+)", page))  # title and summary name it
        more = re.search(r'<li class="more">\s*<a href="([^"]+)"', page)
        url = more.group(1).replace("&amp;", "&") if more else None
    assert sorted(map(int, seen)) == list(range(45))


def test_public_outputs_show_no_image_from_another_host(client, session):
    today = utcnow().date()
    campaign = make_campaign(
        session,
        slug="pics",
        description_md="![diagram](https://cdn.example/d.png)",
        starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=30),
    )
    make_milestone(
        session, campaign, title="Beta", description_md="![m](https://cdn.example/m.png)"
    )
    update = comment("Shipped", at=utcnow() - timedelta(hours=1), author="Founder")
    body = '<p>Look <img src="https://cdn.example/u.png" alt="the board"></p>'
    pixel = '<img src="https://track.example/p.gif" width="1" height="1">'
    store_entries(
        session,
        make_channel(session, campaign),
        [replace(update, content_html=body + pixel)],
        now=utcnow(),
    )
    session.commit()
    page = client.get("/c/pics")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<img" not in text.split("<main", 1)[1].replace('<img class="chart"', "")
    assert 'href="https://cdn.example/d.png"' in text and 'href="https://cdn.example/m.png"' in text
    directives = dict(d.split(" ", 1) for d in page.headers["Content-Security-Policy"].split("; "))
    assert directives["img-src"] == "'self' data:"
    assert directives["script-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    timeline = client.get("/c/pics/timeline")
    assert timeline.status_code == 200
    assert timeline.headers["Content-Security-Policy"] == page.headers["Content-Security-Policy"]
    feed = client.get("/c/pics/feed.atom")
    assert feed.status_code == 200
    (entry,) = feedparser.parse(feed.data).entries
    assert "<img" not in entry.content[0].value and "track.example" not in entry.content[0].value
    assert '<a href="https://cdn.example/u.png"' in entry.content[0].value
    assert "the board</a>" in entry.content[0].value
