"""After an upload with JavaScript on, the funding figures on the same page change without
a reload: htmx swaps them in out of band with the upload's outcome (#13)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import log_in, open_page

pytestmark = pytest.mark.e2e

CSV = (
    "external_id,amount,currency,pledged_at,tier,status,country\n"
    "g-1,25.00,EUR,2026-11-03T10:00:00Z,Supporter,collected,DE\n"
    "g-2,100.00,EUR,2026-11-04T10:00:00Z,Patron,collected,FR\n"
)


def test_the_figures_change_on_the_same_page(page, live_server, owner, campaign, tmp_path):
    report = tmp_path / "pledges.csv"
    report.write_text(CSV)
    log_in(page, live_server, owner.email)
    open_page(page, f"{live_server}/dashboard/synth/funding/")
    expect(page.locator("#funding-figures")).to_contain_text("No pledge data yet")
    page.evaluate("window.__samePage = true")
    page.get_by_label("Backer report (CSV, or ZIP of CSVs)").set_input_files(report)
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#upload")).to_contain_text("2 new")
    expect(page.locator("#funding-figures .figures")).to_contain_text("€125.00")
    expect(page.locator("#funding-figures")).not_to_contain_text("No pledge data yet")
    assert page.evaluate("window.__samePage") is True
    assert page.locator("#funding-figures").count() == 1
