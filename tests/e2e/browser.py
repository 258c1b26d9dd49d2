"""Steps that several browser tests share."""

from playwright.sync_api import expect

from tests.conftest import PASSWORD


def open_page(page, url: str, status: int = 200):
    """Go to url and check the status the page came with."""
    response = page.goto(url)
    assert response is not None and response.status == status, (url, response and response.status)
    return response


def log_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    """Log in through the form (by field ids, so it works in any language)."""
    open_page(page, f"{base}/auth/login")
    form = page.locator("main form")
    form.locator("#email").fill(email)
    form.locator("#password").fill(password)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{base}/dashboard/")
