"""An ended campaign says when it ended, never "Days left 0"; a stretch goal the total has
not unlocked is never "late" (public page, dashboard, JSON, badge)."""

import json
import re
from datetime import timedelta

import pytest
from flask import render_template_string

from tests.factories import make_campaign, make_milestone
from tests.factories.reports import import_csv
from tracker.models import utcnow

TODAY = utcnow().date()
ENDED = TODAY - timedelta(days=12)
pytestmark = pytest.mark.usefixtures("founder")


def _day(app, day, language="en") -> str:
    """Format day as the pages do: the app's one date format, in the page's language."""
    with app.test_request_context(headers={"Accept-Language": language}):
        return render_template_string("{{ day | dateformat }}", day=day)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _roadmap(page: str) -> str:
    """Return the text of the roadmap: the public one, or the founder's list."""
    start = page.index('id="roadmap')
    return _text(page[start : page.index("</ol>", start)])


def _pledge(session, campaign, day, amount="150.00"):
    """Import one collected EUR pledge: pages show the time left beside the figures."""
    import_csv(
        session,
        campaign,
        "external_id,amount,currency,pledged_at,tier,status\n"
        f"{campaign.slug}-1,{amount},EUR,{day.isoformat()}T10:00:00Z,Kit,collected\n",
    )


def _ended(session, founder, **values):
    campaign = make_campaign(
        session,
        owner=founder,
        slug="ended",
        starts_on=ENDED - timedelta(days=30),
        ends_on=ENDED,
        **values,
    )
    _pledge(session, campaign, ENDED)
    return campaign


def test_an_ended_campaign_says_when_it_ended(app, client, session, founder):
    _ended(session, founder)
    for url in ("/c/ended", "/dashboard/ended/funding/"):
        text = _text(client.get_text(url))
        assert "Days left" not in text, url
        assert f"Ended on {_day(app, ENDED)}" in text, url
    german = _text(client.get_text("/c/ended", headers={"Accept-Language": "de"}))
    assert f"Beendet am {_day(app, ENDED, 'de')}" in german


def test_json_and_badge_say_an_ended_campaign_ended(client, session, founder):
    _ended(session, founder)
    data = json.loads(client.get_text("/api/campaigns/ended.json"))
    assert (data["ended"], data["days_left"], data["ends_on"]) == (True, 0, ENDED.isoformat())
    badge = client.get_text("/c/ended/badge.svg")
    assert f"ended {ENDED:%b} {ENDED.day}, {ENDED.year}" in badge


def test_a_running_campaign_counts_its_days_and_its_last_day(client, session, founder):
    running = make_campaign(
        session, owner=founder, slug="running", starts_on=TODAY - timedelta(days=3)
    )
    _pledge(session, running, TODAY)
    assert "Days left" in _text(client.get_text("/c/running"))
    data = json.loads(client.get_text("/api/campaigns/running.json"))
    assert data["ended"] is False
    last = make_campaign(
        session, owner=founder, slug="last", starts_on=TODAY - timedelta(days=3), ends_on=TODAY
    )
    _pledge(session, last, TODAY)
    for url in ("/c/last", "/dashboard/last/funding/"):
        text = _text(client.get_text(url))
        assert "Last day" in text and "Days left" not in text, url


def test_a_stretch_goal_not_unlocked_is_never_late(client, session, founder):
    campaign = _ended(session, founder, goal_minor=10_000)
    due = TODAY - timedelta(days=5)
    make_milestone(session, campaign, title="Metal case", due_on=due, threshold_minor=500_000)
    make_milestone(session, campaign, title="Manual", due_on=due)
    for url in ("/c/ended", "/dashboard/ended/"):
        text = _roadmap(client.get_text(url))
        stretch = text[text.index("Metal case") : text.index("Manual")]
        assert "late" not in stretch and "not unlocked" in stretch, url
        manual = text[text.index("Manual") :][:200]
        assert "5 days late" in manual, url
    data = json.loads(client.get_text("/api/campaigns/ended.json"))
    milestones = {m["title"]: m for m in data["milestones"]}
    assert (milestones["Metal case"]["days_late"], milestones["Metal case"]["unlocked"]) == (
        0,
        False,
    )
    assert (milestones["Manual"]["days_late"], milestones["Manual"]["unlocked"]) == (5, None)


def test_an_unlocked_stretch_goal_can_be_late(client, session, founder):
    campaign = _ended(session, founder, goal_minor=10_000)
    due = TODAY - timedelta(days=5)
    make_milestone(session, campaign, title="Metal case", due_on=due, threshold_minor=10_000)
    text = _roadmap(client.get_text("/c/ended"))
    assert "5 days late" in text[text.index("Metal case") :][:400]
    data = json.loads(client.get_text("/api/campaigns/ended.json"))
    assert data["milestones"][0]["unlocked"] is True


def test_cli_summary_says_when_the_campaign_ended(cli, session, founder):
    _ended(session, founder)
    result = cli("pledges", "summary", "ended")
    assert result.exit_code == 0, result.output
    assert f"ended {ENDED.isoformat()}" in result.output and "days left" not in result.output
    data = json.loads(cli("pledges", "summary", "ended", "--json").output)
    assert (data["ended"], data["ends_on"], data["days_left"]) == (True, ENDED.isoformat(), 0)
