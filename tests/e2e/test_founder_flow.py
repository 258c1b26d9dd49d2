"""A founder registers, creates a campaign, adds a milestone, changes its status inline and
sees it on the public page; then the same flow with JavaScript switched off."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import open_page

pytestmark = pytest.mark.e2e


def _register_and_create(page, base, email, slug):
    open_page(page, f"{base}/auth/register")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_label("Repeat password").fill("correct horse battery")
    page.get_by_role("button", name="Register").click()
    expect(page).to_have_url(f"{base}/dashboard/")
    page.get_by_role("link", name="New campaign").click()
    page.get_by_label("Title").fill("Lumen Deck")
    page.get_by_label("Address (slug)").fill(slug)
    page.get_by_label("Funding goal").fill("48000")
    page.get_by_label("Currency (ISO 4217, e.g. EUR)").fill("EUR")
    page.get_by_label("Start date").fill("2026-11-01")
    page.get_by_label("End date").fill("2026-12-15")
    page.get_by_label("Public (backers can see it)").check()
    page.get_by_role("button", name="Create campaign").click()
    expect(page).to_have_url(f"{base}/dashboard/{slug}/")


def _add_milestone(page, title):
    form = page.locator("#new-milestone")
    form.get_by_label("Title").fill(title)
    form.get_by_label("Planned date").fill("2027-02-01")
    form.get_by_label("Tag (e.g. beta, for #beta)").fill("beta")
    form.get_by_role("button", name="Add milestone").click()


def test_founder_flow_with_htmx(page, live_server):
    _register_and_create(page, live_server, "ada@example.com", "lumen-deck")
    page.evaluate("window.__samePage = true")
    _add_milestone(page, "Firmware beta")
    row = page.locator("#roadmap li.milestone", has_text="Firmware beta")
    expect(row).to_be_visible()
    # The form was emptied for the next milestone, and the page never reloaded.
    expect(page.locator("#new-milestone").get_by_label("Title")).to_have_value("")
    row.get_by_label("Status of Firmware beta").select_option("done")
    row.get_by_role("button", name="Set status").click()
    expect(page.locator("#roadmap li.milestone.status-done")).to_have_count(1)
    assert page.evaluate("window.__samePage") is True

    open_page(page, f"{live_server}/c/lumen-deck")
    public_row = page.locator("li.milestone", has_text="Firmware beta")
    expect(public_row).to_contain_text("Done")
    expect(public_row).to_contain_text(re.compile(r"planned .*2027"))


def test_inline_form_errors_stay_in_the_form(page, live_server):
    _register_and_create(page, live_server, "eve@example.com", "synth")
    form = page.locator("#new-milestone")
    form.get_by_role("button", name="Add milestone").click()
    expect(page.locator("#new-milestone #title-error")).to_have_text("This field is required.")
    expect(page.locator("#roadmap")).to_contain_text("No milestones yet.")


def test_founder_flow_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _register_and_create(page, live_server, "grace@example.com", "no-js")
    _add_milestone(page, "Plain beta")
    expect(page).to_have_url(f"{live_server}/dashboard/no-js/")
    row = page.locator("#roadmap li.milestone", has_text="Plain beta")
    row.get_by_label("Status of Plain beta").select_option("in_progress")
    row.get_by_role("button", name="Set status").click()
    expect(page.locator("#roadmap li.milestone.status-in_progress")).to_have_count(1)
    open_page(page, f"{live_server}/c/no-js")
    expect(page.locator("li.milestone", has_text="Plain beta")).to_contain_text("In progress")
    context.close()
