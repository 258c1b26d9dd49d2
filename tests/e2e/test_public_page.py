"""A backer reads the public page: timeline load more and filter, with htmx and without JS."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import open_page
from tests.factories import make_milestone
from tests.factories.feedback import comment
from tests.factories.feeds import make_channel
from tracker.feeds.store import store_entries
from tracker.models import utcnow

pytestmark = [pytest.mark.e2e, pytest.mark.campaign(title="Lumen Deck")]


@pytest.fixture
def timeline(session, campaign):
    """Give the campaign 30 devlog entries, every tenth tagged #beta for its milestone."""
    make_milestone(session, campaign, title="Beta", tag="beta")
    now = utcnow()
    channel = make_channel(session, campaign)
    store_entries(
        session,
        channel,
        [
            comment(
                f"Devlog {n}" + (" #beta" if n % 10 == 0 else ""),
                at=now - timedelta(days=n),
                author="Team",
            )
            for n in range(1, 31)
        ],
        now=now,
    )
    session.commit()


def test_timeline_with_htmx(page, live_server, timeline):
    open_page(page, f"{live_server}/c/synth")
    page.evaluate("window.__samePage = true")
    timeline = page.locator("#updates ol.timeline")
    expect(timeline.locator("li.event")).to_have_count(5)  # the page shows the newest
    page.get_by_role("link", name="Load more").click()
    expect(timeline.locator("li.event")).to_have_count(25)
    page.get_by_role("link", name="Load more").click()
    expect(timeline.locator("li.event")).to_have_count(30)
    expect(timeline).to_contain_text("Devlog 30")
    assert page.evaluate("window.__samePage") is True
    page.get_by_label("Filter by milestone").select_option(label="Beta")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#updates li.event")).to_have_count(3)
    expect(page).to_have_url(re.compile(r"/c/synth/timeline\?milestone=\d+$"))
    assert page.evaluate("window.__samePage") is True


def test_timeline_without_javascript(browser, live_server, timeline):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    open_page(page, f"{live_server}/c/synth")
    expect(page.get_by_role("heading", name="Updates")).to_be_visible()
    page.get_by_role("link", name="Load more").click()
    assert "/c/synth/timeline?before=" in page.url
    expect(page.locator("ol.timeline")).to_contain_text("Devlog 25")
    page.get_by_role("link", name="Load more").click()
    expect(page.locator("ol.timeline")).to_contain_text("Devlog 30")
    open_page(page, f"{live_server}/c/synth")
    page.get_by_label("Filter by milestone").select_option(label="Beta")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#updates li.event")).to_have_count(3)
    context.close()
