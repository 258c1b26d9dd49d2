"""Every page a founder or a backer visits, in English and in German, with JavaScript on and
the page's own CSP: nothing logs a console error or a CSP violation, htmx runs, and axe-core
finds no serious or critical violation. One walk over the pages checks all of it."""

import pytest

from tests.e2e.browser import axe_violations, log_in
from tests.node_tools import node_tool
from tests.pages import MISSING, PUBLIC_PAGES, seed_pages
from tests.showcase import SHOWCASE_EMAIL

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("locale", ["en-US", "de-DE"])
def test_no_page_logs_an_error_or_has_serious_violations(browser, live_server, session, locale):
    # axe goes in through the DevTools protocol, which the page's CSP does not govern: the
    # context keeps the CSP, so a violation of it is still logged and caught below.
    axe = node_tool("axe-core/axe.min.js")
    founder_pages = seed_pages(session)
    context = browser.new_context(locale=locale)
    page = context.new_page()
    problems, violations = [], []
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
        violations += _check(page, f"{live_server}{url}", locale, axe, status)
    log_in(page, live_server, SHOWCASE_EMAIL)
    for url in founder_pages:
        violations += _check(page, f"{live_server}{url}", locale, axe)
    context.close()
    assert not problems, "\n".join(problems)
    assert not violations, "\n".join(violations)


def _check(page, url, locale, axe, status=200):
    found = axe_violations(page, url, status, axe, locale)
    page.wait_for_load_state("load")
    # htmx is our own script: it must run under the CSP on every page.
    assert page.evaluate("typeof htmx") == "object", url
    return found
