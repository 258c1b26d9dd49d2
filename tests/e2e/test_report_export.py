"""A founder exports the month's report in the browser, with htmx and without JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import log_in, open_page
from tests.factories import make_user
from tests.factories.reports import make_report_campaign

pytestmark = pytest.mark.e2e


def _choose_november(page, base, slug):
    open_page(page, f"{base}/dashboard/{slug}/reports/")
    page.get_by_label("Month", exact=True).fill("2026-11")
    page.get_by_role("button", name="Show the period").click()
    expect(page.locator("#period-amount")).to_have_text("€1,250.00")


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_export_downloads_the_pdf(app, browser, live_server, session, javascript):
    founder = make_user(session)
    campaign = make_report_campaign(session, owner=founder)
    context = browser.new_context(java_script_enabled=javascript, accept_downloads=True)
    page = context.new_page()
    log_in(page, live_server, founder.email)
    _choose_november(page, live_server, campaign.slug)
    page.get_by_label("A note from the team (Markdown)").fill("Thank you!")
    if javascript:  # htmx shows the indicator while rendering, then hands over a link
        page.get_by_role("button", name="Export PDF").click()
        # The render may take up to the app's own limit on a busy machine; no longer.
        limit_ms = (app.config["REPORT_TIMEOUT_SECONDS"] + 5) * 1000
        expect(page.locator("#export-status")).to_contain_text(
            "Your PDF is ready", timeout=limit_ms
        )
        expect(page.locator("#export-progress")).to_be_hidden()
        with page.expect_download() as info:
            page.get_by_role("link", name="Download the PDF").click()
    else:  # the plain form POST answers with the PDF itself
        with page.expect_download() as info:
            page.get_by_role("button", name="Export PDF").click()
    download = info.value
    assert download.suggested_filename == f"{campaign.slug}-report-2026-11-01-2026-11-30.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    context.close()
