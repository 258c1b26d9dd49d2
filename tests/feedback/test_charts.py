"""Feedback charts: comments and mood on one time axis, and a text alternative with the key
figures on every chart, in the SVG (<title>, <desc>) and on the page (<figcaption>)."""

import re
from datetime import date, timedelta
from xml.etree import ElementTree

import pytest

from tests.factories import make_campaign, make_user
from tests.factories.feedback import comment, make_feedback_channel, post_comments
from tracker.charts.svg import ChartText
from tracker.feedback.charts import fill_days, mood_chart_svg, voice_chart_svg
from tracker.feedback.stats import ChannelVolume, DailySentiment
from tracker.models import utcnow

SVG = "{http://www.w3.org/2000/svg}"
# Month names or ISO dates: the x labels of any chart, ours or pygal's.
DATE_LABEL = re.compile(r"\d{4}-\d\d-\d\d|\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")


def _parse(svg):
    return ElementTree.fromstring(svg)  # noqa: S314 (our own output)


def _date_labels(root):
    return [
        (el.get("x"), el.text)
        for el in root.iter()
        if el.tag.rpartition("}")[2] == "text" and el.text and DATE_LABEL.search(el.text)
    ]


@pytest.fixture
def commented(client, session):
    """A campaign whose comments fall on three days of the last thirty, its owner signed in."""
    owner = make_user(session)
    campaign = make_campaign(session, owner=owner, slug="moods")
    channel = make_feedback_channel(session, campaign)
    now = utcnow()
    texts = {2: ["Love it, great work!", "Amazing sound"], 9: ["Shipping is late again, bad"]}
    texts[20] = ["When will it ship?", "Great update, thanks", "Terrible support, angry"]
    entries = [
        comment(text, at=now - timedelta(days=ago, hours=n), author=f"@a{n}@x.example")
        for ago, batch in texts.items()
        for n, text in enumerate(batch)
    ]
    post_comments(session, channel, entries, now=now)
    assert client.login(owner.email).status_code == 303
    return campaign


def test_the_sentiment_and_comment_charts_share_one_time_axis(client, commented):
    base = "/dashboard/moods/feedback/charts"
    sentiment = client.get(f"{base}/sentiment.svg?days=30")
    labels = client.get(f"{base}/labels.svg?days=30")
    assert (sentiment.status_code, labels.status_code) == (200, 200)
    mood_axis, comment_axis = (
        _date_labels(_parse(sentiment.data)),
        _date_labels(_parse(labels.data)),
    )
    assert mood_axis and mood_axis == comment_axis  # the same days at the same places


def test_a_day_sits_at_the_same_x_in_both_panels():
    today = date(2026, 11, 27)
    found = [
        DailySentiment(today - timedelta(days=9), 0.4, 2, 1, 0),
        DailySentiment(today - timedelta(days=2), -0.3, 0, 1, 2),
    ]
    days = fill_days(found, first=today - timedelta(days=29), last=today)
    root = _parse(mood_chart_svg(days, ChartText("Comments", "Key figures", "en")))
    bars = {
        round(
            float(g.find(f"{SVG}rect").get("x")) + float(g.find(f"{SVG}rect").get("width")) / 2, 1
        )
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "day"
    }
    dots = {
        round(float(c.get("cx")), 1)
        for c in root.iter(f"{SVG}circle")
        if c.get("class") == "average"
    }
    assert len(bars) == 2 and bars == dots
    # The axis spans the whole period, not only the days that had comments.
    assert _date_labels(root)[0][1] == "Oct 29"


def test_every_feedback_chart_states_its_key_figures(client, commented):
    page = client.get("/dashboard/moods/feedback/insights?days=30")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    first, last = utcnow().date() - timedelta(days=29), utcnow().date()
    stated = re.search(r'<figcaption class="chart-caption">([^<]*)</figcaption>', html).group(1)
    assert stated.startswith(f"6 comments from {first:%b} {first.day}, {first.year} to ")
    assert f"{last:%b} {last.day}, {last.year}" in stated
    assert "Busiest day:" in stated and "Average mood:" in stated
    assert f'<desc id="mood-wide-desc">{stated}</desc>' in html
    assert "Comments per channel:" in html and 'id="voice-wide-desc"' in html


def test_the_public_page_shows_the_mood_of_the_last_30_days_with_its_figures(client, commented):
    assert client.post("/auth/logout").status_code == 303
    page = client.get("/c/moods")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="public-mood-wide-desc">6 comments from' in html
    chart = client.get("/c/moods/sentiment.svg")
    assert chart.status_code == 200
    root = _parse(chart.data)
    assert root.find(f"{SVG}desc").text.startswith("6 comments from")


def test_share_of_voice_lists_each_channel_with_count_and_share():
    volume = [ChannelVolume(1, "Mastodon", 45, 0.6), ChannelVolume(2, "Forum", 30, 0.4)]
    root = _parse(voice_chart_svg(volume, ChartText("Share of voice", "Per channel", "de")))
    texts = [el.text for el in root.iter(f"{SVG}text")]
    assert texts == ["Share of voice", "Mastodon", "45 (60\xa0%)", "Forum", "30 (40\xa0%)"]
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect") if r.get("class") == "share"]
    assert widths[0] > widths[1] > 0
