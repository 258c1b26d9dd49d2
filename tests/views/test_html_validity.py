"""Every page backers and founders see is valid HTML, in English and German (Nu HTML Checker)."""

import pytest

from tests.showcase import SHOWCASE_EMAIL, seed_showcase

# (url, status): the missing campaign's page is a 404 and must be valid HTML too.
PUBLIC_PAGES = [
    ("/", 200),
    ("/c/lumen-deck", 200),
    ("/c/lumen-deck/timeline", 200),
    ("/c/lumen-deck/subscribe", 200),
    ("/auth/login", 200),
    ("/auth/register", 200),
    ("/c/no-such-campaign", 404),
]
TEAM_PAGES = [
    ("/dashboard/", 200),
    ("/dashboard/lumen-deck/", 200),
    ("/dashboard/new", 200),
    ("/dashboard/lumen-deck/edit", 200),
    ("/dashboard/lumen-deck/team", 200),
    ("/dashboard/lumen-deck/funding/", 200),
    ("/dashboard/lumen-deck/funding/imports", 200),
    ("/dashboard/lumen-deck/insights/impact", 200),
    ("/dashboard/lumen-deck/webhooks/", 200),
    ("/dashboard/lumen-deck/subscribers/", 200),
]
LANGUAGES = ["en", "de"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_pages_have_no_html_errors(client, session, nu_checker):
    seed_showcase(session)
    pages = {}
    for logged_in, urls in ((False, PUBLIC_PAGES), (True, TEAM_PAGES)):
        if logged_in:
            client.login(SHOWCASE_EMAIL)
        for language in LANGUAGES:
            for url, status in urls:
                response = client.get(url, headers={"Accept-Language": language})
                assert response.status_code == status, url
                pages[f"{url} ({language})"] = response.get_data()
    errors = nu_checker.errors(pages)
    assert not errors, "\n".join(errors)
