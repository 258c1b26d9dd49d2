"""No page a founder or a backer visits logs a console error or a CSP violation, in English
and in German, with JavaScript on."""

import pytest

from tests.e2e.browser import log_in, open_page
from tests.pages import MISSING, PUBLIC_PAGES, seed_pages
from tests.showcase import SHOWCASE_EMAIL

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]


@pytest.fixture
def founder_pages(session):
    """Seed the showcase; return every founder page's URL."""
    return seed_pages(session)


@pytest.mark.parametrize("locale", ["en-US", "de-DE"])
def test_no_page_logs_an_error(browser, live_server, founder_pages, locale):
    context = browser.new_context(locale=locale)
    page = context.new_page()
    problems = []
    missing = f"{live_server}{MISSING}"

    def on_console(message):
        # The 404 page's own status is logged as a failed load: that one is expected.
        if message.location.get("url") == missing and "404" in message.text:
            return
        if message.type == "error" or "Content Security Policy" in message.text:
            problems.append(f"{page.url}: {message.type}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: pageerror: {error}"))
    for url, status in PUBLIC_PAGES:
        _visit(page, f"{live_server}{url}", locale, status)
    log_in(page, live_server, SHOWCASE_EMAIL)
    for url in founder_pages:
        _visit(page, f"{live_server}{url}", locale)
    context.close()
    assert not problems, "\n".join(problems)


def _visit(page, url, locale, status=200):
    open_page(page, url, status)
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == locale[:2]
    # htmx is our own script: it must run under the CSP on every page.
    assert page.evaluate("typeof htmx") == "object", url
