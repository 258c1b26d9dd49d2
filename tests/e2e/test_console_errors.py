"""No page a founder or a backer visits logs a console error or a CSP violation, in English
and in German, with JavaScript on."""

from datetime import date

import pytest
from sqlalchemy import select

from tests.e2e.browser import log_in, open_page
from tests.showcase import SHOWCASE_EMAIL, seed_showcase
from tracker.models import Actor, Channel, Milestone
from tracker.reports.periods import Period
from tracker.reports.publishing import publish_report

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]

PUBLIC_PAGES = [
    "/",
    "/c/lumen-deck",
    "/c/lumen-deck/timeline",
    "/c/lumen-deck/reports",
    "/c/lumen-deck/subscribe",
    "/auth/login",
    "/auth/register",
]
FOUNDER_PAGES = [
    "/dashboard/",
    "/dashboard/new",
    "/dashboard/lumen-deck/",
    "/dashboard/lumen-deck/edit",
    "/dashboard/lumen-deck/team",
    "/dashboard/lumen-deck/funding/",
    "/dashboard/lumen-deck/funding/imports",
    "/dashboard/lumen-deck/funding/tokens",
    "/dashboard/lumen-deck/feeds/",
    "/dashboard/lumen-deck/feedback/",
    "/dashboard/lumen-deck/feedback/insights",
    "/dashboard/lumen-deck/feedback/alerts",
    "/dashboard/lumen-deck/insights/impact",
    "/dashboard/lumen-deck/reports/",
    "/dashboard/lumen-deck/rewards/",
    "/dashboard/lumen-deck/subscribers/",
    "/dashboard/lumen-deck/webhooks/",
    "/dashboard/lumen-deck/milestones/new",
]


@pytest.fixture
def showcase(session):
    """Seed the showcase campaign with a published report; name its milestone and channel pages."""
    _, campaign = seed_showcase(session)
    publish_report(
        session,
        campaign,
        pdf=b"%PDF-1.7 tiny",
        pages=1,
        period=Period(kind="month", start=date(2027, 1, 1), end=date(2027, 1, 31)),
        language="en",
        title="Progress report, January 2027",
        actor=Actor(label="test"),
    )
    session.commit()
    milestone = session.execute(select(Milestone).order_by(Milestone.id)).scalars().first()
    channel = session.execute(select(Channel).order_by(Channel.id)).scalars().first()
    return [
        f"/dashboard/lumen-deck/milestones/{milestone.id}/edit",
        f"/dashboard/lumen-deck/feeds/channels/{channel.id}",
    ]


@pytest.mark.parametrize("locale", ["en-US", "de-DE"])
def test_no_page_logs_an_error(browser, live_server, showcase, locale):
    context = browser.new_context(locale=locale)
    page = context.new_page()
    problems = []
    missing = f"{live_server}/c/no-such-campaign"

    def on_console(message):
        # The 404 page's own status is logged as a failed load: that one is expected.
        if message.location.get("url") == missing and "404" in message.text:
            return
        if message.type == "error" or "Content Security Policy" in message.text:
            problems.append(f"{page.url}: {message.type}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: pageerror: {error}"))
    for url in PUBLIC_PAGES:
        _visit(page, f"{live_server}{url}", locale)
    _visit(page, missing, locale, status=404)
    log_in(page, live_server, SHOWCASE_EMAIL)
    for url in [*FOUNDER_PAGES, *showcase]:
        _visit(page, f"{live_server}{url}", locale)
    context.close()
    assert not problems, "\n".join(problems)


def _visit(page, url, locale, status=200):
    open_page(page, url, status)
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == locale[:2]
    # htmx is our own script: it must run under the CSP on every page.
    assert page.evaluate("typeof htmx") == "object", url
