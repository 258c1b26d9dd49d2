"""A founder reorders the reward tiers with htmx (the list is swapped in place, the focus
stays on the moved tier's button) and without JavaScript (a redirect back to the tier)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import log_in, open_page
from tests.factories.rewards import TIERS, make_tiers

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]
TITLES = [tier["title"] for tier in TIERS]


@pytest.fixture
def tiers(session, campaign):
    return make_tiers(session, campaign)


def test_reorder_with_htmx(page, live_server, owner, tiers):
    log_in(page, live_server, owner.email)
    open_page(page, f"{live_server}/dashboard/synth/rewards/")
    rows = page.locator("#reward-tiers tbody tr td:first-child")
    expect(rows).to_have_text(TITLES)
    expect(_button(page, "Move up", "Early bird kit")).to_have_count(0)
    expect(_button(page, "Move down", "Signed case")).to_have_count(0)
    page.evaluate("window.__samePage = true")

    _button(page, "Move up", "Signed case").click()
    expect(rows).to_have_text(["Early bird kit", "Signed case", "Assembled deck"])
    expect(_button(page, "Move up", "Signed case")).to_be_focused()
    page.keyboard.press("Enter")  # the focus stayed: moving on takes one more key
    expect(rows).to_have_text(["Signed case", "Early bird kit", "Assembled deck"])
    _button(page, "Move down", "Early bird kit").click()
    expect(rows).to_have_text(["Signed case", "Assembled deck", "Early bird kit"])
    assert page.evaluate("window.__samePage") is True
    page.reload()  # what was swapped in is what is stored
    expect(rows).to_have_text(["Signed case", "Assembled deck", "Early bird kit"])


def test_reorder_without_javascript(browser, live_server, owner, tiers):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, owner.email)
    open_page(page, f"{live_server}/dashboard/synth/rewards/")
    rows = page.locator("#reward-tiers tbody tr td:first-child")
    _button(page, "Move down", "Early bird kit").click()
    expect(page).to_have_url(f"{live_server}/dashboard/synth/rewards/#tier-{_id(page, 1)}")
    expect(rows).to_have_text(["Assembled deck", "Early bird kit", "Signed case"])
    _button(page, "Move up", "Signed case").click()
    expect(rows).to_have_text(["Assembled deck", "Signed case", "Early bird kit"])
    context.close()


def _id(page, index: int) -> str:
    """Return the tier id of the row at index (from 0)."""
    return (
        page.locator("#reward-tiers tbody tr").nth(index).get_attribute("id").removeprefix("tier-")
    )


def _button(page, label: str, title: str):
    """Return the button named label and the reward's title (hidden text after the label)."""
    # Chromium spaces the visually hidden span off its label: "Move up : Signed case".
    return page.get_by_role("button", name=re.compile(rf"^{label} ?: {re.escape(title)}$"))
