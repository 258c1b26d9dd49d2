"""Every page backers and founders see is valid HTML, in English and German (Nu HTML Checker)."""

import pytest

from tests.pages import PUBLIC_PAGES, seed_pages
from tests.showcase import SHOWCASE_EMAIL

LANGUAGES = ["en", "de"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_pages_have_no_html_errors(client, session, nu_checker):
    founder_pages = [(url, 200) for url in seed_pages(session)]
    pages = {}
    for logged_in, urls in ((False, PUBLIC_PAGES), (True, founder_pages)):
        if logged_in:
            client.login(SHOWCASE_EMAIL)
        for language in LANGUAGES:
            for url, status in urls:
                response = client.get(url, headers={"Accept-Language": language})
                assert response.status_code == status, url
                pages[f"{url} ({language})"] = response.get_data()
    errors = nu_checker.errors(pages)
    assert not errors, "\n".join(errors)
