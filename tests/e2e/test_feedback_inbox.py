"""A founder filters the feedback inbox and marks a question answered, with htmx and without JS."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import log_in, open_page
from tests.factories.feedback import comment, make_feedback_channel, post_comments
from tracker.models import utcnow

pytestmark = pytest.mark.e2e


@pytest.fixture
def inbox(session, campaign):
    channel = make_feedback_channel(session, campaign, title="Mastodon")
    now = utcnow()
    post_comments(
        session,
        channel,
        [
            comment("When do the surveys go out?", at=now - timedelta(hours=3), author="@q"),
            comment("Love the new trailer, great work!", at=now - timedelta(hours=2), author="@p"),
            comment("Die Box kam beschädigt an.", at=now - timedelta(hours=1), author="@d"),
        ],
        now=now,
    )


def test_filter_and_mark_answered_with_htmx(page, live_server, owner, inbox):
    log_in(page, live_server, owner.email)
    open_page(page, f"{live_server}/dashboard/synth/")
    page.get_by_role("link", name="Feedback").click()
    expect(page.locator("#inbox-list li.feedback-item")).to_have_count(3)
    page.evaluate("window.__samePage = true")

    page.get_by_label("Category").select_option("question")
    expect(page.locator("#inbox-list li.feedback-item")).to_have_count(1)
    expect(page).to_have_url(
        f"{live_server}/dashboard/synth/feedback/?channel=&language=&label=&category=question&milestone=&state="
    )
    item = page.locator("#inbox-list li.feedback-item")
    expect(item).to_contain_text("Why this label:")
    item.get_by_role("button", name="Mark answered").click()
    expect(page.locator("#inbox-list li.state-answered")).to_have_count(1)
    expect(page.locator("#inbox-list li.state-answered")).to_contain_text("answered")
    assert page.evaluate("window.__samePage") is True

    page.reload()  # the pushed URL is a real page: the filter and the new state survive
    expect(page.get_by_label("Category")).to_have_value("question")
    expect(page.locator("li.state-answered")).to_have_count(1)


def test_filter_and_mark_answered_without_javascript(browser, live_server, owner, inbox):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, owner.email)
    open_page(page, f"{live_server}/dashboard/synth/feedback/")
    page.locator("#inbox-filters").get_by_label("Language").select_option("de")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("li.feedback-item")).to_have_count(1)
    expect(page.locator("li.feedback-item")).to_contain_text("Die Box kam")
    page.locator("li.feedback-item").get_by_role("button", name="Needs reply").click()
    expect(page).to_have_url(f"{live_server}/dashboard/synth/feedback/?language=de")
    expect(page.locator("li.state-needs_reply")).to_have_count(1)
    context.close()
