"""The feedback pages are valid HTML in English and German (Nu HTML Checker)."""

from datetime import timedelta

import pytest

from tests.factories import make_milestone
from tests.factories.feedback import comment, make_feedback_channel, post_comments
from tracker.models import utcnow

ANGRY = "This is a scam, I want my money back. Terrible, dishonest team."


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_feedback_pages_have_no_html_errors(client, session, founder, campaign, nu_checker):
    make_milestone(session, campaign, title="Firmware beta", tag="beta")
    channel = make_feedback_channel(session, campaign, title="Mastodon")
    now = utcnow()
    post_comments(
        session,
        channel,
        [comment(ANGRY, at=now - timedelta(minutes=i), author=f"@a{i}") for i in range(6)]
        + [comment("When does the #beta ship?", at=now - timedelta(days=2), author="@q")],
        now=now,
    )
    # The alerts page with its secret address, which only exists once created.
    created = client.post("/dashboard/synth/feedback/alerts/token")
    assert created.status_code == 303
    base = "/dashboard/synth/feedback"
    urls = [f"{base}/", f"{base}/?label=negative&page=1", f"{base}/insights", f"{base}/alerts"]
    urls.append("/dashboard/synth/")
    pages = {}
    for language in ("en", "de"):
        for url in urls:
            response = client.get(url, headers={"Accept-Language": language})
            assert response.status_code == 200, url
            pages[f"{url} ({language})"] = response.get_data()
    # The pages hold what they are checked for: the alert banner and the secret address.
    assert "Storm warning" in pages["/dashboard/synth/ (en)"].decode()
    assert "Replace the secret address" in pages[f"{base}/alerts (en)"].decode()
    errors = nu_checker.errors(pages)
    assert not errors, "\n".join(errors)
