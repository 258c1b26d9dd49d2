"""Steps that several browser tests share."""

from playwright.sync_api import expect

from tests.conftest import PASSWORD


def log_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    """Log in through the form (by field ids, so it works in any language)."""
    page.goto(f"{base}/auth/login")
    form = page.locator("main form")
    form.locator("#email").fill(email)
    form.locator("#password").fill(password)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{base}/dashboard/")
