"""A founder publishes the month's report twice in the browser: each time a confirmation
page says what goes public; the second is version 2 and the public list says what it replaces."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import log_in, open_page
from tests.factories import make_user
from tests.factories.reports import make_report_campaign

pytestmark = pytest.mark.e2e


def _publish_november(app, page, base, slug):
    open_page(page, f"{base}/dashboard/{slug}/reports/")
    page.get_by_label("Month", exact=True).fill("2026-11")
    page.get_by_role("button", name="Show the period").click()
    expect(page.locator("#period-amount")).to_have_text("€1,250.00")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("heading", name="Publish this report?")).to_be_visible()
    notice = page.locator("main").inner_text()
    # The PDF is rendered when publishing: up to the app's own limit on a busy machine.
    limit_ms = (app.config["REPORT_TIMEOUT_SECONDS"] + 5) * 1000
    page.get_by_role("button", name="Publish now").click()
    expect(page.get_by_role("heading", name="Publish this report?")).to_have_count(
        0, timeout=limit_ms
    )
    return notice


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_publishing_asks_first_and_a_second_time_is_version_2(
    app, browser, live_server, session, javascript
):
    founder = make_user(session)
    campaign = make_report_campaign(session, owner=founder)
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    log_in(page, live_server, founder.email)
    first = _publish_november(app, page, live_server, campaign.slug)
    assert "cannot be changed or withdrawn" in first and "version 2" not in first
    second = _publish_november(app, page, live_server, campaign.slug)
    assert re.search(r"this will be version 2, replacing the one of \w+ \d+, \d{4}", second)
    open_page(page, f"{live_server}/c/{campaign.slug}/reports")
    listing = page.locator("main").inner_text()
    assert re.search(r"Version 2, replaces the one of \w+ \d+, \d{4}", listing)
    context.close()
