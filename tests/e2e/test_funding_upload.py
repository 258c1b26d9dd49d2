"""A founder uploads a backer report in the browser, with htmx and without JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import log_in, open_page
from tests.factories.pledges import DATA

pytestmark = pytest.mark.e2e


def test_upload_with_htmx_then_bad_file_without_losing_the_page(page, live_server, owner, campaign):
    log_in(page, live_server, owner.email)
    open_page(page, f"{live_server}/dashboard/synth/funding/")
    page.evaluate("window.__samePage = true")
    page.get_by_label("Backer report (CSV, or ZIP of CSVs)").set_input_files(
        DATA / "ledger" / "kickstarter_v1.csv"
    )
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#upload")).to_contain_text("5 new, 0 updated, 0 unchanged, 0 rejected")
    page.get_by_label("Backer report (CSV, or ZIP of CSVs)").set_input_files(
        DATA / "ledger" / "kickstarter_bad.csv"
    )
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#upload")).to_contain_text("Nothing was imported: 3 bad rows")
    expect(page.locator("#upload table.bad-rows")).to_contain_text("lots of money")
    assert page.evaluate("window.__samePage") is True
    open_page(page, f"{live_server}/dashboard/synth/funding/")
    expect(page.locator(".figures")).to_contain_text("€1,359.00")


def test_upload_without_javascript(browser, live_server, owner, campaign):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, owner.email)
    open_page(page, f"{live_server}/dashboard/synth/funding/")
    page.get_by_label("Backer report (CSV, or ZIP of CSVs)").set_input_files(
        DATA / "ledger" / "kickstarter_v2.csv"
    )
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#upload")).to_contain_text("6 new")
    page.get_by_role("link", name="Back to funding").click()
    expect(page.locator(".figures")).to_contain_text("€1,359.00")
    context.close()
