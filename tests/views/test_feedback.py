"""The feedback inbox, trends, alerts and the private Atom feed over HTTP."""

from datetime import timedelta

import feedparser
import pytest
from sqlalchemy import select

from tests.factories import make_campaign, make_milestone, make_user
from tests.factories.feedback import comment, make_feedback_channel, post_comments
from tracker.feedback.alert_settings import feedback_settings
from tracker.models import Feedback, utcnow

HX = {"HX-Request": "true"}
ANGRY = [
    "This is a scam, I want my money back.",
    "Worst campaign I ever backed, terrible communication.",
    "Unacceptable. Where is my refund?",
    "You lied to us about the shipping date, disgusting.",
    "Awful quality, I regret backing this.",
    "Ridiculous. Nobody answers our emails.",
]


@pytest.fixture
def seeded(session, founder, campaign):
    make_milestone(session, campaign, title="Firmware beta", tag="beta")
    channel = make_feedback_channel(session, campaign, title="Mastodon")
    now = utcnow()
    post_comments(
        session,
        channel,
        [
            comment("When will the #beta go out?", at=now - timedelta(hours=5), author="@q"),
            comment("Love the new trailer, great work!", at=now - timedelta(hours=4)),
            comment("Die Box kam beschädigt an.", at=now - timedelta(hours=3), author="@de"),
        ],
        now=now,
    )
    return campaign, channel


def _ids(session, **where):
    query = select(Feedback.entry_id).order_by(Feedback.entry_id)
    for name, value in where.items():
        query = query.where(getattr(Feedback, name) == value)
    return list(session.scalars(query))


def test_inbox_filters_with_a_plain_query_string(client, session, seeded):
    campaign, _ = seeded
    page = client.get(f"/dashboard/{campaign.slug}/feedback/?language=de")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in text
    assert "Die Box kam" in text and "Love the new trailer" not in text
    assert 'rel="noopener noreferrer nofollow"' in text
    assert "Why this label:" in text and "problem keyword" in text
    everything = client.get_text(f"/dashboard/{campaign.slug}/feedback/")
    assert "Milestone: Firmware beta" in everything
    by_milestone = client.get_text(f"/dashboard/{campaign.slug}/feedback/?milestone=none")
    assert "When will the" not in by_milestone and "Die Box kam" in by_milestone
    bad_values = client.get(f"/dashboard/{campaign.slug}/feedback/?label=angry&page=x")
    assert bad_values.status_code == 200  # unknown values mean "any"


def test_inbox_filter_with_htmx_returns_only_the_list(client, seeded):
    campaign, _ = seeded
    response = client.get(f"/dashboard/{campaign.slug}/feedback/?category=question", headers=HX)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "<html" not in text and text.lstrip().startswith('<section id="inbox-list"')
    assert "When will the" in text and "Love the new trailer" not in text
    assert "HX-Request" in response.headers["Vary"]


def test_inbox_pages_50_at_a_time_and_keeps_the_filter(client, session, seeded):
    campaign, channel = seeded
    now = utcnow()
    post_comments(
        session,
        channel,
        [comment(f"Comment number {i}", at=now - timedelta(days=1, minutes=i)) for i in range(120)],
        now=now,
    )
    first = client.get_text(f"/dashboard/{campaign.slug}/feedback/?state=new")
    assert first.count('<li id="fb-') == 50
    assert "Page 1 of 3" in first and "state=new&amp;page=2" in first
    last = client.get_text(f"/dashboard/{campaign.slug}/feedback/?state=new&page=3")
    assert last.count('<li id="fb-') == 23


