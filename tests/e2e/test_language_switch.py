"""The language switch works without JavaScript and is remembered; the CSP leaves the public
page (and its JSON-LD data block) alone."""

import json
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import open_page
from tests.showcase import seed_showcase

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]


def test_switch_without_javascript_is_remembered(browser, live_server, session):
    seed_showcase(session)
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    page = context.new_page()
    open_page(page, f"{live_server}/c/lumen-deck")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Deutsch").click()
    expect(page).to_have_url(f"{live_server}/c/lumen-deck")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("li.milestone", has_text="Prototype")).to_contain_text("Erledigt")
    open_page(page, f"{live_server}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kampagnen, die öffentlich entstehen")
    (cookie,) = [c for c in context.cookies() if c["name"] == "lang"]
    assert (cookie["value"], cookie["httpOnly"], cookie["sameSite"]) == ("de", True, "Lax")
    assert cookie["expires"] - time.time() > 360 * 86400
    nav = page.get_by_role("navigation", name="Sprache")
    expect(nav.get_by_role("link", name="Deutsch")).to_have_attribute("aria-current", "true")
    context.close()


def test_public_page_raises_no_csp_violation_and_its_json_ld_parses(page, live_server, session):
    seed_showcase(session)
    problems = []
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    open_page(page, f"{live_server}/c/lumen-deck")
    page.wait_for_load_state("load")
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["name"] == "Lumen Deck"
    assert page.evaluate("typeof htmx") == "object"  # our own script still runs under the CSP
    assert not [p for p in problems if "Content Security Policy" in p], problems
