"""With JavaScript on, a founder is told what each step did: registering, creating a
campaign (its slug suggested from the title), adding a milestone, adding a channel; and the
stand-alone milestone edit page saves back to the dashboard, where reordering works."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import open_page

pytestmark = pytest.mark.e2e


def test_each_step_says_it_worked(page, live_server):
    base = live_server
    _register(page, base)

    page.get_by_role("link", name="New campaign").click()
    page.get_by_label("Title").fill("Lumen Deck: a MIDI Synth!")
    expect(page.get_by_label("Address (slug)")).to_have_value("lumen-deck-a-midi-synth")
    page.get_by_label("Address (slug)").fill("lumen")
    page.get_by_label("Title").fill("Lumen Deck 2")  # a slug typed by hand stays
    expect(page.get_by_label("Address (slug)")).to_have_value("lumen")
    _create_campaign(page)
    expect(page).to_have_url(f"{base}/dashboard/lumen/")
    expect(page.locator("#flash")).to_contain_text("The campaign Lumen Deck 2 is created.")

    page.evaluate("window.__samePage = true")
    for title in ("Firmware beta", "Case tooling"):
        form = page.locator("#new-milestone")
        form.get_by_label("Title").fill(title)
        form.get_by_label("Planned date").fill("2027-02-01")
        form.get_by_role("button", name="Add milestone").click()
        expect(page.locator("#flash")).to_contain_text(f"The milestone {title} is added.")
    assert page.evaluate("window.__samePage") is True

    # The stand-alone edit page (a link opened in a new tab, a bookmark) with htmx on.
    href = (
        page.locator("#roadmap li.milestone", has_text="Case tooling")
        .get_by_role("link", name="Edit")
        .get_attribute("href")
    )
    open_page(page, f"{base}{href}")
    page.get_by_label("Title").fill("Case tooling v2")
    page.get_by_role("button", name="Save milestone").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/dashboard/lumen/#m\d+$"))
    expect(page.locator("#flash")).to_contain_text("The milestone Case tooling v2 is saved.")
    rows = page.locator("#roadmap li.milestone strong")
    expect(rows).to_have_text(["Firmware beta", "Case tooling v2"])
    page.get_by_role("button", name="Move up: Case tooling v2").click()
    expect(rows).to_have_text(["Case tooling v2", "Firmware beta"])

    open_page(page, f"{base}/dashboard/lumen/feeds/")
    page.get_by_label("Profile, page or feed").fill("https://example.com/news/feed.xml")
    page.get_by_role("button", name="Add channel").click()
    expect(page.locator("#channels")).to_contain_text("example.com/news/feed.xml")
    expect(page.locator("p.flash[role=status]")).to_have_count(1)


def test_each_step_says_it_worked_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    base = live_server
    _register(page, base)

    page.get_by_role("link", name="New campaign").click()
    page.get_by_label("Title").fill("Lumen Deck")
    page.get_by_label("Address (slug)").fill("lumen")
    _create_campaign(page)
    expect(page).to_have_url(f"{base}/dashboard/lumen/")
    expect(page.locator("#flash")).to_contain_text("The campaign Lumen Deck is created.")

    form = page.locator("#new-milestone")
    form.get_by_label("Title").fill("Firmware beta")
    form.get_by_label("Planned date").fill("2027-02-01")
    form.get_by_role("button", name="Add milestone").click()
    expect(page).to_have_url(f"{base}/dashboard/lumen/")
    expect(page.locator("#flash")).to_contain_text("The milestone Firmware beta is added.")

    open_page(page, f"{base}/dashboard/lumen/feeds/")
    page.get_by_label("Profile, page or feed").fill("https://example.com/news/feed.xml")
    page.get_by_role("button", name="Add channel").click()
    expect(page).to_have_url(f"{base}/dashboard/lumen/feeds/")
    expect(page.locator("#flash")).to_contain_text(
        "Looking for the feed of https://example.com/news/feed.xml: its row shows what is found."
    )

    open_page(page, f"{base}/dashboard/lumen/rewards/")
    page.get_by_label("Title").fill("Early bird kit")
    page.get_by_label("Price").fill("89")
    page.get_by_role("button", name="Add reward").click()
    expect(page.locator("#flash")).to_contain_text("The reward Early bird kit is added.")
    expect(page.locator("p.flash[role=status]")).to_have_count(1)
    context.close()


def _register(page, base):
    """Register a founder through the form; the dashboard says the account is ready."""
    open_page(page, f"{base}/auth/register")
    page.get_by_label("Email").fill("lin@example.com")
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_label("Repeat password").fill("correct horse battery")
    page.get_by_role("button", name="Register").click()
    expect(page).to_have_url(f"{base}/dashboard/")
    expect(page.locator("#flash")).to_contain_text("Your founder account is ready.")


def _create_campaign(page):
    """Fill in the campaign form's other fields (title and slug are filled in) and submit."""
    page.get_by_label("Funding goal").fill("48000")
    page.get_by_label("Currency (ISO 4217, e.g. EUR)").fill("EUR")
    page.get_by_label("Start date").fill("2026-11-01")
    page.get_by_label("End date").fill("2026-12-15")
    page.get_by_role("button", name="Create campaign").click()
