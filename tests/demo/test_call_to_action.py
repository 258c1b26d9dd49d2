"""The demo shows what a real campaign page leads with: the way to back the project."""

from datetime import UTC, datetime

from tracker.demo.loader import load_demo
from tracker.models import Campaign


def test_the_demo_campaign_can_be_backed_on_its_platform(session):
    result = load_demo(session, today=datetime.now(UTC).date())
    campaign = session.query(Campaign).filter_by(slug=result.slug).one()
    assert campaign.platform == "kickstarter"
    assert campaign.platform_url.startswith("https://www.kickstarter.com/projects/")
