"""A founder adds a channel and polls it now, with htmx and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import log_in, open_page
from tests.factories.feeds import RSS, rss
from tests.feed_server import FeedServer
from tests.worker import run_jobs

pytestmark = pytest.mark.e2e
POLL_NOW = re.compile(r"^Poll now\b")


@pytest.fixture
def feeds(app):
    app.config["ALLOW_PRIVATE_FEEDS"] = True  # the fixture feeds are served from 127.0.0.1
    with FeedServer() as server:
        server.route("/devlog.rss", body=rss(("a", "Sequencer lights"), ("b", "Beta")), headers=RSS)
        yield server


def _add(page, url):
    form = page.locator("#add-channel")
    form.get_by_label("Profile, page or feed").fill(url)
    form.get_by_role("button", name="Add channel").click()


def test_add_and_poll_now_with_htmx(app, page, live_server, owner, campaign, feeds):
    log_in(page, live_server, owner.email)
    open_page(page, f"{live_server}/dashboard/synth/")
    page.get_by_role("link", name="Feeds").click()
    page.evaluate("window.__samePage = true")

    _add(page, feeds.url("/devlog.rss"))
    expect(page.locator("#channels")).to_contain_text("Looking for the feed of")
    row = page.locator("tr.channel", has_text="devlog.rss")
    expect(row).to_contain_text("Looking for the feed…")
    run_jobs(app)  # the worker finds the feed and polls it; the row asks again every 2 s
    expect(row).to_contain_text("Feed found.")
    row.get_by_role("button", name=POLL_NOW).click()
    expect(row).to_contain_text("Poll queued")
    run_jobs(app)  # the worker polls; the row asks again every 2 s and shows what it found
    expect(row).to_contain_text("Poll done.")  # before the next click: its "queued" is new
    expect(page.locator("tr.channel", has_text="Devlog").locator("td").nth(4)).to_have_text("2")

    _add(page, "mailto:someone@example.org")
    expect(page.locator("#add-channel")).to_contain_text("no feed found")
    feeds.route("/devlog.rss", status=500)
    row = page.locator("tr.channel", has_text="Devlog")
    row.get_by_role("button", name=POLL_NOW).click()
    expect(row).to_contain_text("Poll queued")
    run_jobs(app)
    expect(row).to_contain_text("Last error (1 in a row): HTTP 500")
    assert page.evaluate("window.__samePage") is True


def test_add_and_poll_now_without_javascript(app, browser, live_server, owner, campaign, feeds):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, owner.email)
    open_page(page, f"{live_server}/dashboard/synth/feeds/")
    _add(page, feeds.url("/devlog.rss"))
    expect(page).to_have_url(f"{live_server}/dashboard/synth/feeds/")
    expect(page.locator("tr.channel")).to_contain_text("Looking for the feed…")
    run_jobs(app)  # the worker finds the feed; a reload shows it
    page.reload()
    page.locator("tr.channel").get_by_role("button", name=POLL_NOW).click()
    expect(page.locator("tr.channel")).to_contain_text("Poll queued")
    run_jobs(app)  # the worker polls; a reload shows what it found
    page.reload()
    expect(page.locator("tr.channel").locator("td").nth(4)).to_have_text("2")
    page.get_by_role("link", name="Devlog").click()
    expect(page.locator("li.entry")).to_have_count(2)
    expect(page.locator("li.entry").first).to_contain_text("Sequencer lights")
    context.close()