def test_mark_answered_without_js_redirects_back_to_the_filter(client, session, seeded):
    campaign, _ = seeded
    (question,) = _ids(session, category="question")
    response = client.post(
        f"/dashboard/{campaign.slug}/feedback/{question}/state",
        {"state": "answered", "back": "category=question&label=bogus"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/{campaign.slug}/feedback/?category=question")
    assert _ids(session, state="answered") == [question]


def test_mark_state_with_htmx_swaps_the_item(client, session, seeded):
    campaign, _ = seeded
    (entry_id,) = _ids(session, language="de")
    response = client.post(
        f"/dashboard/{campaign.slug}/feedback/{entry_id}/state",
        {"state": "needs_reply", "back": ""},
        headers=HX,
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and text.lstrip().startswith(f'<li id="fb-{entry_id}"')
    assert "state-needs_reply" in text
    bad = client.post(f"/dashboard/{campaign.slug}/feedback/{entry_id}/state", {"state": "x"})
    assert bad.status_code == 400


def test_notes_are_saved_and_checked(client, session, seeded):
    campaign, _ = seeded
    entry_id = _ids(session)[0]
    url = f"/dashboard/{campaign.slug}/feedback/{entry_id}/note"
    assert client.post(url, {"note": "Call them back"}).status_code == 303
    assert "Call them back" in client.get_text(f"/dashboard/{campaign.slug}/feedback/")
    too_long = client.post(url, {"note": "x" * 5001}, headers=HX)
    assert too_long.status_code == 422 and "5000" in too_long.text
    assert client.post(url, {"note": "x" * 5001}).status_code == 422
    session.expire_all()
    assert session.get(Feedback, entry_id).note == "Call them back"


def test_other_founders_get_404_everywhere(client, session, seeded):
    campaign, _ = seeded
    entry_id = _ids(session)[0]
    stranger = make_user(session)
    own = make_campaign(session, owner=stranger)
    client.logout()
    client.login(stranger.email)
    base = f"/dashboard/{campaign.slug}/feedback"
    for url in (f"{base}/", f"{base}/insights", f"{base}/alerts", f"{base}/charts/labels.svg"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{base}/{entry_id}/state", {"state": "ignored"}).status_code == 404
    assert client.post(f"{base}/{entry_id}/note", {"note": "x"}).status_code == 404
    # Their own slug does not open someone else's entry either.
    other = f"/dashboard/{own.slug}/feedback/{entry_id}/state"
    assert client.post(other, {"state": "ignored"}).status_code == 404
    assert client.post(f"{base}/alerts/token").status_code == 404


def test_notes_and_private_states_never_reach_public_routes(client, session, seeded):
    campaign, _ = seeded
    entry_id = _ids(session, language="de")[0]
    base = f"/dashboard/{campaign.slug}/feedback"
    assert client.post(f"{base}/{entry_id}/note", {"note": "SECRET-NOTE"}).status_code == 303
    assert client.post(f"{base}/{entry_id}/state", {"state": "ignored"}).status_code == 303
    assert client.post(f"{base}/alerts/token").status_code == 303
    session.expire_all()
    saved = session.get(Feedback, entry_id)
    assert (saved.note, saved.state) == ("SECRET-NOTE", "ignored")  # there is a secret to keep
    token = feedback_settings(session, campaign).alert_token
    assert client.post("/auth/logout").status_code == 303
    for url in ("/", f"/c/{campaign.slug}", f"{base}/alerts/{token}.atom"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "SECRET-NOTE" not in response.text and "ignored" not in response.text, url
    inbox = client.get(f"{base}/")
    assert inbox.status_code == 302 and "SECRET-NOTE" not in inbox.text
    assert inbox.headers["Location"].startswith("/auth/login?next=")


def test_trends_page_and_charts(client, seeded):
    campaign, _ = seeded
    page = client.get(f"/dashboard/{campaign.slug}/feedback/insights?days=7")
    assert page.status_code == 200
    assert "Top voices" in page.text and "Mastodon" in page.text
    for name in ("sentiment", "labels", "voice"):
        chart = client.get_checked(f"/dashboard/{campaign.slug}/feedback/charts/{name}.svg?days=30")
        assert chart.mimetype == "image/svg+xml" and "<svg" in chart.text
        assert "<script" not in chart.text
        assert chart.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_alert_banner_page_and_atom_feed(client, session, seeded):
    campaign, channel = seeded
    dashboard = f"/dashboard/{campaign.slug}/"
    assert "Storm warning" not in client.get_text(dashboard)
    assert "Feedback" in client.get_text(dashboard)
    now = utcnow()
    post_comments(
        session,
        channel,
        [
            comment(t, at=now - timedelta(minutes=10 + i), author=f"@a{i}")
            for i, t in enumerate(ANGRY)
        ],
        now=now,
    )
    assert "Storm warning" in client.get_text(dashboard)
    assert "Storm warning" in client.get_text(f"/dashboard/{campaign.slug}/feedback/")
    alerts = client.get_text(f"/dashboard/{campaign.slug}/feedback/alerts")
    assert "Worst campaign I ever backed" in alerts and "Create the secret address" in alerts

    assert client.post(f"/dashboard/{campaign.slug}/feedback/alerts/token").status_code == 303
    token = feedback_settings(session, campaign).alert_token
    client.logout()
    url = f"/dashboard/{campaign.slug}/feedback/alerts/{token}.atom"
    response = client.get_checked(url)
    assert response.mimetype == "application/atom+xml"
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    (entry,) = parsed.entries
    assert entry.title.startswith("Spike of negative feedback")
    assert "Worst campaign I ever backed" in entry.content[0].value
    assert client.get(url.replace(token, token[:-2] + "xx")).status_code == 404
    assert client.get(f"/dashboard/no-such/feedback/alerts/{token}.atom").status_code == 404


def test_regenerating_the_token_retires_the_old_address(client, session, seeded):
    campaign, _ = seeded
    base = f"/dashboard/{campaign.slug}/feedback/alerts"
    assert client.post(f"{base}/token").status_code == 303
    old = feedback_settings(session, campaign).alert_token
    assert client.get(f"{base}/{old}.atom").status_code == 200
    assert client.post(f"{base}/token").status_code == 303
    session.expire_all()
    new = feedback_settings(session, campaign).alert_token
    assert new != old
    assert client.get(f"{base}/{old}.atom").status_code == 404
    feed = feedparser.parse(client.get_checked(f"{base}/{new}.atom").data)
    assert feed.entries == [] and not feed.bozo


def test_alert_settings_form(client, session, seeded):
    campaign, _ = seeded
    url = f"/dashboard/{campaign.slug}/feedback/alerts/settings"
    bad = client.post(
        url, {"negative_share": "150", "share_min_volume": "0", "spike_min_count": "5"}
    )
    assert bad.status_code == 422
    ok = client.post(url, {"negative_share": "40", "share_min_volume": "3", "spike_min_count": "2"})
    assert ok.status_code == 303
    session.expire_all()
    settings = feedback_settings(session, campaign)
    assert (settings.negative_share, settings.share_min_volume) == (0.4, 3)
