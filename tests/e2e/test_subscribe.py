"""Double opt-in end to end in chromium: subscribe on the form page, read the message the
real SMTP server received, open its link, confirm; the one-click header unsubscribes."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import open_page
from tests.worker import run_jobs
from tracker.models import Subscriber

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]


def test_subscribe_read_the_mail_open_the_link_and_confirm(
    app, page, playwright, live_server, session, campaign, smtp_sink
):
    app.config.update(SMTP_URL=smtp_sink.url, PUBLIC_URL=live_server)
    open_page(page, f"{live_server}/c/synth")
    page.get_by_role("link", name="Get the news by e-mail").click()
    expect(page).to_have_url(f"{live_server}/c/synth/subscribe")
    page.get_by_label("E-mail address").fill("backer@example.com")
    page.get_by_label("Every published report").check()
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")

    run_jobs(app)
    (message,) = smtp_sink.messages
    text = message.get_body(("plain",)).get_content()
    link = re.search(rf"{re.escape(live_server)}/mail/confirm/\S+", text).group()
    open_page(page, link)
    assert session.exec(Subscriber.__table__.select()).one().state == "pending"
    page.get_by_role("button", name="Confirm my subscription").click()
    expect(page.get_by_role("status")).to_have_text("Your subscription is confirmed.")
    session.expire_all()
    subscriber = session.query(Subscriber).one()
    assert (subscriber.state, subscriber.receives) == ("confirmed", "reports")

    # The header's one-click, as a mail provider sends it: no cookie, no token.
    one_click = message["List-Unsubscribe"].strip("<>")
    provider = playwright.request.new_context()  # shares nothing with the browser
    answer = provider.post(
        one_click,
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status == 200
    provider.dispose()
    session.expire_all()
    assert session.query(Subscriber).count() == 0
